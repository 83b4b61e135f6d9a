import assert from "node:assert/strict";
import { test } from "node:test";
import { BASE, DE, DE_ADDRESS, FR, harness, JP, JP_ADDRESS, UK, UK_ADDRESS, US, US_ADDRESS } from "./support.ts";

const mug = [{ sellerSku: "MUG-CERAMIC-BLUE", sellerFulfillmentOrderItemId: "1", quantity: 1 }];

test("each marketplace offers its own speeds, fees in its currency", async () => {
  const h = await harness();
  const cases = [
    {
      marketplaceId: US,
      address: US_ADDRESS,
      speeds: ["Standard", "Expedited", "Priority"],
      currency: "USD",
      weight: "LB",
    },
    {
      marketplaceId: JP,
      address: JP_ADDRESS,
      speeds: ["Standard", "Expedited", "Priority", "ScheduledDelivery"],
      currency: "JPY",
      weight: "KG",
    },
    {
      marketplaceId: DE,
      address: DE_ADDRESS,
      speeds: ["Standard", "Expedited", "Priority"],
      currency: "EUR",
      weight: "KG",
    },
    {
      marketplaceId: UK,
      address: UK_ADDRESS,
      speeds: ["Standard", "Expedited", "Priority"],
      currency: "GBP",
      weight: "KG",
    },
  ];
  for (const c of cases) {
    const r = await h.call("POST", `${BASE}/fulfillmentOrders/preview`, {
      marketplaceId: c.marketplaceId,
      address: c.address,
      items: mug,
    });
    assert.equal(r.status, 200);
    const previews = r.body.payload.fulfillmentPreviews;
    assert.deepEqual(
      previews.map((p: { shippingSpeedCategory: string }) => p.shippingSpeedCategory),
      c.speeds,
    );
    for (const p of previews) {
      assert.equal(p.isFulfillable, true);
      assert.equal(p.marketplaceId, c.marketplaceId);
      assert.equal(p.estimatedShippingWeight.unit, c.weight);
      assert.deepEqual(
        p.estimatedFees.map((f: { name: string }) => f.name),
        ["FBAPerUnitFulfillmentFee", "FBAPerOrderFulfillmentFee", "FBATransportationFee"],
      );
      assert.ok(
        p.estimatedFees.every((f: { amount: { currencyCode: string } }) => f.amount.currencyCode === c.currency),
      );
    }
  }
});

test("JPY amounts have no decimals, USD two", async () => {
  const h = await harness();
  const jp = await h.call("POST", `${BASE}/fulfillmentOrders/preview`, {
    address: JP_ADDRESS,
    items: mug,
    shippingSpeedCategories: ["Standard"],
  });
  assert.match(jp.body.payload.fulfillmentPreviews[0].estimatedFees[0].amount.value, /^\d+$/);
  const us = await h.call("POST", `${BASE}/fulfillmentOrders/preview`, {
    address: US_ADDRESS,
    items: mug,
    shippingSpeedCategories: ["Standard"],
  });
  assert.match(us.body.payload.fulfillmentPreviews[0].estimatedFees[0].amount.value, /^\d+\.\d{2}$/);
});

test("faster speeds cost more and arrive sooner", async () => {
  const h = await harness();
  const r = await h.call("POST", `${BASE}/fulfillmentOrders/preview`, { address: US_ADDRESS, items: mug });
  const [standard, expedited, priority] = r.body.payload.fulfillmentPreviews;
  const fee = (p: { estimatedFees: { amount: { value: string } }[] }) =>
    p.estimatedFees.reduce((s, f) => s + Number(f.amount.value), 0);
  assert.ok(fee(standard) < fee(expedited) && fee(expedited) < fee(priority));
  const arrival = (p: { fulfillmentPreviewShipments: { latestArrivalDate: string }[] }) =>
    Date.parse(p.fulfillmentPreviewShipments[0]?.latestArrivalDate ?? "");
  assert.ok(arrival(priority) < arrival(expedited) && arrival(expedited) < arrival(standard));
});

