import assert from "node:assert/strict";
import { test } from "node:test";
import outbound2026Model from "../../spec/fulfillmentOutbound_2026-07-04.json" with { type: "json" };
import { assertConforms, seen } from "./conformance.ts";
import { BASE, harness, JP_ADDRESS, orderBody, US_ADDRESS } from "./support.ts";

const V2026 = "/fulfillment/outbound/2026-07-04";
const FR_ADDRESS = {
  name: "Marie Curie",
  addressLine1: "12 rue de Rivoli",
  city: "Paris",
  postalCode: "75001",
  countryCode: "FR",
};
const MUG = "MUG-CERAMIC-BLUE";
const MATCHA = "MATCHA-TIN-100G";

const line = (amazonSku: string, value = "1.0", lineItemId = "1") => ({
  lineItemId,
  product: { productIdentifier: { amazonSku } },
  amount: { unit: "EACHES", value },
});
const previewLine = (amazonSku: string, value = "1.0") => ({
  product: { productIdentifier: { amazonSku } },
  amount: { unit: "EACHES", value },
});

let counter = 0;
/** A valid 2026 createOrder body; override any field. */
function createBody(overrides: Record<string, unknown> = {}) {
  counter += 1;
  return {
    orderId: `ORDER-2026-${counter}`,
    destination: { deliveryAddress: US_ADDRESS },
    lineItems: [line(MUG, "2.0")],
    fulfillmentConfiguration: {
      serviceLevel: { serviceTiers: ["STANDARD"] },
      action: "SHIP",
      policy: "FILL_OR_KILL",
      services: {
        packaging: {
          packingSlip: {
            templateAttributes: { orderId: `SHOP-${counter}`, orderTime: "2026-01-05T09:00:00Z", orderText: "Thanks" },
          },
        },
      },
    },
    ...overrides,
  };
}

test("the conformance check knows the 2026-07-04 model and rejects what it forbids", () => {
  const headers = new Headers({ "x-amzn-RequestId": "r", "x-amzn-RateLimit-Limit": "2.0" });
  assert.doesNotThrow(() => assertConforms("POST", `${V2026}/previews`, 200, { plannedShipments: [] }, headers));
  assert.throws(
    () => assertConforms("POST", `${V2026}/previews`, 200, { plannedShipment: [] }, headers),
    /does not match/,
    "misspelt field",
  );
  assert.throws(
    () => assertConforms("POST", `${V2026}/previews`, 200, { payload: { plannedShipments: [] } }, headers),
    /does not match/,
    "a 2020-style payload envelope",
  );
  assert.doesNotThrow(() => assertConforms("PUT", `${V2026}/orders/x/status`, 204, undefined, headers));
  assert.throws(() => assertConforms("PUT", `${V2026}/orders/x/status`, 204, {}, headers), /has a body/);
});

