import assert from "node:assert/strict";
import { test } from "node:test";
import {
  BASE,
  type Harness,
  harness,
  JP,
  JP_ADDRESS,
  orderBody,
  scheduledOrderBody,
  US,
  US_ADDRESS,
} from "./support.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function stock(h: Harness, sku: string, marketplaceId = US) {
  const item = h.app.sandbox.inventory.get(marketplaceId, sku);
  return { fulfillable: item?.fulfillable, reserved: item?.reserved };
}

async function getOrder(h: Harness, id: string) {
  const r = await h.call("GET", `${BASE}/fulfillmentOrders/${id}`);
  assert.equal(r.status, 200);
  return r.body.payload;
}

test("create reserves stock; cancel releases it", async () => {
  const h = await harness();
  const before = stock(h, "MUG-CERAMIC-BLUE");
  const body = orderBody();
  assert.equal((await h.call("POST", `${BASE}/fulfillmentOrders`, body)).status, 200);
  assert.deepEqual(stock(h, "MUG-CERAMIC-BLUE"), { fulfillable: (before.fulfillable ?? 0) - 2, reserved: 2 });
  assert.equal((await h.call("PUT", `${BASE}/fulfillmentOrders/${body.sellerFulfillmentOrderId}/cancel`)).status, 200);
  assert.deepEqual(stock(h, "MUG-CERAMIC-BLUE"), before);
  const order = await getOrder(h, body.sellerFulfillmentOrderId);
  assert.equal(order.fulfillmentOrder.fulfillmentOrderStatus, "Cancelled");
  assert.equal(order.fulfillmentOrderItems[0].cancelledQuantity, 2);
  assert.equal(order.fulfillmentShipments, undefined, "cancelled before planning: no shipment");
  // A second cancel is harmless and releases nothing twice.
  assert.equal((await h.call("PUT", `${BASE}/fulfillmentOrders/${body.sellerFulfillmentOrderId}/cancel`)).status, 200);
  assert.deepEqual(stock(h, "MUG-CERAMIC-BLUE"), before);
});

test("Hold reserves too, stays Received, and Ship via update starts the lifecycle", async () => {
  const h = await harness();
  const body = orderBody({ fulfillmentAction: "Hold" });
  await h.call("POST", `${BASE}/fulfillmentOrders`, body);
  assert.equal(stock(h, "MUG-CERAMIC-BLUE").reserved, 2);
  h.clock.advance(4 * DAY); // Friday, before the cut-off: it can ship today

  assert.equal((await getOrder(h, body.sellerFulfillmentOrderId)).fulfillmentOrder.fulfillmentOrderStatus, "Received");
  const update = await h.call("PUT", `${BASE}/fulfillmentOrders/${body.sellerFulfillmentOrderId}`, {
    fulfillmentAction: "Ship",
  });
  assert.equal(update.status, 200);
  h.clock.advance(HOUR);
  const order = await getOrder(h, body.sellerFulfillmentOrderId);
  assert.equal(order.fulfillmentOrder.fulfillmentOrderStatus, "Planning");
  assert.equal(order.fulfillmentOrder.fulfillmentAction, "Ship");
  const again = await h.call("PUT", `${BASE}/fulfillmentOrders/${body.sellerFulfillmentOrderId}`, {
    displayableOrderComment: "x",
  });
  assert.equal(again.status, 400);
  assert.match(again.body.errors[0].message, /not on hold/);
});

test("a Hold auto-cancels after 14 days and releases its stock", async () => {
  const h = await harness();
  const before = stock(h, "MUG-CERAMIC-BLUE");
  const body = orderBody({ fulfillmentAction: "Hold" });
  await h.call("POST", `${BASE}/fulfillmentOrders`, body);
  h.clock.advance(14 * DAY - 1000);
  assert.equal((await getOrder(h, body.sellerFulfillmentOrderId)).fulfillmentOrder.fulfillmentOrderStatus, "Received");
  h.clock.advance(1000);
  const order = await getOrder(h, body.sellerFulfillmentOrderId);
  assert.equal(order.fulfillmentOrder.fulfillmentOrderStatus, "Cancelled");
  assert.equal(order.fulfillmentOrder.statusUpdatedDate, new Date(h.clock.now()).toISOString().replace(".000Z", "Z"));
  assert.deepEqual(stock(h, "MUG-CERAMIC-BLUE"), before);
});

test("Hold is refused with ScheduledDelivery", async () => {
  const h = await harness();
  const r = await h.call(
    "POST",
    `${BASE}/fulfillmentOrders`,
    scheduledOrderBody({
      fulfillmentAction: "Hold",
      deliveryWindow: { startDate: "2026-01-06T23:00:00Z", endDate: "2026-01-07T03:00:00Z" },
    }),
  );
  assert.equal(r.status, 400);
  assert.match(r.body.errors[0].message, /Hold is not allowed when shippingSpeedCategory is ScheduledDelivery/);
});

