// The elements' reactive base: attributes to properties, reflection, batched renders, updateComplete, upgrades.
import { html } from "lit/html.js";
import { type PropertyOptions, ReactiveElement } from "../../widget/reactive-element.ts";
import { deepEqual, describe, equal, it } from "./helpers.ts";

const sheet = new CSSStyleSheet();
sheet.replaceSync(":host { display: block }");

class TestElement extends ReactiveElement {
  static override styles = sheet;
  static override properties: Record<string, PropertyOptions> = {
    label: {},
    longName: { attribute: "long-name" },
    on: { type: Boolean, reflect: true },
    list: { type: Array },
    mode: { reflect: true },
    hidden_: { state: true },
  };
  declare label?: string;
  declare longName?: string;
  declare on: boolean;
  declare list?: unknown[];
  declare mode?: string;
  declare hidden_?: number;
  renders = 0;
  log: string[] = [];
  protected override willUpdate() {
    this.log.push("willUpdate");
  }
  protected override firstUpdated() {
    this.log.push("firstUpdated");
  }
  protected override updated() {
    this.log.push("updated");
    // A change made in updated() renders again, and updateComplete waits for it.
    if (this.label === "again") this.label = "done";
  }
  protected override render() {
    this.renders++;
    return html`<p>${this.label ?? ""}|${this.longName ?? ""}|${String(this.on)}|${JSON.stringify(this.list)}</p>`;
  }
}
customElements.define("test-reactive", TestElement);

const make = (markup: string) => {
  const host = document.createElement("div");
  host.innerHTML = markup;
  return host.firstElementChild as TestElement;
};
const shown = (element: TestElement) => element.renderRoot.querySelector("p")?.textContent;

describe("reactive base", () => {
  it("maps attributes to properties: strings, named attributes, Booleans by presence, JSON (bad JSON is null)", async () => {
    const element = make(`<test-reactive label="a" long-name="b" on list='[1,"x"]'></test-reactive>`);
    document.body.append(element);
    await element.updateComplete;
    equal(shown(element), 'a|b|true|[1,"x"]');
    element.removeAttribute("on");
    element.setAttribute("list", "{not json");
    await element.updateComplete;
    equal(element.on, false);
    equal(element.list, null);
    equal(shown(element), "a|b|false|null");
    element.remove();
  });

  it("reflects reflected properties to attributes, and not the others", async () => {
    const element = make("<test-reactive></test-reactive>");
    document.body.append(element);
    element.on = true;
    element.mode = "dark";
    element.label = "x";
    await element.updateComplete;
    equal(element.getAttribute("on"), "");
    equal(element.getAttribute("mode"), "dark");
    equal(element.hasAttribute("label"), false);
    element.on = false;
    element.mode = undefined;
    await element.updateComplete;
    equal(element.hasAttribute("on"), false);
    equal(element.hasAttribute("mode"), false);
    element.remove();
  });

  it("renders once for many changes in a task, not before it is connected, then in order", async () => {
    const element = make("<test-reactive></test-reactive>");
    element.label = "a";
    element.longName = "b";
    element.hidden_ = 1;
    await element.updateComplete;
    equal(element.renders, 0, "nothing renders off the page");
    document.body.append(element);
    await element.updateComplete;
    equal(element.renders, 1);
    deepEqual(element.log, ["willUpdate", "firstUpdated", "updated"]);
    element.label = "c";
    element.label = "d";
    element.hidden_ = 2;
    await element.updateComplete;
    equal(element.renders, 2);
    element.label = "d";
    await element.updateComplete;
    equal(element.renders, 2, "setting the same value renders nothing");
    element.remove();
  });

  it("updateComplete waits for the renders that updated() causes", async () => {
    const element = make("<test-reactive></test-reactive>");
    document.body.append(element);
    await element.updateComplete;
    element.label = "again";
    await element.updateComplete;
    equal(shown(element), "done||undefined|");
    element.remove();
  });

  it("keeps values a page set before the element was defined", async () => {
    const element = document.createElement("test-reactive-late") as TestElement;
    (element as unknown as { label: string }).label = "early";
    document.body.append(element);
    customElements.define("test-reactive-late", class extends TestElement {});
    await element.updateComplete;
    equal(shown(element), "early||undefined|");
    element.label = "later";
    await element.updateComplete;
    equal(shown(element), "later||undefined|", "the accessor works after the upgrade");
    element.remove();
  });

  it("emits bubbling, composed events", async () => {
    const element = make("<test-reactive></test-reactive>");
    document.body.append(element);
    let seen: unknown;
    document.addEventListener("x-test", (event) => (seen = (event as CustomEvent).detail), { once: true });
    (element as unknown as { emit(type: string, detail: unknown): void }).emit("x-test", { a: 1 });
    deepEqual(seen, { a: 1 });
    element.remove();
  });
});
