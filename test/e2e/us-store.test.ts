// US store, both order flows, walked as a shopper: address → options → keyboard choice → place order → the order
// in Amazon's sandbox → the order page following it to shipment.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { STORES } from "../../demo/stores.ts";
import {
  advancePastShipDate,
  checkedLabel,
  deliveryOptions,
  expectAccessible,
  expectSubmitRefused,
  fillAddress,
  focusedRadioLabel,
  orderIdFrom,
  radios,
  sandboxOrder,
  sandboxOrderCount,
  screenshot,
  tabIntoOptions,
  useE2E,
  waitForOptions,
} from "./harness.ts";

const HOUR = 3_600_000;

describe("US store (Cedar & Loom)", () => {
  const e2e = useE2E();

  it("server flow: Expedited chosen by keyboard becomes an Expedited order in the sandbox, and the order page follows it", async () => {
    const page = await e2e().page();
    await page.goto(e2e().demo.urls.stores.us);
    await fillAddress(page, "us");
    await waitForOptions(page);

    // One tab stop into the group, then the arrow key moves and selects.
    await tabIntoOptions(page, "Phone");
    assert.equal(await focusedRadioLabel(page), "Standard");
    await page.keyboard.press("ArrowDown");
    assert.equal(await checkedLabel(page), "Expedited");
    assert.equal(await focusedRadioLabel(page), "Expedited");
    await page.locator("#shipping-amount", { hasText: "$12.99" }).waitFor();
    assert.equal(await page.locator("#total-amount").textContent(), "$76.99");
    await expectAccessible(page, "the US checkout with an option chosen");
    await screenshot(page, "us-checkout");

    await Promise.all([page.waitForURL(/\/orders\//), page.getByRole("button", { name: "Place order" }).click()]);
    const orderId = orderIdFrom(page);

    const inSandbox = await sandboxOrder(e2e().demo, orderId);
    assert.equal(inSandbox.fulfillmentOrder.shippingSpeedCategory, "Expedited");
    assert.equal(inSandbox.fulfillmentOrder.fulfillmentAction, "Ship");
    assert.equal(inSandbox.fulfillmentOrder.marketplaceId, STORES.us.marketplaceId);
    assert.match(inSandbox.fulfillmentOrder.displayableOrderId, /^CL-\d{6}$/);
    assert.equal(await page.locator(".order-id").textContent(), inSandbox.fulfillmentOrder.displayableOrderId);
    assert.equal(inSandbox.fulfillmentOrder.destinationAddress.postalCode, "98109");
    assert.deepEqual(
      inSandbox.fulfillmentOrderItems.map((item) => [item.sellerSku, item.quantity]),
      STORES.us.cart.map((line) => [line.sku, line.quantity]),
    );

    assert.equal(await page.locator("#order-speed").getAttribute("data-speed"), "Expedited");
    const tracking = page.locator("mcf-order-status");
    await tracking.locator('[part="status"]').waitFor();
    assert.equal(await tracking.locator('[part="status"]').textContent(), "Order received");
    assert.equal(await tracking.locator('[part~="tracking"]').count(), 0);
    assert.equal(await page.locator("#order-shipping").textContent(), "$12.99");
    assert.equal(await page.locator("#order-total").textContent(), "$76.99");
    await expectAccessible(page, "the order page, received");

    // The sandbox ships the order a few hours after its promised ship date; the element's next look (its refresh,
    // called here rather than waited for) picks it up without a reload.
    await advancePastShipDate(e2e().demo, inSandbox, 6 * HOUR);
    await tracking.evaluate((element) => (element as unknown as { refresh(): Promise<void> }).refresh());
    await tracking.locator('[part~="tracking"]').first().waitFor();
    const progress = await tracking.evaluate((element) => (element as unknown as { progress?: string }).progress);
    assert.ok(progress === "shipped" || progress === "delivered", `progress after shipping: ${progress}`);
    assert.equal(await tracking.locator('[part="package-label"]').first().textContent(), "Package 1");
    assert.match((await tracking.locator('[part~="tracking"]').first().textContent()) ?? "", /\w{6,}/);
    await expectAccessible(page, "the order page, shipped");
    const shipped = await sandboxOrder(e2e().demo, orderId);
    assert.ok((shipped.fulfillmentShipments ?? []).length > 0, "the sandbox has a shipment");
    await screenshot(page, "us-order");
  });

  it("browser flow: element.confirm() creates the order on Hold, and the store's server releases it after payment", async () => {
    const page = await e2e().page();
    await page.goto(`${e2e().demo.urls.stores.us}?flow=browser`);
    await fillAddress(page, "us");
    await waitForOptions(page);
    await tabIntoOptions(page, "Phone");
    await page.keyboard.press("ArrowUp"); // wraps from Standard to Priority
    assert.equal(await checkedLabel(page), "Priority");

    // Record the proxy's answer to the element's POST /v1/orders on its way to the page.
    let createdBody: { action: string; orderId: string; orderToken: string } | undefined;
    let createdWith: string | undefined;
    await page.route(/\/v1\/orders$/, async (route) => {
      createdWith = route.request().headers().authorization;
      const response = await route.fetch();
      createdBody = await response.json();
      await route.fulfill({ response });
    });
    await Promise.all([page.waitForURL(/\/orders\//), page.getByRole("button", { name: "Place order" }).click()]);
    assert.ok(createdBody, "the element created the order");
    assert.equal(createdWith, `Bearer ${e2e().demo.keys.stores.us.publishableKey}`, "with the publishable key");
    assert.equal(createdBody.action, "Hold");
    assert.ok(createdBody.orderToken);

    const orderId = orderIdFrom(page);
    assert.equal(orderId, createdBody.orderId);
    const inSandbox = await sandboxOrder(e2e().demo, orderId);
    assert.equal(inSandbox.fulfillmentOrder.shippingSpeedCategory, "Priority");
    assert.equal(inSandbox.fulfillmentOrder.fulfillmentAction, "Ship", "released after payment");
    assert.equal(await page.locator("#order-speed").getAttribute("data-speed"), "Priority");
  });

  it("an out-of-stock cart shows what cannot be delivered and cannot be ordered", async () => {
    const page = await e2e().page();
    await page.goto(`${e2e().demo.urls.stores.us}?cart=soldout`);
    await fillAddress(page, "us");
    const unfulfillable = deliveryOptions(page).locator('[part="unfulfillable"]');
    await unfulfillable.waitFor();
    // Named by its title, with a reason (the wording of Amazon's reason code is the element's business).
    assert.match((await unfulfillable.textContent()) ?? "", /Canvas Sneaker × 1: \S/);
    assert.equal(await radios(page).count(), 0);
    await screenshot(page, "us-soldout");

    const before = await sandboxOrderCount(e2e().demo);
    const orders: string[] = [];
    page.on("request", (request) => {
      if (request.method() === "POST" && /\/orders/.test(request.url())) orders.push(request.url());
    });
    // The element is a required form control with no value: the browser refuses to submit.
    await expectSubmitRefused(page, "Place order");
    assert.match(page.url(), /\?cart=soldout$/);
    assert.deepEqual(orders, []);
    assert.equal(await sandboxOrderCount(e2e().demo), before);
  });
});
