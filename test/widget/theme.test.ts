// Theming: custom properties, parts, dark colour scheme and reduced motion.
import { emulateMedia } from "@web/test-runner-commands";
import {
  afterEach,
  describe,
  equal,
  expectAccessible,
  it,
  mountLoading,
  mountWithOptions,
  part,
  radios,
  useFakeProxy,
} from "./helpers.ts";

const style = (element: Element | null | undefined) => getComputedStyle(element!);

describe("theme", () => {
  const proxy = useFakeProxy();
  afterEach(() => emulateMedia({ reducedMotion: "no-preference" }));

  it("--mcf-* custom properties restyle the element", async () => {
    const element = await mountWithOptions();
    element.style.setProperty("--mcf-color-accent", "rgb(200, 0, 100)");
    element.style.setProperty("--mcf-radius", "3px");
    element.style.setProperty("--mcf-spacing", "20px");
    element.style.setProperty("--mcf-font", "italic 18px serif");
    radios(element)[0]!.click();
    await element.updateComplete;
    const chosen = style(radios(element)[0]);
    equal(chosen.borderTopColor, "rgb(200, 0, 100)");
    equal(chosen.borderTopLeftRadius, "3px");
    equal(chosen.paddingTop, "20px");
    equal(style(element).fontStyle, "italic");
  });

  it("follows a dark colour scheme and stays accessible in it", async () => {
    const element = await mountWithOptions();
    equal(style(radios(element)[0]).backgroundColor, "rgb(255, 255, 255)");
    element.style.colorScheme = "dark";
    equal(style(radios(element)[0]).backgroundColor, "rgb(28, 28, 30)");
    equal(style(element).color, "rgb(242, 242, 247)");
    radios(element)[1]!.click();
    await element.updateComplete;
    await expectAccessible(element);
  });

  it("the error state is accessible in the dark too", async () => {
    proxy.reply = () => new Response("nope", { status: 500 });
    const element = await mountWithOptions();
    // A dark page: the element's messages sit on the page's own background.
    element.parentElement!.style.cssText = "color-scheme: dark; background: #121212";
    equal(style(part(element, "error")).color, "rgb(255, 138, 128)");
    await expectAccessible(element);
  });

  it("focus is visible: a focused option draws an outline", async () => {
    const element = await mountWithOptions();
    element.focus();
    const outline = style(radios(element)[0]);
    equal(outline.outlineStyle, "solid");
    equal(outline.outlineWidth, "2px");
  });

  it("the skeleton pulses, except when reduced motion is asked for", async () => {
    const { element, release } = await mountLoading(proxy);
    equal(style(part(element, "skeleton")).animationName, "pulse");
    await emulateMedia({ reducedMotion: "reduce" });
    equal(style(part(element, "skeleton")).animationName, "none");
    release();
  });
});