test("Priority where Amazon does not offer it is unfulfillable with DeliverySLAUnavailable", async () => {
  const h = await harness();
  const r = await h.call("POST", `${BASE}/fulfillmentOrders/preview`, {
    marketplaceId: FR,
    address: { name: "Luc", addressLine1: "1 rue de Rivoli", city: "Paris", postalCode: "75001", countryCode: "FR" },
    items: mug,
    shippingSpeedCategories: ["Priority", "Standard"],
  });
  assert.equal(r.status, 200);
  const [priority, standard] = r.body.payload.fulfillmentPreviews;
  assert.equal(priority.isFulfillable, false);
  assert.deepEqual(priority.orderUnfulfillableReasons, ["DeliverySLAUnavailable"]);
  assert.equal(standard.isFulfillable, true);
});

test("a short item gives isFulfillable false with unfulfillablePreviewItems and reasons", async () => {
  const h = await harness();
  const r = await h.call("POST", `${BASE}/fulfillmentOrders/preview`, {
    address: US_ADDRESS,
    shippingSpeedCategories: ["Standard"],
    items: [
      { sellerSku: "MUG-CERAMIC-BLUE", sellerFulfillmentOrderItemId: "a", quantity: 1 },
      { sellerSku: "LIMITED-PRINT-A3", sellerFulfillmentOrderItemId: "b", quantity: 3 },
      { sellerSku: "NO-SUCH-SKU", sellerFulfillmentOrderItemId: "c", quantity: 1 },
    ],
  });
  const [p] = r.body.payload.fulfillmentPreviews;
  assert.equal(p.isFulfillable, false);
  assert.deepEqual(p.unfulfillablePreviewItems, [
    {
      sellerSku: "LIMITED-PRINT-A3",
      quantity: 3,
      sellerFulfillmentOrderItemId: "b",
      itemUnfulfillableReasons: ["InventoryUnavailable"],
    },
    {
      sellerSku: "NO-SUCH-SKU",
      quantity: 1,
      sellerFulfillmentOrderItemId: "c",
      itemUnfulfillableReasons: ["InvalidSKU"],
    },
  ]);
  assert.deepEqual(
    p.fulfillmentPreviewShipments[0].fulfillmentPreviewItems.map((i: { sellerSku: string }) => i.sellerSku),
    ["MUG-CERAMIC-BLUE"],
  );
  assert.ok(p.estimatedFees.length > 0, "fees for what can ship");
});

test("a preview where nothing can ship carries no fees and no weight", async () => {
  const h = await harness();
  const r = await h.call("POST", `${BASE}/fulfillmentOrders/preview`, {
    address: US_ADDRESS,
    shippingSpeedCategories: ["Standard"],
    items: [{ sellerSku: "SOLDOUT-SNEAKER-42", sellerFulfillmentOrderItemId: "a", quantity: 1 }],
  });
  const [p] = r.body.payload.fulfillmentPreviews;
  assert.equal(p.isFulfillable, false);
  assert.equal(p.estimatedFees, undefined);
  assert.equal(p.estimatedShippingWeight, undefined);
  assert.deepEqual(p.fulfillmentPreviewShipments, []);
});

