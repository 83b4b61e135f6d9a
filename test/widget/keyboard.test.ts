// The WAI-ARIA radio group pattern: one tab stop, arrows move and select, wrapping at both ends.
import {
  describe,
  equal,
  expectAccessible,
  it,
  mountWithOptions,
  press,
  radios,
  shadow,
  useFakeProxy,
} from "./helpers.ts";

const tabStops = (element: Element) => radios(element).filter((radio) => radio.tabIndex === 0);
const checked = (element: Element) =>
  radios(element)
    .map((radio) => radio.getAttribute("aria-checked"))
    .join();

describe("keyboard", () => {
  const _proxy = useFakeProxy();

  it("has exactly one tab stop: the first option before a choice, the chosen one after", async () => {
    const element = await mountWithOptions();
    equal(tabStops(element).length, 1);
    equal(tabStops(element)[0], radios(element)[0]);
    radios(element)[2]!.click();
    await element.updateComplete;
    equal(tabStops(element).length, 1);
    equal(tabStops(element)[0], radios(element)[2]);
  });

  it("arrow keys move focus and select, wrapping at both ends", async () => {
    const element = await mountWithOptions();
    const changes: string[] = [];
    element.addEventListener("mcf-change", (event) => changes.push((event as CustomEvent).detail.speed));
    element.focus();
    equal(shadow(element).activeElement, radios(element)[0], "focus() lands on the tab stop");

    press(radios(element)[0]!, "ArrowDown");
    await element.updateComplete;
    equal(checked(element), "false,true,false");
    equal(shadow(element).activeElement, radios(element)[1]);

    press(radios(element)[1]!, "ArrowRight");
    await element.updateComplete;
    equal(checked(element), "false,false,true");

    press(radios(element)[2]!, "ArrowDown");
    await element.updateComplete;
    equal(checked(element), "true,false,false", "wraps from last to first");
    equal(shadow(element).activeElement, radios(element)[0]);

    press(radios(element)[0]!, "ArrowUp");
    await element.updateComplete;
    equal(checked(element), "false,false,true", "wraps from first to last");

    press(radios(element)[2]!, "ArrowLeft");
    await element.updateComplete;
    equal(checked(element), "false,true,false");
    equal(changes.join(), "Expedited,Priority,Standard,Priority,Expedited");
    await expectAccessible(element);
  });

  it("Space selects the focused option; other keys are left alone", async () => {
    const element = await mountWithOptions();
    const space = new KeyboardEvent("keydown", { key: " ", bubbles: true, composed: true, cancelable: true });
    radios(element)[0]!.dispatchEvent(space);
    await element.updateComplete;
    equal(space.defaultPrevented, true);
    equal(checked(element), "true,false,false");
    const tab = new KeyboardEvent("keydown", { key: "Tab", bubbles: true, composed: true, cancelable: true });
    radios(element)[0]!.dispatchEvent(tab);
    equal(tab.defaultPrevented, false);
    equal(checked(element), "true,false,false");
  });

  it("a click selects; the chosen option is marked for ::part styling", async () => {
    const element = await mountWithOptions();
    radios(element)[1]!.click();
    await element.updateComplete;
    equal(element.value, "quote-Expedited");
    equal(radios(element)[1]!.getAttribute("part"), "option option-checked");
    equal(radios(element)[0]!.getAttribute("part"), "option");
  });

  it("inside a disabled fieldset nothing can be chosen and no option is a tab stop", async () => {
    const element = await mountWithOptions();
    const fieldset = document.createElement("fieldset");
    fieldset.disabled = true;
    element.replaceWith(fieldset);
    fieldset.append(element);
    await element.updateComplete;
    equal(tabStops(element).length, 0);
    radios(element)[1]!.click();
    press(radios(element)[0]!, "ArrowDown");
    await element.updateComplete;
    equal(element.value, "");
    equal(radios(element)[0]!.getAttribute("aria-disabled"), "true");
    fieldset.remove();
  });
});
