// Native form control behaviour through ElementInternals.

import type { McfDeliveryOptions } from "../../widget/delivery-options.ts";
import {
  describe,
  equal,
  held,
  it,
  json,
  mountWithOptions,
  ok,
  optionsResponse,
  radios,
  shadow,
  until,
  useFakeProxy,
} from "./helpers.ts";

async function inForm(attributes = "") {
  const element = await mountWithOptions(`country="US" postal-code="98101" name="delivery" ${attributes}`);
  const form = document.createElement("form");
  element.parentElement!.append(form);
  form.append(element);
  await element.updateComplete;
  return { element, form };
}

describe("form", () => {
  const proxy = useFakeProxy();

  it("is form-associated: the chosen option's quote is submitted under its name", async () => {
    const { element, form } = await inForm();
    equal(element.form, form);
    equal(new FormData(form).has("delivery"), false, "nothing chosen, nothing submitted");
    radios(element)[1]!.click();
    await element.updateComplete;
    equal(new FormData(form).get("delivery"), "quote-Expedited");
    let submitted: FormData | undefined;
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      submitted = new FormData(form);
    });
    form.requestSubmit();
    equal(submitted?.get("delivery"), "quote-Expedited");
  });

  it("required: valueMissing with a message blocks submission and reportValidity focuses the group", async () => {
    const { element, form } = await inForm("required");
    equal(element.validity.valueMissing, true);
    equal(element.validationMessage, "Choose a delivery option.");
    equal(element.checkValidity(), false);
    equal(form.checkValidity(), false);
    let submitted = false;
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      submitted = true;
    });
    form.requestSubmit();
    equal(submitted, false);
    equal(element.reportValidity(), false);
    equal(shadow(element).activeElement, radios(element)[0]);
    radios(element)[0]!.click();
    await element.updateComplete;
    equal(element.validity.valid, true);
    form.requestSubmit();
    equal(submitted, true);
  });

  it("required validity follows the element's language", async () => {
    const { element } = await inForm('required locale="de"');
    equal(element.validationMessage, "Bitte Versandoption wählen.");
  });

  it("form reset clears the choice", async () => {
    const { element, form } = await inForm();
    radios(element)[2]!.click();
    await element.updateComplete;
    equal(element.value, "quote-Priority");
    form.reset();
    await element.updateComplete;
    equal(element.value, "");
    equal(new FormData(form).has("delivery"), false);
    equal(radios(element).filter((radio) => radio.getAttribute("aria-checked") === "true").length, 0);
  });

  it("restores a saved choice (back/forward, autofill) once options with that speed are on offer", async () => {
    const { element } = await inForm();
    (element as McfDeliveryOptions & { formStateRestoreCallback(state: string): void }).formStateRestoreCallback(
      "Priority ",
    );
    await element.updateComplete;
    equal(element.value, "quote-Priority");
    // A restore that arrives before the options is applied when they come.
    const later = await mountWithOptions('country="US" postal-code="98101"', (el) => {
      (el as McfDeliveryOptions & { formStateRestoreCallback(state: string): void }).formStateRestoreCallback(
        "Expedited ",
      );
    });
    await until(() => later.value === "quote-Expedited", "the restored choice");
  });

  it("while new options load the old quote is not a value; an unchanged quote fires no mcf-change", async () => {
    const { element, form } = await inForm("required");
    radios(element)[0]!.click();
    await element.updateComplete;
    let changes = 0;
    element.addEventListener("mcf-change", () => changes++);
    const gate = held(() => json(optionsResponse()));
    proxy.reply = () => gate.reply;
    element.postalCode = "98052";
    await until(() => proxy.calls.length === 2, "the second request");
    equal(element.value, "");
    equal(new FormData(form).has("delivery"), false);
    equal(element.validity.valueMissing, true, "a form cannot be sent with a quote for another address");
    gate.release();
    await until(() => element.value === "quote-Standard", "the same choice again");
    equal(changes, 0);
  });

  it("keeps the chosen speed across a reload, with the new quote", async () => {
    const { element } = await inForm();
    radios(element)[1]!.click();
    await element.updateComplete;
    const changes: unknown[] = [];
    element.addEventListener("mcf-change", (event) => changes.push((event as CustomEvent).detail?.quote ?? null));
    proxy.reply = () =>
      new Response(
        JSON.stringify({
          options: [
            { ...JSON.parse(JSON.stringify(element.options[1])), quote: "quote-Expedited-2" },
            JSON.parse(JSON.stringify(element.options[0])),
          ],
          unfulfillable: [],
          reasons: [],
          source: "live",
        }),
      );
    element.postalCode = "98052";
    await until(() => element.value === "quote-Expedited-2", "the re-priced choice");
    equal(changes.join(), "quote-Expedited-2");
    ok(element.selected?.speed === "Expedited");
    // When the speed disappears, the choice is dropped and mcf-change says so.
    proxy.reply = () =>
      new Response(JSON.stringify({ options: [element.options[0]], unfulfillable: [], reasons: [], source: "live" }));
    element.postalCode = "98053";
    await until(() => changes.length === 2, "the dropped choice");
    equal(changes[1], null);
    equal(element.value, "");
  });
});