test("every 2026-07-04 operation answers bodies that match the model, successes and errors", async () => {
  const h = await harness({ pageSize: 2 });
  // Previews: several countries, SCHEDULED windows, flags, and failures.
  await h.call("POST", `${V2026}/previews`, {
    destination: { deliveryAddress: US_ADDRESS },
    lineItems: [previewLine(MUG)],
  });
  const jp = await h.call("POST", `${V2026}/previews`, {
    origin: { countryCode: "JP" },
    destination: { deliveryAddress: JP_ADDRESS },
    lineItems: [previewLine(MATCHA, "2")],
    fulfillmentConfiguration: { serviceLevel: { serviceTiers: ["STANDARD", "SCHEDULED"] } },
    includePaymentOnDelivery: true,
  });
  assert.equal(jp.status, 200);
  const scheduled = jp.body.plannedShipments[0].offers.filter(
    (o: { fulfillmentConfiguration: { serviceLevel: { serviceTier: string } } }) =>
      o.fulfillmentConfiguration.serviceLevel.serviceTier === "SCHEDULED",
  );
  assert.ok(scheduled.length > 1, "one SCHEDULED offer per delivery window");
  assert.equal(scheduled[0].fulfillmentConfiguration.services.delivery.paymentOnDelivery, "DISABLED");
  const lean = await h.call("POST", `${V2026}/previews`, {
    destination: { deliveryAddress: US_ADDRESS },
    lineItems: [previewLine(MUG)],
    excludeEstimatedFees: true,
  });
  assert.equal(lean.body.plannedShipments[0].offers[0].estimatedPrice, undefined);
  const missing = await h.call("POST", `${V2026}/previews`, {
    destination: { deliveryAddress: US_ADDRESS },
    lineItems: [previewLine(MUG), previewLine("NOPE"), previewLine(MUG, "240")],
    fulfillmentConfiguration: { serviceLevel: { serviceTiers: ["PRIORITY"] } },
  });
  assert.deepEqual(
    missing.body.constraints.map((c: { code: string; details?: { value: string }[] }) => [
      c.code,
      c.details?.[0]?.value,
    ]),
    [
      ["InvalidSku", "NOPE"],
      ["ItemQuantityNotAvailable", MUG],
    ],
  );
  const wrongDestination = await h.call("POST", `${V2026}/previews`, {
    origin: { countryCode: "US" },
    destination: { deliveryAddress: JP_ADDRESS },
    lineItems: [previewLine(MUG)],
  });
  assert.deepEqual(
    wrongDestination.body.constraints.map((c: { code: string }) => c.code),
    ["InvalidDestinationAddress"],
  );
  for (const bad of [
    { destination: { deliveryAddress: US_ADDRESS } },
    { destination: { deliveryAddress: US_ADDRESS }, lineItems: [previewLine(MUG, "1.5")] },
    {
      destination: { deliveryAddress: US_ADDRESS },
      lineItems: [{ ...previewLine(MUG), amount: { unit: "KG", value: "1" } }],
    },
    {
      destination: { deliveryAddress: US_ADDRESS },
      lineItems: [previewLine(MUG)],
      fulfillmentConfiguration: { serviceLevel: { serviceTiers: ["SCHEDULED"] } },
    },
    {
      destination: { deliveryAddress: US_ADDRESS },
      lineItems: [previewLine(MUG)],
      fulfillmentConfiguration: { serviceLevel: { serviceTiers: ["Standard"] } },
    },
  ]) {
    assert.equal((await h.call("POST", `${V2026}/previews`, bad)).status, 400, JSON.stringify(bad));
  }
  // Offers.
  const offers = await h.call("POST", `${V2026}/offers`, {
    origin: { countryCode: "JP" },
    items: [{ productIdentifier: { amazonSku: MATCHA } }, { productIdentifier: { amazonSku: "NOPE" } }],
    fulfillmentConfiguration: { serviceLevel: { serviceTiers: ["SCHEDULED"] } },
  });
  assert.ok(offers.body.offerResults[0].offers.length > 1);
  assert.equal(offers.body.offerResults[1].constraints[0].code, "InvalidSku");
  await h.call("POST", `${V2026}/offers`, {
    origin: { countryCode: "US" },
    items: [{ productIdentifier: { amazonSku: MUG } }],
  });
  assert.equal((await h.call("POST", `${V2026}/offers`, { items: [] })).status, 400);

  // Orders through their whole life.
  const ship = createBody();
  const created = await h.call("POST", `${V2026}/orders`, ship);
  assert.equal(created.status, 200);
  assert.equal(created.body.order.status, "PROCESSING");
  const hold = createBody({
    channel: "SHOPIFY",
    fulfillmentConfiguration: { action: "HOLD", policy: "FILL_ALL" },
    destination: {
      deliveryAddress: { ...US_ADDRESS, email: "jane@example.com" },
      deliveryNotes: "Leave by the door",
      dropOffLocation: { type: "LOCKER", attributes: { lockerId: "L-1" } },
    },
  });
  const held = await h.call("POST", `${V2026}/orders`, hold);
  assert.equal(held.status, 200);
  assert.equal(held.body.order.destination.dropOffLocation.type, "LOCKER");
  assert.equal(held.body.order.destination.deliveryAddress.email, "jane@example.com");
  const asyncOrder = await h.call("POST", `${V2026}/orders`, createBody({ orderId: "async-1" }));
  assert.deepEqual([asyncOrder.status, asyncOrder.body], [202, { orderId: "async-1", status: "PROCESSING" }]);
  // Scheduled Delivery with a window the preview offered.
  const window = scheduled[0].fulfillmentConfiguration.serviceLevel.deliveryInterval;
  const jpOrder = await h.call(
    "POST",
    `${V2026}/orders`,
    createBody({
      origin: { countryCode: "JP" },
      destination: { deliveryAddress: JP_ADDRESS },
      lineItems: [line(MATCHA)],
      fulfillmentConfiguration: { serviceLevel: { serviceTiers: ["SCHEDULED"], deliveryInterval: window } },
    }),
  );
  assert.equal(jpOrder.status, 200, JSON.stringify(jpOrder.body));
  assert.deepEqual(jpOrder.body.order.fulfillmentConfiguration.serviceLevel.deliveryInterval, window);
  // Refusals.
  const duplicate = await h.call("POST", `${V2026}/orders`, ship);
  assert.equal(duplicate.status, 400);
  const unknownSku = await h.call("POST", `${V2026}/orders`, createBody({ lineItems: [line("NOPE")] }));
  assert.match(unknownSku.body.errors[0].message, /^lineItems\[0\]\.product\.productIdentifier\.amazonSku 'NOPE'/);
  const cod = await h.call(
    "POST",
    `${V2026}/orders`,
    createBody({
      lineItems: [
        {
          ...line(MUG),
          fulfillmentConfiguration: {
            services: {
              delivery: { paymentOnDelivery: { perUnitServicePrice: { currencyCode: "USD", amount: "1" } } },
            },
          },
        },
      ],
    }),
  );
  assert.match(cod.body.errors[0].message, /paymentOnDelivery is only available in India/);
  assert.equal((await h.call("POST", `${V2026}/orders`, { orderId: "x" })).status, 400);
  assert.equal(
    (await h.call("POST", `${V2026}/orders`, createBody({ fulfillmentConfiguration: { action: "Ship" } }))).status,
    400,
  );

  // Reads, paging (page size 2), shipments excluded.
  const first = await h.call("GET", `${V2026}/orders`);
  assert.equal(first.body.orders.length, 2);
  const next = await h.call("GET", `${V2026}/orders?pageToken=${encodeURIComponent(first.body.pagination.nextToken)}`);
  assert.ok(next.body.orders.length >= 1);
  await h.call("GET", `${V2026}/orders?updatedAfter=2000-01-01T00:00:00Z&shipments=EXCLUDE`);
  assert.equal((await h.call("GET", `${V2026}/orders?pageToken=garbage`)).status, 400);
  assert.equal((await h.call("GET", `${V2026}/orders?updatedAfter=yesterday`)).status, 400);
  const read = await h.call("GET", `${V2026}/orders/${ship.orderId}`);
  assert.equal(
    read.body.order.fulfillmentConfiguration.services.packaging.packingSlip.templateAttributes.orderText,
    "Thanks",
  );
  await h.call("GET", `${V2026}/orders/${ship.orderId}?shipments=EXCLUDE`);
  assert.equal((await h.call("GET", `${V2026}/orders/nope`)).status, 404);
  assert.equal((await h.call("GET", `${V2026}/orders/${ship.orderId}?shipments=MAYBE`)).status, 400);

  // Release the hold, then move it along with the sandbox-only operations until a package exists.
  assert.equal(
    (await h.call("PUT", `${V2026}/orders/${hold.orderId}`, { fulfillmentConfiguration: { action: "HOLD" } })).status,
    202,
  );
  assert.equal(
    (await h.call("PUT", `${V2026}/orders/${hold.orderId}`, { fulfillmentConfiguration: { action: "SHIP" } })).status,
    202,
  );
  assert.equal(
    (await h.call("PUT", `${V2026}/orders/${hold.orderId}`, { fulfillmentConfiguration: { action: "SHIP" } })).status,
    400,
  );
  assert.equal((await h.call("PUT", `${V2026}/orders/${hold.orderId}`, {})).status, 400);
  assert.equal(
    (await h.call("PUT", `${V2026}/orders/nope`, { fulfillmentConfiguration: { action: "SHIP" } })).status,
    404,
  );
  assert.equal((await h.call("PUT", `${V2026}/orders/${hold.orderId}/status`, { status: "COMPLETE" })).status, 204);
  assert.equal((await h.call("PUT", `${V2026}/orders/${hold.orderId}/status`, { status: "PROCESSING" })).status, 400);
  assert.equal((await h.call("PUT", `${V2026}/orders/${ship.orderId}/status`, { status: "Shipped" })).status, 400);
  const complete = await h.call("GET", `${V2026}/orders/${hold.orderId}`);
  assert.equal(complete.body.order.status, "COMPLETE");
  const pkg = complete.body.order.shipments[0].packages[0];
  assert.equal(pkg.status, "IN_TRANSIT");
  assert.equal(
    (
      await h.call("PUT", `${V2026}/orders/${hold.orderId}/packages/${pkg.packageId}`, {
        status: "DELIVERED",
        deliveryTime: "2026-01-09T10:00:00Z",
        tracking: { carrier: { carrierCode: "UPS", trackingNumber: "1Z999" }, proofOfDelivery: { receivedBy: "Jane" } },
      })
    ).status,
    204,
  );
  const delivered = (await h.call("GET", `${V2026}/orders/${hold.orderId}`)).body.order.shipments[0].packages[0];
  assert.equal(delivered.status, "DELIVERED");
  assert.equal(delivered.deliveryTime, "2026-01-09T10:00:00Z");
  assert.equal(delivered.tracking.carrier.trackingNumber, "1Z999");
  assert.equal(
    (await h.call("PUT", `${V2026}/orders/${hold.orderId}/packages/999`, { status: "DELIVERED" })).status,
    404,
  );
  assert.equal(
    (await h.call("PUT", `${V2026}/orders/${hold.orderId}/packages/${pkg.packageId}`, { status: "LOST" })).status,
    400,
  );
  // Cancel.
  assert.equal((await h.call("PUT", `${V2026}/orders/${ship.orderId}/cancel`)).status, 202);
  assert.equal((await h.call("PUT", `${V2026}/orders/${ship.orderId}/cancel`)).status, 202, "again: nothing changes");
  assert.equal((await h.call("GET", `${V2026}/orders/${ship.orderId}`)).body.order.status, "CANCELLED");
  assert.equal((await h.call("PUT", `${V2026}/orders/${hold.orderId}/cancel`)).status, 400);
  assert.equal((await h.call("PUT", `${V2026}/orders/nope/cancel`)).status, 404);
  // 403 conforms too.
  assert.equal((await h.call("GET", `${V2026}/orders`, undefined, { "x-amz-access-token": "Atza|nope" })).status, 403);

  const operations = Object.entries(outbound2026Model.paths as Record<string, Record<string, unknown>>).flatMap(
    ([path, methods]) =>
      Object.keys(methods)
        .filter((m) => ["get", "post", "put"].includes(m))
        .map((m) => `${m.toUpperCase()} ${path}`),
  );
  assert.equal(operations.length, 9);
  for (const operation of operations) {
    const statuses = [...(seen.get(operation) ?? [])];
    assert.ok(
      statuses.some((s) => s >= 200 && s < 300),
      `${operation} answered a success`,
    );
    assert.ok(
      statuses.some((s) => s >= 400),
      `${operation} answered an error`,
    );
  }
});

