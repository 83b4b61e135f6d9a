import assert from "node:assert/strict";
import { test } from "node:test";
import { BASE, harness, JP, JP_ADDRESS, scheduledOrderBody } from "./support.ts";

const items = [{ sellerSku: "MATCHA-TIN-100G", sellerFulfillmentOrderItemId: "1", quantity: 2 }];

test("JP Scheduled Delivery round trip: preview → window → create → get", async () => {
  const h = await harness();
  const preview = await h.call("POST", `${BASE}/fulfillmentOrders/preview`, {
    marketplaceId: JP,
    address: JP_ADDRESS,
    items,
    shippingSpeedCategories: ["ScheduledDelivery"],
    includeDeliveryWindows: true,
  });
  assert.equal(preview.status, 200);
  const [scheduled] = preview.body.payload.fulfillmentPreviews;
  assert.equal(scheduled.isFulfillable, true);
  const windows = scheduled.scheduledDeliveryInfo.deliveryWindows;
  // The manual clock starts Mon 5 Jan 2026 18:00 JST, after the 15:00 cut-off: ships the 6th, first windows the 7th.
  assert.deepEqual(windows[0], { startDate: "2026-01-06T23:00:00Z", endDate: "2026-01-07T03:00:00Z" });
  const chosen = windows[3];
  assert.deepEqual(chosen, { startDate: "2026-01-07T09:00:00Z", endDate: "2026-01-07T11:00:00Z" }, "18:00–20:00 JST");

  const body = scheduledOrderBody({
    deliveryWindow: chosen,
    items,
  });
  const created = await h.call("POST", `${BASE}/fulfillmentOrders`, body);
  assert.equal(created.status, 200);
  const got = await h.call("GET", `${BASE}/fulfillmentOrders/${body.sellerFulfillmentOrderId}`);
  assert.equal(got.status, 200);
  const order = got.body.payload.fulfillmentOrder;
  assert.equal(order.shippingSpeedCategory, "ScheduledDelivery");
  assert.deepEqual(order.deliveryWindow, chosen);
  assert.equal(order.marketplaceId, JP);
  assert.equal(order.fulfillmentAction, "Ship");
  // Its promised dates come from the window: it ships the day before and arrives inside the window.
  const [item] = got.body.payload.fulfillmentOrderItems;
  assert.equal(item.estimatedShipDate, "2026-01-06T09:00:00Z", "the day before 18:00 JST on the 7th");
  assert.equal(item.estimatedArrivalDate, chosen.endDate);

  // It waits in Received until it can ship the day before the window (6 Jan 05:00 UTC + 4 h of fulfilment).
  h.clock.advance(19 * 3_600_000);
  const waiting = await h.call("GET", `${BASE}/fulfillmentOrders/${body.sellerFulfillmentOrderId}`);
  assert.equal(waiting.body.payload.fulfillmentOrder.fulfillmentOrderStatus, "Received");
  h.clock.advance(2 * 3_600_000);
  const planning = await h.call("GET", `${BASE}/fulfillmentOrders/${body.sellerFulfillmentOrderId}`);
  assert.equal(planning.body.payload.fulfillmentOrder.fulfillmentOrderStatus, "Planning");
  const pending = planning.body.payload.fulfillmentShipments[0];
  assert.equal(pending.fulfillmentShipmentStatus, "PENDING");
  assert.equal(pending.estimatedArrivalDate, chosen.endDate);
  assert.equal(planning.body.payload.fulfillmentOrderItems[0].estimatedShipDate, "2026-01-06T09:00:00Z");

  // The package is delivered inside the chosen window.
  h.clock.advance(3 * 86_400_000);
  const shipped = await h.call("GET", `${BASE}/fulfillmentOrders/${body.sellerFulfillmentOrderId}`);
  const shipment = shipped.body.payload.fulfillmentShipments[0];
  assert.equal(shipment.shippingDate, "2026-01-06T09:00:00Z");
  const shippedItem = shipped.body.payload.fulfillmentOrderItems[0];
  assert.equal(shippedItem.estimatedShipDate, "2026-01-06T09:00:00Z");
  for (const date of [shippedItem.estimatedArrivalDate, shipment.estimatedArrivalDate]) {
    assert.ok(Date.parse(date) >= Date.parse(chosen.startDate) && Date.parse(date) <= Date.parse(chosen.endDate));
  }
  const pkg = shipment.fulfillmentShipmentPackage[0];
  assert.equal(pkg.carrierCode, "YAMATO");
  const arrival = Date.parse(pkg.estimatedArrivalDate);
  assert.ok(arrival >= Date.parse(chosen.startDate) && arrival <= Date.parse(chosen.endDate));
  const tracking = await h.call("GET", `${BASE}/tracking?packageNumber=${pkg.packageNumber}`);
  assert.deepEqual(tracking.body.payload.deliveryWindow, { earliest: chosen.startDate, latest: chosen.endDate });
  assert.equal(tracking.body.payload.currentStatus, "DELIVERED");
  assert.ok(Date.parse(tracking.body.payload.trackingEvents[0].eventDate) <= Date.parse(chosen.endDate));
});

test("create must match a window exactly; equal instants in another offset are the same window", async () => {
  const h = await harness();
  const create = (deliveryWindow: { startDate: string; endDate: string } | undefined) =>
    h.call(
      "POST",
      `${BASE}/fulfillmentOrders`,
      scheduledOrderBody({
        ...(deliveryWindow ? { deliveryWindow } : {}),
        items,
      }),
    );
  const missing = await create(undefined);
  assert.match(missing.body.errors[0].message, /deliveryWindow is required/);
  const offByAMinute = await create({ startDate: "2026-01-06T23:01:00Z", endDate: "2026-01-07T03:00:00Z" });
  assert.equal(offByAMinute.status, 400);
  assert.match(offByAMinute.body.errors[0].message, /does not match an available delivery window/);
  const wrongSlot = await create({ startDate: "2026-01-06T23:00:00Z", endDate: "2026-01-07T05:00:00Z" });
  assert.equal(wrongSlot.status, 400);
  const tooFar = await create({ startDate: "2026-02-06T23:00:00Z", endDate: "2026-02-07T03:00:00Z" });
  assert.equal(tooFar.status, 400);
  const sameInJst = await create({ startDate: "2026-01-07T08:00:00+09:00", endDate: "2026-01-07T12:00:00+09:00" });
  assert.equal(sameInJst.status, 200);
});
