import assert from "node:assert/strict";
import { test } from "node:test";
import inventoryModel from "../../spec/fbaInventory.json" with { type: "json" };
import outboundModel from "../../spec/fulfillmentOutbound_2020-07-01.json" with { type: "json" };
import { assertConforms, seen } from "./conformance.ts";
import { BASE, DE, DE_ADDRESS, harness, JP, JP_ADDRESS, orderBody, US, US_ADDRESS } from "./support.ts";

test("the conformance check itself rejects what the model forbids", () => {
  const headers = new Headers({ "x-amzn-RequestId": "r", "x-amzn-RateLimit-Limit": "2.0" });
  const path = `${BASE}/fulfillmentOrders/preview`;
  assert.doesNotThrow(() => assertConforms("POST", path, 200, { payload: { fulfillmentPreviews: [] } }, headers));
  assert.throws(
    () =>
      assertConforms(
        "POST",
        path,
        200,
        { payload: { fulfillmentPreviews: [{ shippingSpeedCategory: "Teleport" }] } },
        headers,
      ),
    /does not match/,
  );
  assert.throws(
    () => assertConforms("POST", path, 200, { payload: { fulfillmentPreview: [] } }, headers),
    /does not match/,
    "misspelt field",
  );
  assert.throws(
    () => assertConforms("POST", path, 400, { errors: [{ message: "no code" }] }, headers),
    /does not match/,
  );
  assert.throws(() => assertConforms("POST", path, 200, { payload: {} }, new Headers()), /x-amzn-RequestId/);
  assert.throws(() => assertConforms("GET", `${BASE}/nowhere`, 200, {}, headers), /no model operation/);
});