test("one seller state: an order created through 2026-07-04 is read through 2020-07-01, and the other way", async () => {
  const h = await harness();
  const stockOf = (sku: string) => h.app.sandbox.inventory.get("ATVPDKIKX0DER", sku)?.fulfillable ?? -1;
  const before = stockOf(MUG);
  const body = createBody();
  assert.equal((await h.call("POST", `${V2026}/orders`, body)).status, 200);
  assert.equal(stockOf(MUG), before - 2, "the 2026 order reserved from the one stock");
  const old = await h.call("GET", `${BASE}/fulfillmentOrders/${body.orderId}`);
  assert.equal(old.status, 200);
  assert.equal(
    old.body.payload.fulfillmentOrder.displayableOrderId,
    body.fulfillmentConfiguration.services.packaging.packingSlip.templateAttributes.orderId,
  );
  assert.equal(old.body.payload.fulfillmentOrder.displayableOrderComment, "Thanks");
  assert.equal(old.body.payload.fulfillmentOrderItems[0].quantity, 2);

  const legacy = orderBody({ fulfillmentAction: "Hold" });
  assert.equal((await h.call("POST", `${BASE}/fulfillmentOrders`, legacy)).status, 200);
  assert.equal(stockOf(MUG), before - 4);
  const seenFrom2026 = await h.call("GET", `${V2026}/orders/${legacy.sellerFulfillmentOrderId}`);
  assert.equal(seenFrom2026.status, 200);
  assert.equal(seenFrom2026.body.order.fulfillmentConfiguration.action, "HOLD");
  assert.equal(seenFrom2026.body.order.lineItems[0].amount.value, "2.0");
  assert.equal(
    seenFrom2026.body.order.fulfillmentConfiguration.services.packaging.packingSlip.templateAttributes.orderId,
    legacy.displayableOrderId,
  );
  // Released through 2026, cancelled through 2020 refuses (it is past Planning once moved on), stock returns on cancel.
  assert.equal(
    (
      await h.call("PUT", `${V2026}/orders/${legacy.sellerFulfillmentOrderId}`, {
        fulfillmentConfiguration: { action: "SHIP" },
      })
    ).status,
    202,
  );
  assert.equal(
    (await h.call("GET", `${BASE}/fulfillmentOrders/${legacy.sellerFulfillmentOrderId}`)).body.payload.fulfillmentOrder
      .fulfillmentAction,
    "Ship",
  );
  assert.equal((await h.call("PUT", `${BASE}/fulfillmentOrders/${body.orderId}/cancel`)).status, 200);
  assert.equal(stockOf(MUG), before - 2);
  assert.equal((await h.call("GET", `${V2026}/orders/${body.orderId}`)).body.order.status, "CANCELLED");
  // Both versions list both orders.
  const listed = (await h.call("GET", `${V2026}/orders`)).body.orders.map((o: { orderId: string }) => o.orderId);
  assert.deepEqual(listed.sort(), [body.orderId, legacy.sellerFulfillmentOrderId].sort());
});