test("featureConstraints: unknown names are a 400; a Required feature the marketplace lacks is unfulfillable", async () => {
  const h = await harness();
  const items = [{ sellerSku: "MUG-CERAMIC-BLUE", sellerFulfillmentOrderItemId: "a", quantity: 1 }];
  const preview = (address: object, featureConstraints: object[]) =>
    h.call("POST", `${BASE}/fulfillmentOrders/preview`, {
      address,
      items,
      shippingSpeedCategories: ["Standard"],
      featureConstraints,
    });
  const unknown = await preview(US_ADDRESS, [{ featureName: "GIFT_WRAP", featureFulfillmentPolicy: "Required" }]);
  assert.equal(unknown.status, 400);
  assert.match(unknown.body.errors[0].message, /featureConstraints\[0\]\.featureName 'GIFT_WRAP'/);
  // SIGNATURE_CONFIRMATION is US-only (getFeatures in DE lists only BLANK_BOX).
  const signature = { featureName: "SIGNATURE_CONFIRMATION", featureFulfillmentPolicy: "Required" };
  const us = await preview(US_ADDRESS, [signature]);
  assert.equal(us.body.payload.fulfillmentPreviews[0].isFulfillable, true);
  const de = await preview(DE_ADDRESS, [{ ...signature, featureFulfillmentPolicy: "Required" }]);
  assert.equal(de.status, 200);
  assert.equal(de.body.payload.fulfillmentPreviews[0].isFulfillable, false);
  assert.deepEqual(de.body.payload.fulfillmentPreviews[0].orderUnfulfillableReasons, ["FeatureUnavailable"]);
  const optional = await preview(DE_ADDRESS, [{ ...signature, featureFulfillmentPolicy: "NotRequired" }]);
  assert.equal(optional.body.payload.fulfillmentPreviews[0].isFulfillable, true);
  const features = await h.call("GET", `${BASE}/features?marketplaceId=${DE}`);
  assert.ok(
    !features.body.payload.features.some((f: { featureName: string }) => f.featureName === "SIGNATURE_CONFIRMATION"),
  );

  const order = (address: object, featureConstraints: object[], marketplaceId?: string) =>
    h.call("POST", `${BASE}/fulfillmentOrders`, {
      sellerFulfillmentOrderId: `F-${Math.random().toString(36).slice(2, 10)}`,
      displayableOrderId: "F-1",
      displayableOrderDate: "2026-01-05T09:00:00Z",
      displayableOrderComment: "Thanks",
      shippingSpeedCategory: "Standard",
      destinationAddress: address,
      items,
      featureConstraints,
      ...(marketplaceId ? { marketplaceId } : {}),
    });
  assert.equal((await order(US_ADDRESS, [{ featureName: "NOPE" }])).status, 400);
  const refused = await order(DE_ADDRESS, [signature], DE);
  assert.equal(refused.status, 400);
  assert.match(refused.body.errors[0].message, /SIGNATURE_CONFIRMATION is Required but not available/);
  assert.equal((await order(US_ADDRESS, [signature])).status, 200);
});

test("lines of one SKU share its stock", async () => {
  const h = await harness();
  const r = await h.call("POST", `${BASE}/fulfillmentOrders/preview`, {
    address: US_ADDRESS,
    shippingSpeedCategories: ["Standard"],
    items: [
      { sellerSku: "LIMITED-PRINT-A3", sellerFulfillmentOrderItemId: "a", quantity: 2 },
      { sellerSku: "LIMITED-PRINT-A3", sellerFulfillmentOrderItemId: "b", quantity: 1 },
    ],
  });
  const [p] = r.body.payload.fulfillmentPreviews;
  assert.equal(p.isFulfillable, false);
  assert.deepEqual(
    p.unfulfillablePreviewItems.map((i: { sellerFulfillmentOrderItemId: string }) => i.sellerFulfillmentOrderItemId),
    ["b"],
  );
});

test("an invalid postal code gives InvalidDestinationAddress", async () => {
  const h = await harness();
  const r = await h.call("POST", `${BASE}/fulfillmentOrders/preview`, {
    address: { ...US_ADDRESS, postalCode: "ABC" },
    items: mug,
  });
  for (const p of r.body.payload.fulfillmentPreviews)
    assert.deepEqual(p.orderUnfulfillableReasons, ["InvalidDestinationAddress"]);
});

