import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { addBusinessDays, fallbackPreview, validateFallbackRates } from "../../../proxy/resilience/fallback.ts";
import { createMemoryPreviewCache } from "../../../proxy/resilience/preview-cache.ts";
import { previewKey } from "../../../proxy/resilience/preview-key.ts";
import { previewRequest, previewResult, START } from "./fakes.ts";

describe("preview cache key", () => {
  const base = previewRequest({
    items: [
      { sellerSku: "B", quantity: 1, sellerFulfillmentOrderItemId: "1" },
      { sellerSku: "A", quantity: 2, sellerFulfillmentOrderItemId: "2" },
    ],
  });

  it("ignores line order, split lines, item ids and address details that do not change a preview", () => {
    const same = previewRequest({
      address: {
        name: "Other",
        addressLine1: "9 Elm",
        city: "Seattle",
        countryCode: "us",
        postalCode: " 98101 ",
        stateOrRegion: "wa",
      },
      items: [
        { sellerSku: "A", quantity: 1, sellerFulfillmentOrderItemId: "x" },
        { sellerSku: "B", quantity: 1, sellerFulfillmentOrderItemId: "y" },
        { sellerSku: "A", quantity: 1, sellerFulfillmentOrderItemId: "z" },
      ],
    });
    assert.equal(previewKey(same), previewKey(base));
  });

  it("folds postal code spellings (spaces, hyphens, full-width digits)", () => {
    const jp = (postalCode: string) =>
      previewKey(previewRequest({ address: { name: "n", addressLine1: "l", countryCode: "JP", postalCode } }));
    assert.equal(jp("100-0001"), jp("1000001"));
    assert.equal(jp("１００－０００１"), jp("1000001"));
    const uk = (postalCode: string) =>
      previewKey(previewRequest({ address: { name: "n", addressLine1: "l", countryCode: "GB", postalCode } }));
    assert.equal(uk("sw1a 1aa"), uk("SW1A1AA"));
  });

  it("differs by marketplace, quantity, SKU, declared value, destination and answer-changing flags", () => {
    const key = previewKey(base);
    const variants = [
      { ...base, marketplaceId: "A2EUQ1WTGCTBG2" },
      { ...base, items: [{ sellerSku: "A", quantity: 3, sellerFulfillmentOrderItemId: "1" }, base.items[0]!] },
      { ...base, items: [{ sellerSku: "C", quantity: 2, sellerFulfillmentOrderItemId: "1" }, base.items[0]!] },
      {
        ...base,
        items: [
          ...base.items,
          {
            sellerSku: "A",
            quantity: 0,
            sellerFulfillmentOrderItemId: "3",
            perUnitDeclaredValue: { currencyCode: "USD", value: "9" },
          },
        ],
      },
      { ...base, address: { ...base.address, postalCode: "98102" } },
      { ...base, address: { ...base.address, countryCode: "CA" } },
      { ...base, address: { ...base.address, stateOrRegion: "OR" } },
      { ...base, shippingSpeedCategories: ["Priority" as const] },
      { ...base, includeCODFulfillmentPreview: true },
      { ...base, includeDeliveryWindows: true },
    ];
    const keys = new Set(variants.map(previewKey));
    assert.equal(keys.size, variants.length);
    assert.ok(!keys.has(key));
  });
});

describe("memory preview cache", () => {
  it("evicts the least recently used entry beyond maxEntries", () => {
    const clock = { now: () => START };
    const cache = createMemoryPreviewCache({ maxEntries: 2, clock });
    const entry = { result: previewResult(), storedAt: START };
    cache.set("a", entry, 60_000);
    cache.set("b", entry, 60_000);
    assert.ok(cache.get("a"), "touching a makes b the oldest");
    cache.set("c", entry, 60_000);
    assert.equal(cache.size, 2);
    assert.equal(cache.get("b"), undefined);
    assert.ok(cache.get("a"));
    assert.ok(cache.get("c"));
  });

  it("drops entries once their retention has passed", () => {
    let now = START;
    const cache = createMemoryPreviewCache({ maxEntries: 10, clock: { now: () => now } });
    cache.set("a", { result: previewResult(), storedAt: START }, 1000);
    now += 999;
    assert.ok(cache.get("a"));
    now += 1;
    assert.equal(cache.get("a"), undefined);
    assert.equal(cache.size, 0);
  });
});