test("2026-07-04 spends the same throttle bucket as its 2020-07-01 counterpart", async () => {
  const h = await harness({ throttle: { getFulfillmentPreview: { rate: 1, burst: 1 } } });
  const preview = { destination: { deliveryAddress: US_ADDRESS }, lineItems: [previewLine(MUG)] };
  const first = await h.call("POST", `${V2026}/previews`, preview);
  assert.equal(first.status, 200);
  assert.equal(first.headers.get("x-amzn-ratelimit-limit"), "1.0");
  const second = await h.call("POST", `${BASE}/fulfillmentOrders/preview`, {
    address: US_ADDRESS,
    items: [{ sellerSku: MUG, sellerFulfillmentOrderItemId: "1", quantity: 1 }],
  });
  assert.equal(second.status, 429);
});

test("2026-07-04 throttling, outages and refused tiers answer in the model's shapes", async () => {
  const h = await harness({ throttle: { getFulfillmentOrder: { rate: 1, burst: 1 } } });
  const preview = { destination: { deliveryAddress: US_ADDRESS }, lineItems: [previewLine(MUG)] };
  // The throttle and faults of each 2020 counterpart apply (see THROTTLE_AS).
  assert.equal((await h.call("GET", `${V2026}/orders/none`)).status, 404);
  assert.equal((await h.call("GET", `${V2026}/orders/none`)).status, 429);
  h.app.sandbox.faults.replace({ getFulfillmentPreview: { unavailableRate: 1, count: 1 } });
  assert.equal((await h.call("POST", `${V2026}/previews`, preview)).status, 503);
  h.app.sandbox.faults.replace({ createFulfillmentOrder: { errorRate: 1, count: 1 } });
  assert.equal((await h.call("POST", `${V2026}/orders`, createBody())).status, 500);
  // A tier the marketplace does not have is a constraint naming the tier.
  const fr = await h.call("POST", `${V2026}/previews`, {
    origin: { countryCode: "FR" },
    destination: { deliveryAddress: FR_ADDRESS },
    lineItems: [previewLine(MUG)],
    fulfillmentConfiguration: { serviceLevel: { serviceTiers: ["STANDARD", "PRIORITY"] } },
  });
  assert.equal(fr.status, 200);
  assert.deepEqual(fr.body.constraints, [
    {
      code: "ServiceTierUnavailable",
      type: "ServiceLevel",
      message: "Service tier PRIORITY is not available for this destination.",
      details: [{ type: "serviceTier", value: "PRIORITY" }],
    },
  ]);
  assert.deepEqual(
    fr.body.plannedShipments[0].offers.map(
      (o: { fulfillmentConfiguration: { serviceLevel: { serviceTier: string } } }) =>
        o.fulfillmentConfiguration.serviceLevel.serviceTier,
    ),
    ["STANDARD"],
  );
});