test("lifecycle Received → Planning → Processing → Complete with shipment, package, carrier and tracking", async () => {
  const h = await harness();
  const body = orderBody();
  await h.call("POST", `${BASE}/fulfillmentOrders`, body);
  const statuses: string[] = [];
  let order = await getOrder(h, body.sellerFulfillmentOrderId);
  statuses.push(order.fulfillmentOrder.fulfillmentOrderStatus);
  assert.equal(order.fulfillmentShipments, undefined);
  h.clock.advance(HOUR);
  order = await getOrder(h, body.sellerFulfillmentOrderId);
  statuses.push(order.fulfillmentOrder.fulfillmentOrderStatus);
  assert.equal(order.fulfillmentShipments[0].fulfillmentShipmentStatus, "PENDING");
  h.clock.advance(2 * HOUR);
  order = await getOrder(h, body.sellerFulfillmentOrderId);
  statuses.push(order.fulfillmentOrder.fulfillmentOrderStatus);
  const cancel = await h.call("PUT", `${BASE}/fulfillmentOrders/${body.sellerFulfillmentOrderId}/cancel`);
  assert.equal(cancel.status, 400, "Processing orders cannot be cancelled");
  h.clock.advance(2 * HOUR);
  order = await getOrder(h, body.sellerFulfillmentOrderId);
  statuses.push(order.fulfillmentOrder.fulfillmentOrderStatus);
  assert.deepEqual(statuses, ["Received", "Planning", "Processing", "Complete"]);
  const shipment = order.fulfillmentShipments[0];
  assert.equal(shipment.fulfillmentShipmentStatus, "SHIPPED");
  const pkg = shipment.fulfillmentShipmentPackage[0];
  assert.equal(pkg.carrierCode, "USPS");
  assert.match(pkg.trackingNumber, /^9400\d{10}$/);
  assert.equal(stock(h, "MUG-CERAMIC-BLUE").reserved, 0);

  let tracking = await h.call("GET", `${BASE}/tracking?packageNumber=${pkg.packageNumber}`);
  assert.equal(tracking.status, 200);
  assert.equal(tracking.body.payload.currentStatus, "IN_TRANSIT");
  const early = tracking.body.payload.trackingEvents.length;
  h.clock.advance(10 * DAY);
  tracking = await h.call("GET", `${BASE}/tracking?packageNumber=${pkg.packageNumber}`);
  assert.equal(tracking.body.payload.currentStatus, "DELIVERED");
  assert.ok(tracking.body.payload.trackingEvents.length > early);
  assert.equal(tracking.body.payload.trackingEvents[0].eventCode, "EVENT_301");
  const missing = await h.call("GET", `${BASE}/tracking?packageNumber=999999`);
  assert.equal(missing.status, 400);
  const bad = await h.call("GET", `${BASE}/tracking?packageNumber=abc`);
  assert.match(bad.body.errors[0].message, /packageNumber must be an integer/);
});

test("create beyond stock (FillOrKill) is a 400 naming the SKU and reserves nothing", async () => {
  const h = await harness();
  const before = stock(h, "LIMITED-PRINT-A3");
  const r = await h.call(
    "POST",
    `${BASE}/fulfillmentOrders`,
    orderBody({
      items: [
        { sellerSku: "MUG-CERAMIC-BLUE", sellerFulfillmentOrderItemId: "a", quantity: 1 },
        { sellerSku: "LIMITED-PRINT-A3", sellerFulfillmentOrderItemId: "b", quantity: 3 },
      ],
    }),
  );
  assert.equal(r.status, 400);
  assert.match(
    r.body.errors[0].message,
    /Insufficient inventory for sellerSku 'LIMITED-PRINT-A3': requested 3, available 2/,
  );
  assert.deepEqual(stock(h, "LIMITED-PRINT-A3"), before);
  assert.equal(stock(h, "MUG-CERAMIC-BLUE").reserved, 0);
});

test("a duplicate sellerFulfillmentOrderId is a 400", async () => {
  const h = await harness();
  const body = orderBody();
  await h.call("POST", `${BASE}/fulfillmentOrders`, body);
  const r = await h.call("POST", `${BASE}/fulfillmentOrders`, body);
  assert.equal(r.status, 400);
  assert.match(r.body.errors[0].message, /already exists/);
  assert.equal(stock(h, "MUG-CERAMIC-BLUE").reserved, 2);
});

test("a retried create reports the duplicate before rules that changed since (stock, window, address)", async () => {
  const h = await harness();
  const sold = orderBody({
    items: [{ sellerSku: "LIMITED-PRINT-A3", sellerFulfillmentOrderItemId: "1", quantity: 2 }],
  });
  assert.equal((await h.call("POST", `${BASE}/fulfillmentOrders`, sold)).status, 200);
  const retried = await h.call("POST", `${BASE}/fulfillmentOrders`, sold); // the stock is gone now
  assert.equal(retried.status, 400);
  assert.match(retried.body.errors[0].message, /already exists/);
  assert.equal(retried.body.errors[0].details, "DuplicateRequest");
  const elsewhere = await h.call("POST", `${BASE}/fulfillmentOrders`, {
    ...sold,
    destinationAddress: { ...US_ADDRESS, postalCode: "nope" },
  });
  assert.equal(elsewhere.body.errors[0].details, "DuplicateRequest");

  const preview = await h.call("POST", `${BASE}/fulfillmentOrders/preview`, {
    marketplaceId: JP,
    address: JP_ADDRESS,
    items: [{ sellerSku: "MATCHA-TIN-100G", sellerFulfillmentOrderItemId: "1", quantity: 1 }],
    shippingSpeedCategories: ["ScheduledDelivery"],
    includeDeliveryWindows: true,
  });
  const window = preview.body.payload.fulfillmentPreviews[0].scheduledDeliveryInfo.deliveryWindows[0];
  const scheduled = scheduledOrderBody({ deliveryWindow: window });
  assert.equal((await h.call("POST", `${BASE}/fulfillmentOrders`, scheduled)).status, 200);
  h.clock.advance(10 * DAY); // the window is no longer offered
  const late = await h.call("POST", `${BASE}/fulfillmentOrders`, scheduled);
  assert.equal(late.body.errors.length, 1);
  assert.equal(late.body.errors[0].details, "DuplicateRequest");
});