test("postal codes of the right form that no post office uses give InvalidDestinationAddress", async () => {
  const h = await harness();
  for (const [address, postalCode] of [
    [US_ADDRESS, "00000"],
    [US_ADDRESS, "99999"],
    [JP_ADDRESS, "000-0000"],
    [DE_ADDRESS, "00123"],
  ] as const) {
    const r = await h.call("POST", `${BASE}/fulfillmentOrders/preview`, {
      ...(address === JP_ADDRESS ? { marketplaceId: JP } : address === DE_ADDRESS ? { marketplaceId: DE } : {}),
      address: { ...address, postalCode },
      items: mug,
    });
    assert.equal(r.status, 200, postalCode);
    for (const p of r.body.payload.fulfillmentPreviews)
      assert.deepEqual(p.orderUnfulfillableReasons, ["InvalidDestinationAddress"], postalCode);
  }
});

test("COD previews only in JP, with FBAFulfillmentCODFee", async () => {
  const h = await harness();
  const jp = await h.call("POST", `${BASE}/fulfillmentOrders/preview`, {
    address: JP_ADDRESS,
    items: mug,
    shippingSpeedCategories: ["Standard"],
    includeCODFulfillmentPreview: true,
  });
  const previews = jp.body.payload.fulfillmentPreviews;
  assert.deepEqual(
    previews.map((p: { isCODCapable: boolean }) => p.isCODCapable),
    [false, true],
  );
  assert.ok(
    previews[1].estimatedFees.some(
      (f: { name: string; amount: { value: string } }) => f.name === "FBAFulfillmentCODFee" && f.amount.value === "330",
    ),
  );
  assert.ok(!previews[0].estimatedFees.some((f: { name: string }) => f.name === "FBAFulfillmentCODFee"));
  const us = await h.call("POST", `${BASE}/fulfillmentOrders/preview`, {
    address: US_ADDRESS,
    items: mug,
    includeCODFulfillmentPreview: true,
  });
  assert.equal(us.status, 400);
  assert.equal(us.body.errors[0].code, "InvalidInput");
  assert.match(us.body.errors[0].message, /includeCODFulfillmentPreview is only supported in the JP marketplace/);
});

test("JP-only parameters are refused elsewhere, each named", async () => {
  const h = await harness();
  const r = await h.call("POST", `${BASE}/fulfillmentOrders/preview`, {
    address: DE_ADDRESS,
    items: mug,
    includeDeliveryWindows: true,
    shippingSpeedCategories: ["ScheduledDelivery"],
  });
  assert.equal(r.status, 400);
  const messages = r.body.errors.map((e: { message: string }) => e.message).join("\n");
  assert.match(messages, /includeDeliveryWindows/);
  assert.match(messages, /ScheduledDelivery/);
});

test("delivery windows only when asked for, only for ScheduledDelivery", async () => {
  const h = await harness();
  const without = await h.call("POST", `${BASE}/fulfillmentOrders/preview`, { address: JP_ADDRESS, items: mug });
  assert.ok(without.body.payload.fulfillmentPreviews.every((p: object) => !("scheduledDeliveryInfo" in p)));
  const withWindows = await h.call("POST", `${BASE}/fulfillmentOrders/preview`, {
    address: JP_ADDRESS,
    items: mug,
    includeDeliveryWindows: true,
  });
  for (const p of withWindows.body.payload.fulfillmentPreviews) {
    assert.equal("scheduledDeliveryInfo" in p, p.shippingSpeedCategory === "ScheduledDelivery");
  }
  const scheduled = withWindows.body.payload.fulfillmentPreviews.find(
    (p: { shippingSpeedCategory: string }) => p.shippingSpeedCategory === "ScheduledDelivery",
  );
  assert.equal(scheduled.scheduledDeliveryInfo.deliveryTimeZone, "Asia/Tokyo");
  assert.equal(scheduled.scheduledDeliveryInfo.deliveryWindows.length, 35);
});