test("the shared rules' refusals name 2026-07-04 fields", async () => {
  const h = await harness();
  const held = await h.call(
    "POST",
    `${V2026}/orders`,
    createBody({
      origin: { countryCode: "JP" },
      destination: { deliveryAddress: JP_ADDRESS },
      lineItems: [line(MATCHA)],
      fulfillmentConfiguration: { serviceLevel: { serviceTiers: ["SCHEDULED"] }, action: "HOLD" },
    }),
  );
  assert.equal(held.status, 400, JSON.stringify(held.body));
  assert.equal(
    held.body.errors[0].message,
    "fulfillmentConfiguration.action HOLD is not allowed when fulfillmentConfiguration.serviceLevel.serviceTiers is SCHEDULED.",
  );
  const noWindow = await h.call(
    "POST",
    `${V2026}/orders`,
    createBody({
      origin: { countryCode: "JP" },
      destination: { deliveryAddress: JP_ADDRESS },
      lineItems: [line(MATCHA)],
      fulfillmentConfiguration: { serviceLevel: { serviceTiers: ["SCHEDULED"] } },
    }),
  );
  assert.equal(
    noWindow.body.errors[0].message,
    "fulfillmentConfiguration.serviceLevel.deliveryInterval is required when fulfillmentConfiguration.serviceLevel.serviceTiers is SCHEDULED.",
  );
  const short = await h.call("POST", `${V2026}/orders`, createBody({ lineItems: [line(MUG, "241")] }));
  assert.equal(short.status, 400, JSON.stringify(short.body));
  assert.match(
    short.body.errors[0].message,
    /^Insufficient inventory for product\.productIdentifier\.amazonSku 'MUG-CERAMIC-BLUE'/,
  );
});