test("FillAllAvailable ships what is available and cancels the rest: CompletePartialled", async () => {
  const h = await harness();
  const body = orderBody({
    fulfillmentPolicy: "FillAllAvailable",
    items: [
      { sellerSku: "MUG-CERAMIC-BLUE", sellerFulfillmentOrderItemId: "a", quantity: 1 },
      { sellerSku: "LIMITED-PRINT-A3", sellerFulfillmentOrderItemId: "b", quantity: 3 },
    ],
  });
  assert.equal((await h.call("POST", `${BASE}/fulfillmentOrders`, body)).status, 200);
  let order = await getOrder(h, body.sellerFulfillmentOrderId);
  // The model: "All unfulfillable items in the order are cancelled."
  assert.equal(order.fulfillmentOrderItems[1].cancelledQuantity, 1);
  assert.equal(order.fulfillmentOrderItems[1].unfulfillableQuantity, 0);
  assert.equal(order.fulfillmentShipments, undefined);
  h.clock.advance(HOUR);
  order = await getOrder(h, body.sellerFulfillmentOrderId);
  assert.deepEqual(
    order.fulfillmentShipments[0].fulfillmentShipmentItem.map((i: { quantity: number }) => i.quantity),
    [1, 2],
    "the pending shipment holds only what will ship",
  );
  h.clock.advance(4 * HOUR);
  order = await getOrder(h, body.sellerFulfillmentOrderId);
  assert.equal(order.fulfillmentOrder.fulfillmentOrderStatus, "CompletePartialled");
  assert.deepEqual(
    order.fulfillmentShipments[0].fulfillmentShipmentItem.map((i: { quantity: number }) => i.quantity),
    [1, 2],
  );
  assert.deepEqual(stock(h, "LIMITED-PRINT-A3"), { fulfillable: 0, reserved: 0 });
});

test("FillAllAvailable with nothing in stock is Unfulfillable", async () => {
  const h = await harness();
  const body = orderBody({
    fulfillmentPolicy: "FillAllAvailable",
    items: [{ sellerSku: "SOLDOUT-SNEAKER-42", sellerFulfillmentOrderItemId: "a", quantity: 1 }],
  });
  await h.call("POST", `${BASE}/fulfillmentOrders`, body);
  assert.equal(
    (await getOrder(h, body.sellerFulfillmentOrderId)).fulfillmentOrder.fulfillmentOrderStatus,
    "Unfulfillable",
  );
});

test("FillAll ships what is available, stays Processing, then CompletePartialled after 24 hours", async () => {
  const h = await harness();
  const body = orderBody({
    fulfillmentPolicy: "FillAll",
    items: [{ sellerSku: "LIMITED-PRINT-A3", sellerFulfillmentOrderItemId: "b", quantity: 3 }],
  });
  await h.call("POST", `${BASE}/fulfillmentOrders`, body);
  h.clock.advance(5 * HOUR);
  let order = await getOrder(h, body.sellerFulfillmentOrderId);
  assert.equal(order.fulfillmentOrder.fulfillmentOrderStatus, "Processing");
  assert.equal(
    Date.parse(order.fulfillmentOrder.statusUpdatedDate),
    Date.parse(order.fulfillmentOrder.receivedDate) + 2 * HOUR,
    "Processing began two hours in, even though nobody looked until five",
  );
  assert.equal(order.fulfillmentShipments[0].fulfillmentShipmentItem[0].quantity, 2);
  h.clock.advance(20 * HOUR);
  order = await getOrder(h, body.sellerFulfillmentOrderId);
  assert.equal(order.fulfillmentOrder.fulfillmentOrderStatus, "CompletePartialled");
  assert.equal(order.fulfillmentOrderItems[0].unfulfillableQuantity, 1);
});

test("FillAll picks up stock that arrives before shipping", async () => {
  const h = await harness();
  const body = orderBody({
    fulfillmentPolicy: "FillAll",
    items: [{ sellerSku: "LIMITED-PRINT-A3", sellerFulfillmentOrderItemId: "b", quantity: 3 }],
  });
  await h.call("POST", `${BASE}/fulfillmentOrders`, body);
  h.app.sandbox.inventory.add(US, "LIMITED-PRINT-A3", 5, h.clock.now());
  h.clock.advance(5 * HOUR);
  const order = await getOrder(h, body.sellerFulfillmentOrderId);
  assert.equal(order.fulfillmentOrder.fulfillmentOrderStatus, "Complete");
  assert.equal(order.fulfillmentShipments[0].fulfillmentShipmentItem[0].quantity, 3);
});

