import assert from "node:assert/strict";
import { test } from "node:test";
import { Faults, parseFaultPlan, pickOutcome } from "../../../sandbox/faults/index.ts";
import { checkDisplayableOrderId, checkItems } from "../../../sandbox/validation/rules.ts";
import { validateInventory, validateOutbound } from "../../../sandbox/validation/schema.ts";

test("pickOutcome draws rates in a fixed order", () => {
  const faults = { hangRate: 0.1, throttleRate: 0.1, unavailableRate: 0.1, errorRate: 0.1, malformedRate: 0.1 };
  assert.equal(pickOutcome(faults, 0.05), "hang");
  assert.equal(pickOutcome(faults, 0.15), "throttle");
  assert.equal(pickOutcome(faults, 0.25), "unavailable");
  assert.equal(pickOutcome(faults, 0.35), "error");
  assert.equal(pickOutcome(faults, 0.45), "malformed");
  assert.equal(pickOutcome(faults, 0.55), "ok");
  assert.equal(pickOutcome({}, 0), "ok");
});

test("parseFaultPlan names bad fields", () => {
  assert.throws(() => parseFaultPlan([]), /faults must be an object/);
  assert.throws(() => parseFaultPlan({ getFeatures: 1 }), /faults\.getFeatures must be an object/);
  assert.throws(
    () => parseFaultPlan({ getFeatures: { latencyMs: -1 } }),
    /faults\.getFeatures\.latencyMs must be a non-negative number/,
  );
  assert.throws(() => parseFaultPlan({ "*": { count: 1.5 } }), /count must be an integer/);
  assert.deepEqual(parseFaultPlan({ getFeatures: { latencyMs: 5, errorRate: 0.5 } }), {
    getFeatures: { latencyMs: 5, errorRate: 0.5 },
  });
  // A misspelt operation would silently fault nothing.
  assert.throws(
    () => parseFaultPlan({ getFulfilmentPreview: { errorRate: 1 } }),
    /faults\.getFulfilmentPreview names no operation/,
  );
  for (const operation of [
    "*",
    "getFulfillmentPreview",
    "deliveryOffers",
    "addInventory",
    "submitFulfillmentOrderStatusUpdate",
  ])
    assert.doesNotThrow(() => parseFaultPlan({ [operation]: {} }), operation);
});

test("Faults: latency with jitter, counts consumed only by faulted requests", () => {
  const faults = new Faults({ getFeatures: { latencyMs: 10, jitterMs: 10, errorRate: 0.5, count: 1 } }, () => 0.4);
  assert.deepEqual(faults.decide("getFeatures"), { latencyMs: 14, outcome: "error" });
  assert.deepEqual(faults.decide("getFeatures"), { latencyMs: 0, outcome: "ok" }, "count used up");
  assert.deepEqual(faults.decide("getFeatureSKU"), { latencyMs: 0, outcome: "ok" });
});

test("the model-driven validator: required, types, enums, lengths, formats, nested paths", () => {
  assert.deepEqual(validateOutbound("GetFulfillmentPreviewRequest", {}), [
    "address is required.",
    "items is required.",
  ]);
  assert.deepEqual(validateOutbound("GetFulfillmentPreviewRequest", "x"), ["body must be an object."]);
  assert.deepEqual(
    validateOutbound("GetFulfillmentPreviewRequest", {
      address: { name: "n", addressLine1: "a", postalCode: 1, countryCode: "US" },
      items: [{ sellerSku: "s", sellerFulfillmentOrderItemId: "i", quantity: 1.5 }],
      includeDeliveryWindows: "yes",
    }),
    [
      "address.postalCode must be a string.",
      "items[0].quantity must be an integer.",
      "includeDeliveryWindows must be a boolean.",
    ],
  );
  assert.deepEqual(validateOutbound("DeliveryWindow", { startDate: "2026-01-01", endDate: "2026-01-01T00:00:00Z" }), [
    "startDate must be an ISO 8601 date-time.",
  ]);
  assert.deepEqual(validateInventory("CreateInventoryItemRequest", { sellerSku: "a", marketplaceId: "b" }), [
    "productName is required.",
  ]);
  assert.deepEqual(
    validateOutbound("Address", { name: " ", addressLine1: "1 Main St", postalCode: "98109", countryCode: "US" }),
    ["name must not be empty."],
  );
});

test("displayableOrderId and item rules", () => {
  assert.equal(checkDisplayableOrderId("  Order 1 "), "Order 1");
  assert.equal(
    checkDisplayableOrderId("Bestellung Nr. 1 für Müller"),
    "Bestellung Nr. 1 für Müller",
    "ISO 8859-1 is fine",
  );
  assert.throws(() => checkDisplayableOrderId("a\tb"), /ISO 8859-1/);
  assert.throws(() => checkDisplayableOrderId("€1"), /ISO 8859-1/, "€ is not in ISO 8859-1");
  assert.doesNotThrow(() => checkItems([{ sellerFulfillmentOrderItemId: "a", quantity: 250 }]));
  assert.throws(() => checkItems([]), /at least one item/);
  assert.throws(
    () =>
      checkItems([
        { sellerFulfillmentOrderItemId: "a", quantity: 1 },
        { sellerFulfillmentOrderItemId: "a", quantity: 1 },
      ]),
    /duplicated/,
  );
});