test("validation: required fields, lengths, limits, each naming the field", async () => {
  const h = await harness();
  const missing = await h.call("POST", `${BASE}/fulfillmentOrders/preview`, { items: mug });
  assert.equal(missing.status, 400);
  assert.deepEqual(missing.body.errors, [{ code: "InvalidInput", message: "address is required.", details: "" }]);
  const long = await h.call("POST", `${BASE}/fulfillmentOrders/preview`, {
    address: US_ADDRESS,
    items: [{ sellerSku: "X".repeat(51), sellerFulfillmentOrderItemId: "1", quantity: 1 }],
  });
  assert.match(long.body.errors[0].message, /items\[0\]\.sellerSku exceeds the maximum length of 50/);
  const lines = Array.from({ length: 101 }, (_, i) => ({
    sellerSku: "TEE-ORGANIC-M",
    sellerFulfillmentOrderItemId: `l${i}`,
    quantity: 1,
  }));
  const tooMany = await h.call("POST", `${BASE}/fulfillmentOrders/preview`, { address: US_ADDRESS, items: lines });
  assert.match(tooMany.body.errors.map((e: { message: string }) => e.message).join(), /at most 100 line items/);
  const units = await h.call("POST", `${BASE}/fulfillmentOrders/preview`, {
    address: US_ADDRESS,
    items: [
      { sellerSku: "TEE-ORGANIC-M", sellerFulfillmentOrderItemId: "a", quantity: 200 },
      { sellerSku: "MUG-CERAMIC-BLUE", sellerFulfillmentOrderItemId: "b", quantity: 51 },
    ],
  });
  assert.match(units.body.errors[0].message, /at most 250 units; the request has 251/);
  const badEnum = await h.call("POST", `${BASE}/fulfillmentOrders/preview`, {
    address: US_ADDRESS,
    items: mug,
    shippingSpeedCategories: ["Fast"],
  });
  assert.match(
    badEnum.body.errors[0].message,
    /shippingSpeedCategories\[0\] must be one of: Standard, Expedited, Priority, ScheduledDelivery/,
  );
  const badJson = await h.call("POST", `${BASE}/fulfillmentOrders/preview`, "{not json");
  assert.equal(badJson.status, 400);
  const zero = await h.call("POST", `${BASE}/fulfillmentOrders/preview`, {
    address: US_ADDRESS,
    items: [{ ...mug[0], quantity: 0 }],
  });
  assert.match(zero.body.errors[0].message, /items\[0\]\.quantity must be at least 1/);
  const badMarketplace = await h.call("POST", `${BASE}/fulfillmentOrders/preview`, {
    marketplaceId: "NOPE",
    address: US_ADDRESS,
    items: mug,
  });
  assert.match(badMarketplace.body.errors[0].message, /marketplaceId 'NOPE'/);
});

test("deliveryOffers: fastest first, localized message, empty when out of stock", async () => {
  const h = await harness();
  const body = (sku: string) => ({
    product: { productIdentifier: { merchantSku: sku }, amount: { unitOfMeasure: "Eaches", value: "1" } },
    terms: {
      origin: { countryCode: "JP" },
      destination: { deliveryAddress: { postalCode: "153-0064", countryCode: "JP" } },
    },
  });
  const r = await h.call("POST", `${BASE}/deliveryOffers`, body("MATCHA-TIN-100G"));
  assert.equal(r.status, 200);
  assert.equal(r.headers.get("x-amzn-ratelimit-limit"), "5.0");
  const offers = r.body.payload.deliveryOffers;
  assert.equal(offers.length, 3);
  assert.ok(Date.parse(offers[0].dateRange.earliest) <= Date.parse(offers[2].dateRange.earliest));
  assert.equal(offers[0].policy.message.locale, "ja_JP");
  assert.match(offers[0].policy.message.text, /お届け/);
  const none = await h.call("POST", `${BASE}/deliveryOffers`, body("SOLDOUT-SNEAKER-42"));
  assert.deepEqual(none.body.payload.deliveryOffers, []);
  const unknown = await h.call("POST", `${BASE}/deliveryOffers`, body("NOPE"));
  assert.equal(unknown.status, 400);
  const noDestination = await h.call("POST", `${BASE}/deliveryOffers`, {
    ...body("MATCHA-TIN-100G"),
    terms: { origin: { countryCode: "JP" }, destination: {} },
  });
  assert.match(noDestination.body.errors[0].message, /deliveryAddress or ipAddress/);
});