test("create validation: displayableOrderId rules, lengths, unknown SKU, speeds, COD, window", async () => {
  const h = await harness();
  const expect400 = async (overrides: Record<string, unknown>, pattern: RegExp) => {
    const r = await h.call("POST", `${BASE}/fulfillmentOrders`, orderBody(overrides));
    assert.equal(r.status, 400, JSON.stringify(overrides));
    assert.match(r.body.errors.map((e: { message: string }) => e.message).join("\n"), pattern);
  };
  await expect400({ displayableOrderId: "A  B" }, /cannot contain two spaces in a row/);
  await expect400({ displayableOrderId: "   " }, /displayableOrderId must not be empty/);
  await expect400(
    { destinationAddress: { ...US_ADDRESS, addressLine1: "" } },
    /destinationAddress\.addressLine1 must not be empty/,
  );
  await expect400({ displayableOrderId: "注文123" }, /ISO 8859-1/);
  await expect400({ displayableOrderId: "X".repeat(41) }, /displayableOrderId exceeds the maximum length of 40/);
  // The model's maxLength 40 applies to the value as sent; trimming only happens to what passes it.
  await expect400(
    { displayableOrderId: `  ${"X".repeat(39)}  ` },
    /displayableOrderId exceeds the maximum length of 40/,
  );
  await expect400(
    { sellerFulfillmentOrderId: "X".repeat(41) },
    /sellerFulfillmentOrderId exceeds the maximum length of 40/,
  );
  await expect400(
    { displayableOrderComment: "c".repeat(751) },
    /displayableOrderComment exceeds the maximum length of 750/,
  );
  await expect400({ displayableOrderComment: undefined }, /displayableOrderComment is required/);
  await expect400({ displayableOrderDate: "yesterday" }, /displayableOrderDate must be an ISO 8601 date-time/);
  await expect400(
    {
      items: [
        { sellerSku: "MUG-CERAMIC-BLUE", sellerFulfillmentOrderItemId: "1", quantity: 1, giftMessage: "g".repeat(513) },
      ],
    },
    /items\[0\]\.giftMessage exceeds the maximum length of 512/,
  );
  await expect400(
    {
      items: [
        {
          sellerSku: "MUG-CERAMIC-BLUE",
          sellerFulfillmentOrderItemId: "1",
          quantity: 1,
          displayableComment: "d".repeat(251),
        },
      ],
    },
    /items\[0\]\.displayableComment exceeds the maximum length of 250/,
  );
  await expect400(
    { items: [{ sellerSku: "GHOST", sellerFulfillmentOrderItemId: "1", quantity: 1 }] },
    /'GHOST' is not a valid SKU/,
  );
  await expect400({ shippingSpeedCategory: "ScheduledDelivery" }, /only supported in the JP marketplace/);
  await expect400({ codSettings: { isCodRequired: true } }, /codSettings is only supported in the JP marketplace/);
  await expect400(
    { deliveryWindow: { startDate: "2026-01-06T23:00:00Z", endDate: "2026-01-07T03:00:00Z" } },
    /deliveryWindow is only supported/,
  );
  await expect400(
    { destinationAddress: { name: "x", addressLine1: "y", postalCode: "1", countryCode: "US" } },
    /postalCode '1' is not a valid postal code/,
  );
  await expect400({ notificationEmails: ["not-an-email"] }, /notificationEmails\[0\]/);
  const trimmed = orderBody({ displayableOrderId: "  SHOP 1  " });
  assert.equal((await h.call("POST", `${BASE}/fulfillmentOrders`, trimmed)).status, 200);
  assert.equal((await getOrder(h, trimmed.sellerFulfillmentOrderId)).fulfillmentOrder.displayableOrderId, "SHOP 1");
});

test("COD orders in JP carry their codSettings", async () => {
  const h = await harness();
  const body = orderBody({
    marketplaceId: JP,
    destinationAddress: JP_ADDRESS,
    items: [{ sellerSku: "MATCHA-TIN-100G", sellerFulfillmentOrderItemId: "1", quantity: 1 }],
    codSettings: { isCodRequired: true, codCharge: { currencyCode: "JPY", value: "330" } },
  });
  assert.equal((await h.call("POST", `${BASE}/fulfillmentOrders`, body)).status, 200);
  const order = await getOrder(h, body.sellerFulfillmentOrderId);
  assert.equal(order.fulfillmentOrder.codSettings.isCodRequired, true);
});

test("update on hold: quantities re-reserve all-or-nothing; unknown lines are refused", async () => {
  const h = await harness();
  const body = orderBody({
    fulfillmentAction: "Hold",
    items: [{ sellerSku: "LIMITED-PRINT-A3", sellerFulfillmentOrderItemId: "a", quantity: 1 }],
  });
  await h.call("POST", `${BASE}/fulfillmentOrders`, body);
  const path = `${BASE}/fulfillmentOrders/${body.sellerFulfillmentOrderId}`;
  const tooMany = await h.call("PUT", path, {
    items: [{ sellerFulfillmentOrderItemId: "a", quantity: 5 }],
    displayableOrderComment: "new",
  });
  assert.equal(tooMany.status, 400);
  assert.equal(
    (await getOrder(h, body.sellerFulfillmentOrderId)).fulfillmentOrder.displayableOrderComment,
    "Thank you for your order",
  );
  assert.deepEqual(stock(h, "LIMITED-PRINT-A3"), { fulfillable: 1, reserved: 1 });
  assert.equal(
    (await h.call("PUT", path, { items: [{ sellerFulfillmentOrderItemId: "a", quantity: 2 }] })).status,
    200,
  );
  assert.deepEqual(stock(h, "LIMITED-PRINT-A3"), { fulfillable: 0, reserved: 2 });
  const unknown = await h.call("PUT", path, { items: [{ sellerFulfillmentOrderItemId: "zzz", quantity: 1 }] });
  assert.match(unknown.body.errors[0].message, /'zzz' is not in the order/);
  const missing = await h.call("PUT", `${BASE}/fulfillmentOrders/NOPE`, { displayableOrderComment: "x" });
  assert.equal(missing.status, 400);
  assert.equal(missing.body.errors[0].message, "Requested order not found");
});

