// address-form="…": the address comes from the form's fields, by their autocomplete tokens.
import { readAddressFields } from "../../widget/address-form.ts";
import { cart, deepEqual, describe, equal, fullAddress, it, mount, until, useFakeProxy } from "./helpers.ts";

const checkout = `
  <form id="checkout">
    <input autocomplete="name" value="Ignored Untagged">
    <input autocomplete="shipping name" value="Ada Lovelace">
    <input autocomplete="shipping address-line1" value="1 Main St">
    <input autocomplete="shipping address-line2" value="">
    <input autocomplete="shipping address-level2" value="Seattle">
    <input autocomplete="shipping address-level1" value="WA">
    <input autocomplete="section-ship shipping postal-code" value="98101">
    <select autocomplete="shipping country"><option value="US" selected>United States</option><option value="JP">Japan</option></select>
    <input autocomplete="billing postal-code" value="10001">
    <input autocomplete="shipping tel" value="+1 206 555 0100">
    <input name="coupon" value="SPRING">
  </form>`;

/** The element bound to the checkout form above, with the shared cart. */
const mountBoundToCheckout = () =>
  mount(`${checkout}<mcf-delivery-options address-form="#checkout"></mcf-delivery-options>`, (el) => {
    el.items = cart;
  });

describe("address-form", () => {
  const proxy = useFakeProxy();

  it("reads shipping fields by token; shipping beats untagged, billing never counts, empty fields are left out", async () => {
    const element = await mountBoundToCheckout();
    await until(() => proxy.calls.length === 1, "the request");
    // A preview carries only where the parcel goes; name, street and phone stay for the order.
    deepEqual(proxy.calls[0]!.body.address, {
      countryCode: "US",
      postalCode: "98101",
      stateOrRegion: "WA",
      city: "Seattle",
    });
    deepEqual(readAddressFields(document.querySelector("#checkout")!), {
      ...fullAddress,
      line2: "",
      phone: "+1 206 555 0100",
    });
    equal(element.status === "loading" || element.status === "ready", true);
  });

  it("typing a name, street or phone neither reloads the options nor drops the choice", async () => {
    const element = await mountBoundToCheckout();
    await until(() => element.status === "ready", "options");
    (element.shadowRoot!.querySelector('[role="radio"]') as HTMLElement).click();
    const quote = element.value;
    equal(quote.length > 0, true);
    for (const token of ["shipping name", "shipping address-line1", "shipping tel"]) {
      const field = document.querySelector<HTMLInputElement>(`[autocomplete="${token}"]`)!;
      field.value = "+81 3-1234-5678 ext. 1234 and then some";
      field.dispatchEvent(new Event("input", { bubbles: true }));
    }
    // Past the debounce, a reload would have started by now.
    await new Promise((resolve) => setTimeout(resolve, element.debounce + 150));
    equal(proxy.calls.length, 1);
    equal(element.status, "ready");
    equal(element.value, quote);
  });

  it("follows input and change events with a new request", async () => {
    const element = await mountBoundToCheckout();
    await until(() => element.status === "ready", "options");
    const form = document.querySelector<HTMLFormElement>("#checkout")!;
    const postal = form.querySelector<HTMLInputElement>(
      '[autocomplete~="postal-code"]:not([autocomplete~="billing"])',
    )!;
    postal.value = "1000001";
    postal.dispatchEvent(new Event("input", { bubbles: true }));
    const country = form.querySelector("select")!;
    country.value = "JP";
    country.dispatchEvent(new Event("change", { bubbles: true }));
    await until(() => proxy.calls.length === 2, "the second request");
    const address = proxy.calls[1]!.body.address as Record<string, string>;
    equal(address.postalCode, "1000001");
    equal(address.countryCode, "JP");
    // Typing in a field that is not part of the address asks nothing new.
    form.querySelector<HTMLInputElement>('[name="coupon"]')!.dispatchEvent(new Event("input", { bubbles: true }));
    await until(() => element.status === "ready");
    equal(proxy.calls.length, 2);
  });

  it("form fields win over attributes, which win over the address property", async () => {
    const element = await mount(
      `<form id="f"><input autocomplete="postal-code" value="98052"></form>
       <mcf-delivery-options address-form="#f" country="US" city="Bellevue"></mcf-delivery-options>`,
      (el) => {
        el.items = cart;
        el.address = { countryCode: "CA", postalCode: "98004", city: "Vancouver", line1: "9 Side St" };
      },
    );
    await until(() => proxy.calls.length === 1, "the request");
    deepEqual(proxy.calls[0]!.body.address, {
      countryCode: "US",
      postalCode: "98052",
      city: "Bellevue",
    });
    // Unbinding stops following the form.
    element.addressForm = undefined;
    await element.updateComplete;
    await until(() => proxy.calls.length === 2, "the request without the form");
    equal((proxy.calls[1]!.body.address as Record<string, string>).postalCode, "98004");
  });

  it("readAddressFields works on any container and maps every token", () => {
    const box = document.createElement("div");
    box.innerHTML = `
      <input autocomplete="country" value="jp">
      <input autocomplete="postal-code" value=" 100-0001 ">
      <input autocomplete="address-level1" value="Tokyo">
      <input autocomplete="address-level2" value="Chiyoda-ku">
      <input autocomplete="address-level3" value="Marunouchi">
      <input autocomplete="street-address" value="1-1">
      <input autocomplete="address-line3" value="Bldg 3">`;
    deepEqual(readAddressFields(box), {
      countryCode: "jp",
      postalCode: "100-0001",
      stateOrRegion: "Tokyo",
      city: "Chiyoda-ku",
      districtOrCounty: "Marunouchi",
      line1: "1-1",
      line3: "Bldg 3",
    });
  });
});
