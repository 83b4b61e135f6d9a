// EU store: a German checkout in euros, ordered through the server flow.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { STORES } from "../../demo/stores.ts";
import {
  checkedLabel,
  fillAddress,
  focusedRadioLabel,
  orderIdFrom,
  radios,
  sandboxOrder,
  screenshot,
  tabIntoOptions,
  useE2E,
  waitForOptions,
} from "./harness.ts";

describe("EU store (Kaffeewerk Berlin)", () => {
  const e2e = useE2E();

  it("shows German options in euros; Express chosen by keyboard is an Expedited order in the DE marketplace", async () => {
    const page = await e2e().page({ locale: "de-DE", timezoneId: "Europe/Berlin" });
    await page.goto(e2e().demo.urls.stores.eu);
    assert.equal(await page.locator("html").getAttribute("lang"), "de");
    await fillAddress(page, "eu");
    await waitForOptions(page);

    const labels = await radios(page).locator('[part="label"]').allTextContents();
    assert.deepEqual(labels.slice(0, 2), ["Standard", "Express"]);
    // Versandart „Standard“ kostenlos ab 39 € (the cart is 81 €); Express is a flat 7,90 €.
    assert.equal(await radios(page).nth(0).locator('[part="price"]').textContent(), "Kostenlos");
    assert.equal(await radios(page).nth(1).locator('[part="price"]').textContent(), "7,90\u00a0€");
    assert.match((await radios(page).nth(0).locator('[part="arrival"]').textContent()) ?? "", /^Lieferung /);

    await tabIntoOptions(page, "Telefon");
    assert.equal(await focusedRadioLabel(page), "Standard");
    await page.keyboard.press("ArrowRight");
    assert.equal(await checkedLabel(page), "Express");
    await page.locator("#total-amount", { hasText: "88,90\u00a0€" }).waitFor();
    await screenshot(page, "eu-checkout");

    await Promise.all([
      page.waitForURL(/\/orders\//),
      page.getByRole("button", { name: "Zahlungspflichtig bestellen" }).click(),
    ]);
    const inSandbox = await sandboxOrder(e2e().demo, orderIdFrom(page), "eu");
    assert.equal(inSandbox.fulfillmentOrder.shippingSpeedCategory, "Expedited");
    assert.equal(inSandbox.fulfillmentOrder.marketplaceId, STORES.eu.marketplaceId);
    assert.equal(inSandbox.fulfillmentOrder.destinationAddress.countryCode, "DE");
    // The speed's one German name, as the element named it at checkout.
    assert.equal(await page.locator("#order-speed").textContent(), "Express");
    await screenshot(page, "eu-order");
  });
});