test("submitFulfillmentOrderStatusUpdate moves sandbox orders", async () => {
  const h = await harness();
  const a = orderBody();
  await h.call("POST", `${BASE}/fulfillmentOrders`, a);
  const path = `${BASE}/fulfillmentOrders/${a.sellerFulfillmentOrderId}/status`;
  assert.equal((await h.call("PUT", path, { fulfillmentOrderStatus: "Processing" })).status, 200);
  assert.equal((await getOrder(h, a.sellerFulfillmentOrderId)).fulfillmentOrder.fulfillmentOrderStatus, "Processing");
  assert.equal((await h.call("PUT", path, { fulfillmentOrderStatus: "Complete" })).status, 200);
  const done = await getOrder(h, a.sellerFulfillmentOrderId);
  assert.equal(done.fulfillmentOrder.fulfillmentOrderStatus, "Complete");
  assert.equal(done.fulfillmentShipments[0].fulfillmentShipmentStatus, "SHIPPED");
  const again = await h.call("PUT", path, { fulfillmentOrderStatus: "Planning" });
  assert.match(again.body.errors[0].message, /already Complete/);
  const b = orderBody();
  await h.call("POST", `${BASE}/fulfillmentOrders`, b);
  await h.call("PUT", `${BASE}/fulfillmentOrders/${b.sellerFulfillmentOrderId}/status`, {
    fulfillmentOrderStatus: "Unfulfillable",
  });
  assert.equal(
    (await getOrder(h, b.sellerFulfillmentOrderId)).fulfillmentOrder.fulfillmentOrderStatus,
    "Unfulfillable",
  );
  assert.equal(stock(h, "MUG-CERAMIC-BLUE").reserved, 0, "an unfulfillable order gives its stock back");
  const bad = await h.call("PUT", `${BASE}/fulfillmentOrders/${b.sellerFulfillmentOrderId}/status`, {
    fulfillmentOrderStatus: "Shipped",
  });
  assert.match(bad.body.errors[0].message, /fulfillmentOrderStatus must be one of/);
});

test("listAllFulfillmentOrders pages with nextToken and filters by queryStartDate", async () => {
  const h = await harness({ pageSize: 2 });
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) {
    const body = orderBody({ items: [{ sellerSku: "TEE-ORGANIC-M", sellerFulfillmentOrderItemId: "1", quantity: 1 }] });
    ids.push(body.sellerFulfillmentOrderId);
    await h.call("POST", `${BASE}/fulfillmentOrders`, body);
    h.clock.advance(1000);
  }
  const seen: string[] = [];
  let token: string | undefined;
  do {
    const r = await h.call("GET", `${BASE}/fulfillmentOrders${token ? `?nextToken=${encodeURIComponent(token)}` : ""}`);
    assert.equal(r.status, 200);
    seen.push(
      ...r.body.payload.fulfillmentOrders.map((o: { sellerFulfillmentOrderId: string }) => o.sellerFulfillmentOrderId),
    );
    token = r.body.payload.nextToken;
  } while (token);
  assert.deepEqual(seen, ids);
  const since = new Date(h.clock.now() - 2500).toISOString();
  const recent = await h.call("GET", `${BASE}/fulfillmentOrders?queryStartDate=${since}`);
  assert.deepEqual(
    recent.body.payload.fulfillmentOrders.map((o: { sellerFulfillmentOrderId: string }) => o.sellerFulfillmentOrderId),
    ids.slice(3),
  );
  const bad = await h.call("GET", `${BASE}/fulfillmentOrders?nextToken=garbage`);
  assert.equal(bad.status, 400);
});