test("every operation of both models answers bodies that match the model, successes and errors", async () => {
  const h = await harness();
  const mug = [{ sellerSku: "MUG-CERAMIC-BLUE", sellerFulfillmentOrderItemId: "1", quantity: 1 }];
  // Previews in several marketplaces, with COD and windows, and failures.
  for (const [marketplaceId, address] of [
    [US, US_ADDRESS],
    [JP, JP_ADDRESS],
    [DE, DE_ADDRESS],
  ] as const) {
    await h.call("POST", `${BASE}/fulfillmentOrders/preview`, { marketplaceId, address, items: mug });
  }
  await h.call("POST", `${BASE}/fulfillmentOrders/preview`, {
    address: JP_ADDRESS,
    items: mug,
    includeCODFulfillmentPreview: true,
    includeDeliveryWindows: true,
  });
  await h.call("POST", `${BASE}/fulfillmentOrders/preview`, {
    address: US_ADDRESS,
    items: [{ sellerSku: "NOPE", sellerFulfillmentOrderItemId: "1", quantity: 1 }],
  });
  await h.call("POST", `${BASE}/fulfillmentOrders/preview`, { address: US_ADDRESS });
  const offers = {
    product: { productIdentifier: { merchantSku: "MUG-CERAMIC-BLUE" } },
    terms: { origin: { countryCode: "US" }, destination: { ipAddress: "192.0.2.1" } },
  };
  await h.call("POST", `${BASE}/deliveryOffers`, offers);
  await h.call("POST", `${BASE}/deliveryOffers`, { product: offers.product });
  // Orders through their whole life.
  const ship = orderBody();
  const hold = orderBody({
    fulfillmentAction: "Hold",
    notificationEmails: ["a@example.com"],
    featureConstraints: [{ featureName: "BLANK_BOX", featureFulfillmentPolicy: "Required" }],
  });
  const cod = orderBody({
    marketplaceId: JP,
    destinationAddress: JP_ADDRESS,
    codSettings: { isCodRequired: true },
    items: [
      {
        sellerSku: "MATCHA-TIN-100G",
        sellerFulfillmentOrderItemId: "1",
        quantity: 1,
        perUnitPrice: { currencyCode: "JPY", value: "1200" },
      },
    ],
  });
  for (const body of [ship, hold, cod])
    assert.equal((await h.call("POST", `${BASE}/fulfillmentOrders`, body)).status, 200);
  await h.call("POST", `${BASE}/fulfillmentOrders`, ship);
  for (const id of [ship, hold, cod].map((b) => b.sellerFulfillmentOrderId))
    await h.call("GET", `${BASE}/fulfillmentOrders/${id}`);
  await h.call("GET", `${BASE}/fulfillmentOrders/NOPE`);
  await h.call("PUT", `${BASE}/fulfillmentOrders/${hold.sellerFulfillmentOrderId}`, {
    displayableOrderComment: "updated",
  });
  await h.call("PUT", `${BASE}/fulfillmentOrders/${ship.sellerFulfillmentOrderId}`, {
    displayableOrderComment: "updated",
  });
  await h.call("GET", `${BASE}/fulfillmentOrders`);
  await h.call("GET", `${BASE}/fulfillmentOrders?queryStartDate=not-a-date`);
  h.clock.advance(3600_000);
  await h.call("GET", `${BASE}/fulfillmentOrders/${ship.sellerFulfillmentOrderId}`);
  await h.call("PUT", `${BASE}/fulfillmentOrders/${cod.sellerFulfillmentOrderId}/cancel`);
  await h.call("PUT", `${BASE}/fulfillmentOrders/${hold.sellerFulfillmentOrderId}/status`, {
    fulfillmentOrderStatus: "Processing",
  });
  await h.call("PUT", `${BASE}/fulfillmentOrders/${hold.sellerFulfillmentOrderId}/status`, {});
  h.clock.advance(5 * 3600_000);
  await h.call("PUT", `${BASE}/fulfillmentOrders/${ship.sellerFulfillmentOrderId}/cancel`);
  const done = await h.call("GET", `${BASE}/fulfillmentOrders/${ship.sellerFulfillmentOrderId}`);
  const shipment = done.body.payload.fulfillmentShipments[0];
  for (const days of [0, 1, 2, 5]) {
    h.clock.advance(days * 86_400_000);
    await h.call("GET", `${BASE}/tracking?packageNumber=${shipment.fulfillmentShipmentPackage[0].packageNumber}`);
  }
  await h.call("GET", `${BASE}/tracking`);
  await h.call(
    "GET",
    `${BASE}/returnReasonCodes?sellerSku=MUG-CERAMIC-BLUE&sellerFulfillmentOrderId=${ship.sellerFulfillmentOrderId}&language=ja_JP`,
  );
  await h.call("GET", `${BASE}/returnReasonCodes?sellerSku=NOPE&marketplaceId=${US}`);
  const returnItem = {
    sellerReturnItemId: "r1",
    sellerFulfillmentOrderItemId: "line-1",
    amazonShipmentId: shipment.amazonShipmentId,
    returnReasonCode: "CR-DEFECTIVE",
    returnComment: "broken",
  };
  await h.call("PUT", `${BASE}/fulfillmentOrders/${ship.sellerFulfillmentOrderId}/return`, {
    items: [returnItem, { ...returnItem, sellerReturnItemId: "r2", amazonShipmentId: "X" }],
  });
  await h.call("PUT", `${BASE}/fulfillmentOrders/${ship.sellerFulfillmentOrderId}/return`, { items: "none" });
  await h.call("GET", `${BASE}/fulfillmentOrders/${ship.sellerFulfillmentOrderId}`);
  await h.call("GET", `${BASE}/features?marketplaceId=${JP}`);
  await h.call("GET", `${BASE}/features?marketplaceId=XX`);
  await h.call("GET", `${BASE}/features/inventory/BLANK_BOX?marketplaceId=${US}`);
  await h.call("GET", `${BASE}/features/inventory/BLANK_BOX?marketplaceId=${US}&nextToken=bad`);
  await h.call("GET", `${BASE}/features/inventory/BLANK_BOX/MUG-CERAMIC-BLUE?marketplaceId=${US}`);
  await h.call("GET", `${BASE}/features/inventory/BLANK_BOX/NOPE?marketplaceId=${US}`);
  await h.call("GET", `${BASE}/features/inventory/NOPE/MUG-CERAMIC-BLUE?marketplaceId=${US}`);
  // Inventory sandbox operations.
  const inv = "/fba/inventory/v1";
  await h.call("POST", `${inv}/items`, { sellerSku: "CONF-1", marketplaceId: US, productName: "Conformance" });
  await h.call("POST", `${inv}/items`, { sellerSku: "CONF-1", marketplaceId: US });
  await h.call(
    "POST",
    `${inv}/items/inventory`,
    { inventoryItems: [{ sellerSku: "CONF-1", marketplaceId: US, quantity: 4 }] },
    { "x-amzn-idempotency-token": "c1" },
  );
  await h.call("POST", `${inv}/items/inventory`, { inventoryItems: [] }, { "x-amzn-idempotency-token": "c2" });
  await h.call(
    "GET",
    `${inv}/summaries?details=true&granularityType=Marketplace&granularityId=${US}&marketplaceIds=${US}`,
  );
  await h.call(
    "GET",
    `${inv}/summaries?granularityType=Marketplace&granularityId=${US}&marketplaceIds=${US}&startDateTime=2026-01-01T00:00:00Z`,
  );
  await h.call("GET", `${inv}/summaries?granularityType=Country&granularityId=${US}&marketplaceIds=${US}`);
  await h.call("DELETE", `${inv}/items/CONF-1?marketplaceId=${US}`);
  await h.call("DELETE", `${inv}/items/CONF-1?marketplaceId=${US}`);
  await h.call("DELETE", `${inv}/items/CONF-1`);
  // Request ids are unique per response.
  const ids = new Set<string>();
  for (let i = 0; i < 5; i++)
    ids.add((await h.call("GET", `${BASE}/features?marketplaceId=${US}`)).headers.get("x-amzn-requestid") ?? "");
  assert.equal(ids.size, 5);
  // 403 and 429 bodies conform too.
  await h.call("GET", `${BASE}/fulfillmentOrders`, undefined, { "x-amz-access-token": "Atza|nope" });

  const operations = [outboundModel, inventoryModel].flatMap((model) =>
    Object.entries(model.paths as Record<string, Record<string, unknown>>).flatMap(([path, methods]) =>
      Object.keys(methods)
        .filter((m) => ["get", "post", "put", "delete"].includes(m))
        .map((m) => `${m.toUpperCase()} ${path}`),
    ),
  );
  for (const operation of operations) {
    const statuses = [...(seen.get(operation) ?? [])];
    assert.ok(
      statuses.some((s) => s === 200),
      `${operation} answered 200`,
    );
  }
  const errorCovered = operations.filter((op) => [...(seen.get(op) ?? [])].some((s) => s >= 400));
  assert.deepEqual(
    operations.filter((op) => !errorCovered.includes(op)),
    [],
    "every operation also answered an error",
  );
});