describe("fallback rates", () => {
  it("counts business days, skipping weekends", () => {
    const wednesday = START;
    const day = 86_400_000;
    assert.equal(addBusinessDays(wednesday, 0), wednesday);
    assert.equal(addBusinessDays(wednesday, 2), wednesday + 2 * day); // Friday
    assert.equal(addBusinessDays(wednesday, 3), wednesday + 5 * day); // Monday
    assert.equal(addBusinessDays(wednesday + 3 * day, 0), wednesday + 5 * day, "Saturday starts on Monday");
    assert.equal(addBusinessDays(wednesday + 3 * day, 1), wednesday + 6 * day);
  });

  const rates = validateFallbackRates([
    { speed: "Standard", amount: "5.99", currency: "USD", shipDays: 1, arrivalDays: 5, countries: ["US"] },
    { speed: "Priority", amount: "19.99", currency: "USD", shipDays: 0, arrivalDays: 2, countries: ["US"] },
    { speed: "Standard", amount: "7.00", currency: "CAD", shipDays: 1, arrivalDays: 7, countries: ["CA"] },
  ]);

  it("synthesizes Amazon's preview shape for the destination's country and requested speeds", () => {
    const result = fallbackPreview(previewRequest(), rates, START);
    assert.deepEqual(result, {
      fulfillmentPreviews: [
        {
          shippingSpeedCategory: "Standard",
          isFulfillable: true,
          isCODCapable: false,
          marketplaceId: "ATVPDKIKX0DER",
          estimatedFees: [{ name: "FBAPerOrderFulfillmentFee", amount: { currencyCode: "USD", value: "5.99" } }],
          fulfillmentPreviewShipments: [
            {
              earliestShipDate: "2026-11-19T12:00:00.000Z",
              latestShipDate: "2026-11-19T12:00:00.000Z",
              earliestArrivalDate: "2026-11-25T12:00:00.000Z",
              latestArrivalDate: "2026-11-25T12:00:00.000Z",
              fulfillmentPreviewItems: [{ sellerSku: "MUG-01", quantity: 1, sellerFulfillmentOrderItemId: "1" }],
            },
          ],
        },
        {
          shippingSpeedCategory: "Priority",
          isFulfillable: true,
          isCODCapable: false,
          marketplaceId: "ATVPDKIKX0DER",
          estimatedFees: [{ name: "FBAPerOrderFulfillmentFee", amount: { currencyCode: "USD", value: "19.99" } }],
          fulfillmentPreviewShipments: [
            {
              earliestShipDate: "2026-11-18T12:00:00.000Z",
              latestShipDate: "2026-11-18T12:00:00.000Z",
              earliestArrivalDate: "2026-11-20T12:00:00.000Z",
              latestArrivalDate: "2026-11-20T12:00:00.000Z",
              fulfillmentPreviewItems: [{ sellerSku: "MUG-01", quantity: 1, sellerFulfillmentOrderItemId: "1" }],
            },
          ],
        },
      ],
    });
    const priorityOnly = fallbackPreview(previewRequest({ shippingSpeedCategories: ["Priority"] }), rates, START);
    assert.deepEqual(
      priorityOnly?.fulfillmentPreviews?.map((p) => p.shippingSpeedCategory),
      ["Priority"],
    );
  });

  it("has no answer for a country or speed the table does not cover", () => {
    const mx = previewRequest({ address: { name: "n", addressLine1: "l", countryCode: "MX", postalCode: "01000" } });
    assert.equal(fallbackPreview(mx, rates, START), undefined);
    assert.equal(fallbackPreview(previewRequest({ shippingSpeedCategories: ["Expedited"] }), rates, START), undefined);
    assert.equal(fallbackPreview(previewRequest(), [], START), undefined);
  });

  it("validates the table, naming the bad field", () => {
    const good = { speed: "Standard", amount: "5.99", currency: "USD", shipDays: 1, arrivalDays: 5 };
    assert.throws(() => validateFallbackRates({}), /fallbackRates must be an array/);
    assert.throws(() => validateFallbackRates([null]), /fallbackRates\[0\] must be an object/);
    assert.throws(() => validateFallbackRates([{ ...good, speed: "Fast" }]), /fallbackRates\[0\]\.speed/);
    assert.throws(() => validateFallbackRates([good, { ...good, amount: "5,99" }]), /fallbackRates\[1\]\.amount/);
    assert.throws(() => validateFallbackRates([{ ...good, currency: "usd" }]), /\.currency/);
    assert.throws(() => validateFallbackRates([{ ...good, shipDays: -1 }]), /\.shipDays/);
    assert.throws(() => validateFallbackRates([{ ...good, arrivalDays: 1.5 }]), /\.arrivalDays/);
    assert.throws(
      () => validateFallbackRates([{ ...good, shipDays: 3, arrivalDays: 2 }]),
      /arrivalDays must not be less/,
    );
    assert.throws(() => validateFallbackRates([{ ...good, countries: ["usa"] }]), /\.countries/);
  });
});