test("returns: reason codes, a return of a shipped item, invalid items explained", async () => {
  const h = await harness();
  const body = orderBody();
  await h.call("POST", `${BASE}/fulfillmentOrders`, body);
  const codes = await h.call("GET", `${BASE}/returnReasonCodes?sellerSku=MUG-CERAMIC-BLUE&marketplaceId=${US}`);
  assert.equal(codes.status, 200);
  const reason = codes.body.payload.reasonCodeDetails[0].returnReasonCode;
  const ja = await h.call(
    "GET",
    `${BASE}/returnReasonCodes?sellerSku=MATCHA-TIN-100G&marketplaceId=${JP}&language=ja_JP`,
  );
  assert.ok(ja.body.payload.reasonCodeDetails[0].translatedDescription);
  const noMarketplace = await h.call("GET", `${BASE}/returnReasonCodes?sellerSku=MUG-CERAMIC-BLUE`);
  assert.equal(noMarketplace.status, 400);
  const path = `${BASE}/fulfillmentOrders/${body.sellerFulfillmentOrderId}/return`;
  const order = await getOrder(h, body.sellerFulfillmentOrderId);
  const early = await h.call("PUT", path, {
    items: [
      {
        sellerReturnItemId: "r1",
        sellerFulfillmentOrderItemId: "line-1",
        amazonShipmentId: order.fulfillmentShipments?.[0]?.amazonShipmentId ?? "D00000001",
        returnReasonCode: reason,
      },
    ],
  });
  assert.equal(
    early.body.payload.invalidReturnItems[0].invalidItemReason.invalidItemReasonCode,
    "NoCompletedShipItems",
  );
  h.clock.advance(5 * HOUR);
  const shipped = await getOrder(h, body.sellerFulfillmentOrderId);
  const shipmentId = shipped.fulfillmentShipments[0].amazonShipmentId;
  const r = await h.call("PUT", path, {
    items: [
      {
        sellerReturnItemId: "r2",
        sellerFulfillmentOrderItemId: "line-1",
        amazonShipmentId: shipmentId,
        returnReasonCode: reason,
      },
      {
        sellerReturnItemId: "r3",
        sellerFulfillmentOrderItemId: "line-1",
        amazonShipmentId: shipmentId,
        returnReasonCode: "BOGUS",
      },
      {
        sellerReturnItemId: "r2",
        sellerFulfillmentOrderItemId: "line-1",
        amazonShipmentId: shipmentId,
        returnReasonCode: reason,
      },
    ],
  });
  assert.equal(r.status, 200);
  assert.equal(r.body.payload.returnItems.length, 1);
  assert.deepEqual(
    r.body.payload.invalidReturnItems.map(
      (i: { invalidItemReason: { invalidItemReasonCode: string } }) => i.invalidItemReason.invalidItemReasonCode,
    ),
    ["InvalidValues", "DuplicateRequest"],
  );
  assert.equal(r.body.payload.returnAuthorizations.length, 1);
  const after = await getOrder(h, body.sellerFulfillmentOrderId);
  assert.equal(after.returnItems.length, 1);
  assert.equal(after.returnAuthorizations.length, 1);
});

test("features: list, inventory paging, per-SKU eligibility", async () => {
  const h = await harness({ pageSize: 3 });
  const features = await h.call("GET", `${BASE}/features?marketplaceId=${US}`);
  assert.deepEqual(
    features.body.payload.features.map((f: { featureName: string }) => f.featureName),
    ["BLANK_BOX", "BLOCK_AMZL", "SIGNATURE_CONFIRMATION"],
  );
  const skus: string[] = [];
  let token: string | undefined;
  do {
    const r = await h.call(
      "GET",
      `${BASE}/features/inventory/BLANK_BOX?marketplaceId=${US}${token ? `&nextToken=${encodeURIComponent(token)}` : ""}`,
    );
    assert.equal(r.status, 200);
    skus.push(...r.body.payload.featureSkus.map((s: { sellerSku: string }) => s.sellerSku));
    token = r.body.payload.nextToken;
  } while (token);
  assert.equal(skus.length, 7, "every in-stock demo SKU in the US");
  const sku = await h.call("GET", `${BASE}/features/inventory/BLANK_BOX/SOLDOUT-SNEAKER-42?marketplaceId=${US}`);
  assert.equal(sku.body.payload.isEligible, false);
  // The model's reasons: MERCHANT_NOT_ENROLLED, SKU_NOT_ELIGIBLE, INVALID_SKU.
  assert.deepEqual(sku.body.payload.ineligibleReasons, ["SKU_NOT_ELIGIBLE"]);
  const noSku = await h.call("GET", `${BASE}/features/inventory/BLANK_BOX/NO-SUCH-SKU?marketplaceId=${US}`);
  assert.deepEqual(noSku.body.payload.ineligibleReasons, ["INVALID_SKU"]);
  const unknownFeature = await h.call("GET", `${BASE}/features/inventory/TELEPORT?marketplaceId=${US}`);
  assert.equal(unknownFeature.status, 400);
  const noMarketplace = await h.call("GET", `${BASE}/features`);
  assert.match(noMarketplace.body.errors[0].message, /marketplaceId is required/);
});

test("money must be a decimal in the marketplace currency; update can change prices", async () => {
  const h = await harness();
  const wrongCurrency = await h.call(
    "POST",
    `${BASE}/fulfillmentOrders`,
    orderBody({
      items: [
        {
          sellerSku: "MUG-CERAMIC-BLUE",
          sellerFulfillmentOrderItemId: "1",
          quantity: 1,
          perUnitPrice: { currencyCode: "JPY", value: "1200" },
        },
      ],
    }),
  );
  assert.equal(wrongCurrency.status, 400);
  assert.match(wrongCurrency.body.errors[0].message, /items\[0\]\.perUnitPrice\.currencyCode must be USD/);
  const notDecimal = await h.call("POST", `${BASE}/fulfillmentOrders/preview`, {
    address: { name: "a", addressLine1: "b", postalCode: "98109", countryCode: "US" },
    items: [
      {
        sellerSku: "MUG-CERAMIC-BLUE",
        sellerFulfillmentOrderItemId: "1",
        quantity: 1,
        perUnitDeclaredValue: { currencyCode: "USD", value: "12,50" },
      },
    ],
  });
  assert.match(
    notDecimal.body.errors[0].message,
    /items\[0\]\.perUnitDeclaredValue\.value must be a non-negative decimal/,
  );
  const held = orderBody({ fulfillmentAction: "Hold" });
  await h.call("POST", `${BASE}/fulfillmentOrders`, held);
  const price = { currencyCode: "USD", value: "19.99" };
  const update = await h.call("PUT", `${BASE}/fulfillmentOrders/${held.sellerFulfillmentOrderId}`, {
    items: [
      { sellerFulfillmentOrderItemId: "line-1", quantity: 2, perUnitPrice: price, giftMessage: "Happy birthday" },
    ],
  });
  assert.equal(update.status, 200);
  const [item] = (await getOrder(h, held.sellerFulfillmentOrderId)).fulfillmentOrderItems;
  assert.deepEqual(item.perUnitPrice, price);
  assert.equal(item.giftMessage, "Happy birthday");
});

