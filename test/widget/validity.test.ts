// Every state in which nothing can be chosen blocks the form with a visible, focusable, announced message saying
// what to do; postal codes and cart sizes are checked before the proxy is asked.
import type { McfDeliveryOptions } from "../../widget/delivery-options.ts";
import {
  cart,
  deepEqual,
  describe,
  equal,
  expectAccessible,
  it,
  json,
  liveRegion,
  mount,
  ok,
  option,
  optionsResponse,
  shadow,
  text,
  until,
  useFakeProxy,
} from "./helpers.ts";

/** The element, required, in a form with the given attributes; waits until it settled on something other than loading. */
async function inRequiredForm(attributes: string, items = cart) {
  const element = await mount(
    `<form><mcf-delivery-options name="quote" required ${attributes}></mcf-delivery-options></form>`,
    (el) => {
      el.items = items;
    },
  );
  await until(() => element.status !== "loading", "settled");
  await element.updateComplete;
  return { element, form: element.closest("form")! };
}

/** Submits like a shopper's "Place order": the browser's own check, then focus on the anchor of the first invalid. */
async function submitBlocked(element: McfDeliveryOptions, form: HTMLFormElement) {
  let submitted = false;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submitted = true;
  });
  const invalid = new Promise((resolve) => element.addEventListener("invalid", resolve, { once: true }));
  form.requestSubmit();
  await invalid;
  equal(submitted, false, "the form is not submitted");
  const focused = shadow(element).activeElement as HTMLElement | null;
  ok(focused, "focus lands inside the element");
  equal(text(focused), element.validationMessage, "the focused element shows the validation message");
  ok(focused.getBoundingClientRect().height > 0, "the message is visible");
  return focused;
}