test("FillAll with nothing in stock waits in Processing and ships when stock arrives within 24 hours", async () => {
  const h = await harness();
  const body = orderBody({
    fulfillmentPolicy: "FillAll",
    fulfillmentAction: "Hold",
    items: [{ sellerSku: "SOLDOUT-SNEAKER-42", sellerFulfillmentOrderItemId: "a", quantity: 1 }],
  });
  await h.call("POST", `${BASE}/fulfillmentOrders`, body);
  h.clock.advance(2 * DAY);
  await h.call("PUT", `${BASE}/fulfillmentOrders/${body.sellerFulfillmentOrderId}`, { fulfillmentAction: "Ship" });
  h.clock.advance(10 * HOUR);
  let order = await getOrder(h, body.sellerFulfillmentOrderId);
  assert.equal(
    order.fulfillmentOrder.fulfillmentOrderStatus,
    "Processing",
    "the 24 hours run from release, not creation",
  );
  assert.equal(order.fulfillmentShipments[0].fulfillmentShipmentStatus, "PENDING");
  h.app.sandbox.inventory.add(US, "SOLDOUT-SNEAKER-42", 1, h.clock.now());
  const arrived = h.clock.now();
  order = await getOrder(h, body.sellerFulfillmentOrderId);
  assert.equal(order.fulfillmentOrder.fulfillmentOrderStatus, "Complete");
  assert.equal(Date.parse(order.fulfillmentShipments[0].shippingDate), arrived, "ships when the stock arrived");
  assert.equal(Date.parse(order.fulfillmentOrder.statusUpdatedDate), arrived);
});

/** A held order for `quantity` LIMITED-PRINT-A3 (2 in stock) under `policy`, with a way to resize its line. */
async function heldPrints(h: Harness, policy: string, quantity: number) {
  const body = orderBody({
    fulfillmentAction: "Hold",
    fulfillmentPolicy: policy,
    items: [{ sellerSku: "LIMITED-PRINT-A3", sellerFulfillmentOrderItemId: "a", quantity }],
  });
  assert.equal((await h.call("POST", `${BASE}/fulfillmentOrders`, body)).status, 200);
  const path = `${BASE}/fulfillmentOrders/${body.sellerFulfillmentOrderId}`;
  return {
    id: body.sellerFulfillmentOrderId,
    resize: async (to: number) => {
      const r = await h.call("PUT", path, { items: [{ sellerFulfillmentOrderItemId: "a", quantity: to }] });
      assert.equal(r.status, 200);
      return stock(h, "LIMITED-PRINT-A3");
    },
    /** Releases it, lets it ship and returns how many units shipped. */
    ship: async () => {
      assert.equal((await h.call("PUT", path, { fulfillmentAction: "Ship" })).status, 200);
      h.clock.advance(5 * HOUR);
      const order = await getOrder(h, body.sellerFulfillmentOrderId);
      assert.equal(order.fulfillmentOrder.fulfillmentOrderStatus, "Complete");
      return order.fulfillmentShipments[0].fulfillmentShipmentItem[0].quantity;
    },
  };
}

test("update on hold lowers a partly reserved FillAll line by what it holds, never other orders' units", async () => {
  const h = await harness();
  const other = orderBody({
    fulfillmentAction: "Hold",
    items: [{ sellerSku: "LIMITED-PRINT-A3", sellerFulfillmentOrderItemId: "x", quantity: 1 }],
  });
  await h.call("POST", `${BASE}/fulfillmentOrders`, other);
  const held = await heldPrints(h, "FillAll", 5);
  assert.deepEqual(stock(h, "LIMITED-PRINT-A3"), { fulfillable: 0, reserved: 2 });
  // The line holds 1 of 5: lowering it to 3 releases nothing, and the other order keeps its unit.
  assert.deepEqual(await held.resize(3), { fulfillable: 0, reserved: 2 });
  // Cancelling the other order frees its unit; the FillAll line at 1 is already whole.
  await h.call("PUT", `${BASE}/fulfillmentOrders/${other.sellerFulfillmentOrderId}/cancel`);
  assert.deepEqual(await held.resize(1), { fulfillable: 1, reserved: 1 });
  assert.equal(await held.ship(), 1);
  assert.deepEqual(stock(h, "LIMITED-PRINT-A3"), { fulfillable: 1, reserved: 0 });
});

test("update on hold: FillAll stock 2, quantity 5 lowered to 1 leaves 1 fulfillable, 1 reserved, and ships 1", async () => {
  const h = await harness();
  const held = await heldPrints(h, "FillAll", 5);
  assert.deepEqual(stock(h, "LIMITED-PRINT-A3"), { fulfillable: 0, reserved: 2 });
  assert.deepEqual(await held.resize(1), { fulfillable: 1, reserved: 1 });
  // Raising a FillAll line takes what there is, without refusing.
  assert.deepEqual(await held.resize(4), { fulfillable: 0, reserved: 2 });
  assert.deepEqual(await held.resize(1), { fulfillable: 1, reserved: 1 });
  assert.equal(await held.ship(), 1);
  assert.deepEqual(stock(h, "LIMITED-PRINT-A3"), { fulfillable: 1, reserved: 0 });
});

test("update on hold: a FillAllAvailable line lowered below its shortfall keeps its reservation, cancels the rest", async () => {
  const h = await harness();
  const held = await heldPrints(h, "FillAllAvailable", 5);
  assert.deepEqual(await held.resize(3), { fulfillable: 0, reserved: 2 });
  const item = (await getOrder(h, held.id)).fulfillmentOrderItems[0];
  assert.equal(item.quantity, 3);
  assert.equal(item.cancelledQuantity, 1);
  assert.equal(item.unfulfillableQuantity, 0);
});

test("Inventory.release refuses to free more than is reserved", async () => {
  const h = await harness();
  const inventory = h.app.sandbox.inventory;
  assert.throws(() => inventory.release(US, "LIMITED-PRINT-A3", 1, 0), /reserved/);
  assert.deepEqual(stock(h, "LIMITED-PRINT-A3"), { fulfillable: 2, reserved: 0 });
});

test("an order ships no earlier than the ship date its preview promised (weekend, after the cut-off)", async () => {
  for (const [placed, label] of [
    [Date.UTC(2026, 0, 10, 15, 0), "Saturday 10:00 New York"],
    [Date.UTC(2026, 0, 6, 21, 0), "Tuesday 16:00 New York, after the 14:00 cut-off"],
  ] as const) {
    const h = await harness();
    h.clock.set(placed);
    const preview = await h.call("POST", `${BASE}/fulfillmentOrders/preview`, {
      address: US_ADDRESS,
      items: [{ sellerSku: "MUG-CERAMIC-BLUE", sellerFulfillmentOrderItemId: "1", quantity: 1 }],
      shippingSpeedCategories: ["Standard"],
    });
    const promised = preview.body.payload.fulfillmentPreviews[0].fulfillmentPreviewShipments[0].earliestShipDate;
    assert.ok(Date.parse(promised) > placed + 5 * HOUR, `${label}: preview promises a later ship day`);
    const body = orderBody();
    await h.call("POST", `${BASE}/fulfillmentOrders`, body);
    let order = await getOrder(h, body.sellerFulfillmentOrderId);
    assert.equal(order.fulfillmentOrderItems[0].estimatedShipDate, promised, label);
    h.clock.advance(5 * HOUR);
    order = await getOrder(h, body.sellerFulfillmentOrderId);
    assert.notEqual(order.fulfillmentOrder.fulfillmentOrderStatus, "Complete", `${label}: not shipped early`);
    h.clock.set(Date.parse(promised) + 1);
    order = await getOrder(h, body.sellerFulfillmentOrderId);
    assert.equal(order.fulfillmentOrder.fulfillmentOrderStatus, "Complete", label);
    assert.ok(Date.parse(order.fulfillmentShipments[0].shippingDate) >= Date.parse(promised), label);
  }
});

test("update on hold: a new FillOrKill policy re-fills every line or changes nothing", async () => {
  const h = await harness();
  const body = orderBody({
    fulfillmentAction: "Hold",
    fulfillmentPolicy: "FillAll",
    items: [
      { sellerSku: "LIMITED-PRINT-A3", sellerFulfillmentOrderItemId: "a", quantity: 3 },
      { sellerSku: "MUG-CERAMIC-BLUE", sellerFulfillmentOrderItemId: "b", quantity: 1 },
    ],
  });
  await h.call("POST", `${BASE}/fulfillmentOrders`, body);
  const path = `${BASE}/fulfillmentOrders/${body.sellerFulfillmentOrderId}`;
  const mugs = stock(h, "MUG-CERAMIC-BLUE");
  // Lowering "a" to 2 while asking for FillOrKill releases nothing; raising "b" beyond stock refuses the lot.
  const refused = await h.call("PUT", path, {
    fulfillmentPolicy: "FillOrKill",
    items: [
      { sellerFulfillmentOrderItemId: "a", quantity: 2 },
      { sellerFulfillmentOrderItemId: "b", quantity: 250 - 2 },
    ],
  });
  assert.equal(refused.status, 400);
  assert.match(refused.body.errors[0].message, /Insufficient inventory for sellerSku 'MUG-CERAMIC-BLUE'/);
  assert.deepEqual(stock(h, "LIMITED-PRINT-A3"), { fulfillable: 0, reserved: 2 });
  assert.deepEqual(stock(h, "MUG-CERAMIC-BLUE"), mugs);
  let order = await getOrder(h, body.sellerFulfillmentOrderId);
  assert.equal(order.fulfillmentOrder.fulfillmentPolicy, "FillAll");
  assert.deepEqual(
    order.fulfillmentOrderItems.map((i: { quantity: number }) => i.quantity),
    [3, 1],
  );
  // FillOrKill for 3 prints with 2 in stock: refused; at 2 it holds them all.
  assert.equal((await h.call("PUT", path, { fulfillmentPolicy: "FillOrKill" })).status, 400);
  const fits = await h.call("PUT", path, {
    fulfillmentPolicy: "FillOrKill",
    items: [{ sellerFulfillmentOrderItemId: "a", quantity: 2 }],
  });
  assert.equal(fits.status, 200);
  order = await getOrder(h, body.sellerFulfillmentOrderId);
  assert.equal(order.fulfillmentOrder.fulfillmentPolicy, "FillOrKill");
  assert.deepEqual(stock(h, "LIMITED-PRINT-A3"), { fulfillable: 0, reserved: 2 });
});