describe("validity", () => {
  const proxy = useFakeProxy();

  it("an unserved address: the empty message is focused and says so", async () => {
    proxy.reply = () => json(optionsResponse({ options: [], reasons: ["InvalidDestinationAddress"] }));
    const { element, form } = await inRequiredForm('country="US" postal-code="98101"');
    equal(element.status, "empty");
    await submitBlocked(element, form);
    equal(element.validationMessage, "No delivery options for this address.");
    equal(element.validity.valueMissing, true);
    equal(liveRegion(element), "No delivery options for this address.", "announced");
    await expectAccessible(element);
  });

  it("a sold-out cart says sold out, not address not served", async () => {
    proxy.reply = () =>
      json(
        optionsResponse({
          options: [option("Standard", "1", { fulfillable: false })],
          unfulfillable: [
            { sku: "MUG-BLUE", quantity: 2, reasons: ["NoInventory"] },
            { sku: "TEE-M", quantity: 1, reasons: ["InsufficientInventory"] },
          ],
        }),
      );
    const { element, form } = await inRequiredForm('country="US" postal-code="98101"');
    await submitBlocked(element, form);
    equal(element.validationMessage, "These items are sold out.");
    await expectAccessible(element);
  });

  it("an unreachable proxy: the error is focused, Retry stays next to it", async () => {
    proxy.reply = () => Promise.reject(new TypeError("Failed to fetch"));
    const { element, form } = await inRequiredForm('country="US" postal-code="98101"');
    equal(element.status, "error");
    await submitBlocked(element, form);
    equal(element.validationMessage, "Couldn't load delivery options.");
    ok(shadow(element).querySelector('[part="retry"]'));
  });

  it("options to choose from: the group's tab stop is focused, as before", async () => {
    const { element, form } = await inRequiredForm('country="US" postal-code="98101"');
    equal(shadow(element).activeElement, null);
    let submitted = false;
    form.addEventListener("submit", () => {
      submitted = true;
    });
    form.requestSubmit();
    equal(submitted, false);
    equal(shadow(element).activeElement?.getAttribute("role"), "radio");
    equal(element.validationMessage, "Choose a delivery option.");
  });

  for (const [country, postalCode, locale, message] of [
    ["US", "2050", "en", "Enter a valid ZIP or postal code."],
    ["US", "ABCDE", "en", "Enter a valid ZIP or postal code."],
    ["DE", "1099", "de", "Bitte gültige Postleitzahl eingeben."],
    ["JP", "123", "ja", "正しい郵便番号を入力してください。"],
  ] as const) {
    it(`postal code ${country} "${postalCode}": asks for a valid one, in ${locale}, without calling the proxy`, async () => {
      const events: unknown[] = [];
      const element = await mount(
        `<form><mcf-delivery-options name="quote" country="${country}" postal-code="${postalCode}" locale="${locale}"></mcf-delivery-options></form>`,
        (el) => {
          el.items = cart;
          el.addEventListener("mcf-invalid", (event) => events.push((event as CustomEvent).detail));
        },
      );
      await until(() => element.status === "invalid", "invalid");
      await element.updateComplete;
      equal(proxy.calls.length, 0);
      equal(text(shadow(element).querySelector('[part="message"]')), message);
      equal(element.validity.patternMismatch, true, "invalid even when not required");
      equal(element.validationMessage, message);
      deepEqual(events, [{ field: "postalCode", message }]);
      equal(liveRegion(element), message);
      ok(!/address|Adresse|住所/.test(message), "not worded as an address that is not served");
      await submitBlocked(element, element.closest("form")!);
      await expectAccessible(element);
    });
  }

  it("valid postal codes of every marketplace format reach the proxy", async () => {
    const element = await mount("<mcf-delivery-options></mcf-delivery-options>", (el) => {
      el.items = cart;
    });
    const codes = [
      ["US", "98101"],
      ["US", "98101-1234"],
      ["JP", "100-0001"],
      ["JP", "1000001"],
      ["DE", "10115"],
      ["GB", "SW1A 1AA"],
      ["CA", "k1a 0b1"],
      ["AU", "2000"],
    ];
    for (const [country, postalCode] of codes) {
      element.country = country;
      element.postalCode = postalCode;
      await element.updateComplete;
      await until(() => element.status === "ready", `${country} ${postalCode}`);
    }
    equal(proxy.calls.length, codes.length);
  });

  it("a cart over Amazon's 250 units says it is too large, without calling the proxy", async () => {
    const events: { field: string }[] = [];
    const element = await mount(
      '<mcf-delivery-options country="US" postal-code="98101"></mcf-delivery-options>',
      (el) => {
        el.items = [
          { sku: "MUG-BLUE", quantity: 200 },
          { sku: "TEE-M", quantity: 51 },
        ];
        el.addEventListener("mcf-invalid", (event) => events.push((event as CustomEvent).detail));
      },
    );
    await until(() => element.status === "invalid");
    await element.updateComplete;
    equal(proxy.calls.length, 0);
    equal(text(shadow(element).querySelector('[part="message"]')), "Too many items for one order.");
    equal(element.validity.rangeOverflow, true);
    equal(events[0]?.field, "items");
    element.items = [{ sku: "MUG-BLUE", quantity: 250 }];
    await until(() => element.status === "ready", "250 units are fine");
  });

  it("an empty cart with a full address says the cart is empty, not to enter an address", async () => {
    const element = await mount('<mcf-delivery-options country="US" postal-code="98101"></mcf-delivery-options>');
    equal(element.status, "idle");
    equal(text(shadow(element).querySelector('[part="message"]')), "Your cart is empty.");
    element.items = cart;
    element.postalCode = "";
    await element.updateComplete;
    equal(text(shadow(element).querySelector('[part="message"]')), "Enter your address to see delivery options.");
    equal(proxy.calls.length, 0);
  });

  it("the proxy's own postal code refusal reads the same, and offers no Retry", async () => {
    proxy.reply = () =>
      json(
        {
          type: "https://mcf-checkout.dev/problems/validation",
          title: "Invalid request",
          status: 400,
          detail: "address.postalCode: not a postal code of US",
          errors: [{ path: "address.postalCode", message: "not a postal code of US" }],
        },
        400,
        "application/problem+json",
      );
    const { element } = await inRequiredForm('country="US" postal-code="00000"');
    equal(element.status, "invalid");
    equal(text(shadow(element).querySelector('[part="message"]')), "Enter a valid ZIP or postal code.");
    equal(shadow(element).querySelector('[part="retry"]'), null);
  });
});
