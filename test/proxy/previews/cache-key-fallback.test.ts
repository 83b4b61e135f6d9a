import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { addBusinessDays, fallbackPreview, validateFallbackRates } from "../../../proxy/previews/fallback.ts";
import { previewKey } from "../../../proxy/previews/key.ts";
import { InvalidSettings } from "../../../proxy/shared/invalid.ts";
import { createMemoryStore } from "../../../proxy/stores/memory.ts";
import { previewRequest, previewResult, START } from "../admission/fakes.ts";

describe("preview cache key", () => {
  const base = previewRequest({
    items: [
      { sku: "B", quantity: 1 },
      { sku: "A", quantity: 2 },
    ],
  });

  it("ignores line order, split lines and address details that do not change a preview", () => {
    const same = previewRequest({
      address: {
        name: "Other",
        line1: "9 Elm",
        line2: "Apt 4",
        city: "Seattle",
        countryCode: "us",
        postalCode: " 98101 ",
        stateOrRegion: "wa",
        phone: "+1 206 555 0100",
      },
      items: [
        { sku: "A", quantity: 1 },
        { sku: "B", quantity: 1 },
        { sku: "A", quantity: 1 },
      ],
    });
    assert.equal(previewKey(same), previewKey(base));
  });

  it("folds postal code spellings (spaces, hyphens, full-width digits)", () => {
    const jp = (postalCode: string) =>
      previewKey(previewRequest({ address: { name: "n", line1: "l", countryCode: "JP", postalCode } }));
    assert.equal(jp("100-0001"), jp("1000001"));
    assert.equal(jp("１００－０００１"), jp("1000001"));
    const uk = (postalCode: string) =>
      previewKey(previewRequest({ address: { name: "n", line1: "l", countryCode: "GB", postalCode } }));
    assert.equal(uk("sw1a 1aa"), uk("SW1A1AA"));
  });

  it("differs by marketplace, quantity, SKU, declared value, destination and answer-changing flags", () => {
    const key = previewKey(base);
    const variants = [
      { ...base, marketplaceId: "A2EUQ1WTGCTBG2" },
      { ...base, items: [{ sku: "A", quantity: 3 }, base.items[0]!] },
      { ...base, items: [{ sku: "C", quantity: 2 }, base.items[0]!] },
      { ...base, items: [...base.items, { sku: "A", quantity: 0, declaredValue: { amount: "9", currency: "USD" } }] },
      { ...base, address: { ...base.address, postalCode: "98102" } },
      { ...base, address: { ...base.address, countryCode: "CA" } },
      { ...base, address: { ...base.address, stateOrRegion: "OR" } },
      { ...base, speeds: ["Priority" as const] },
      { ...base, cashOnDelivery: true },
      { ...base, deliveryWindows: true },
    ];
    const keys = new Set(variants.map(previewKey));
    assert.equal(keys.size, variants.length);
    assert.ok(!keys.has(key));
  });
});

describe("memory store as the preview cache", () => {
  it("evicts the least recently used entry beyond maxEntries", async () => {
    const clock = { now: () => START };
    const cache = createMemoryStore({ maxEntries: 2, clock });
    const entry = { result: previewResult(), storedAt: START, version: "v" };
    await cache.set("a", entry, 60_000);
    await cache.set("b", entry, 60_000);
    assert.ok(await cache.get("a"), "touching a makes b the oldest");
    await cache.set("c", entry, 60_000);
    assert.equal(cache.size, 2);
    assert.equal(await cache.get("b"), undefined);
    assert.ok(await cache.get("a"));
    assert.ok(await cache.get("c"));
  });

  it("drops entries once their retention has passed", async () => {
    let now = START;
    const cache = createMemoryStore({ maxEntries: 10, clock: { now: () => now } });
    await cache.set("a", { result: previewResult(), storedAt: START, version: "v" }, 1000);
    now += 999;
    assert.ok(await cache.get("a"));
    now += 1;
    assert.equal(await cache.get("a"), undefined);
    assert.equal(cache.size, 0);
  });

  it("keeps nothing when bounded at 0 entries (MCF_CACHE_MAX_ENTRIES=0)", async () => {
    const cache = createMemoryStore({ maxEntries: 0, clock: { now: () => START } });
    await cache.set("a", { result: previewResult(), storedAt: START, version: "v" }, 60_000);
    assert.equal(await cache.get("a"), undefined);
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

  it("synthesizes the model's preview result for the destination's country and requested speeds", () => {
    const result = fallbackPreview(previewRequest(), rates, START);
    assert.deepEqual(result, {
      previews: [
        {
          speed: "Standard",
          fulfillable: true,
          cashOnDelivery: false,
          fees: [{ name: "FBAPerOrderFulfillmentFee", amount: { currency: "USD", amount: "5.99" } }],
          shipments: [
            {
              ship: { earliest: "2026-11-19T12:00:00.000Z", latest: "2026-11-19T12:00:00.000Z" },
              arrival: { earliest: "2026-11-25T12:00:00.000Z", latest: "2026-11-25T12:00:00.000Z" },
              items: [{ sku: "MUG-01", quantity: 1 }],
            },
          ],
          reasons: [],
          unfulfillable: [],
        },
        {
          speed: "Priority",
          fulfillable: true,
          cashOnDelivery: false,
          fees: [{ name: "FBAPerOrderFulfillmentFee", amount: { currency: "USD", amount: "19.99" } }],
          shipments: [
            {
              ship: { earliest: "2026-11-18T12:00:00.000Z", latest: "2026-11-18T12:00:00.000Z" },
              arrival: { earliest: "2026-11-20T12:00:00.000Z", latest: "2026-11-20T12:00:00.000Z" },
              items: [{ sku: "MUG-01", quantity: 1 }],
            },
          ],
          reasons: [],
          unfulfillable: [],
        },
      ],
    });
    const priorityOnly = fallbackPreview(previewRequest({ speeds: ["Priority"] }), rates, START);
    assert.deepEqual(
      priorityOnly?.previews.map((p) => p.speed),
      ["Priority"],
    );
    const lowerCase = previewRequest({ address: { ...previewRequest().address, countryCode: "us" } });
    assert.equal(fallbackPreview(lowerCase, rates, START)?.previews.length, 2, "the country is matched in any case");
  });

  it("has no answer for a country or speed the table does not cover", () => {
    const mx = previewRequest({ address: { name: "n", line1: "l", countryCode: "MX", postalCode: "01000" } });
    assert.equal(fallbackPreview(mx, rates, START), undefined);
    assert.equal(fallbackPreview(previewRequest({ speeds: ["Expedited"] }), rates, START), undefined);
    assert.equal(fallbackPreview(previewRequest(), [], START), undefined);
  });

  /** The problems validation reports, each naming its field (InvalidSettings, the one validation style). */
  const problemsOf = (rates: unknown) => {
    try {
      validateFallbackRates(rates);
    } catch (error) {
      assert.ok(error instanceof InvalidSettings);
      return error.problems;
    }
    assert.fail("expected InvalidSettings");
  };
  const pathsOf = (rates: unknown) => problemsOf(rates).map((problem) => problem.path);

  it("validates the table, naming the bad field", () => {
    const good = { speed: "Standard", amount: "5.99", currency: "USD", shipDays: 1, arrivalDays: 5 };
    assert.deepEqual(problemsOf({}), [{ path: "fallbackRates", message: "must be an array" }]);
    assert.throws(() => validateFallbackRates({}), /fallbackRates: must be an array/);
    assert.deepEqual(problemsOf([null]), [{ path: "fallbackRates[0]", message: "must be an object" }]);
    assert.deepEqual(pathsOf([{ ...good, speed: "Fast" }]), ["fallbackRates[0].speed"]);
    assert.deepEqual(pathsOf([good, { ...good, amount: "5,99" }]), ["fallbackRates[1].amount"]);
    assert.deepEqual(pathsOf([{ ...good, currency: "usd" }]), ["fallbackRates[0].currency"]);
    assert.deepEqual(pathsOf([{ ...good, shipDays: -1 }]), ["fallbackRates[0].shipDays"]);
    assert.deepEqual(pathsOf([{ ...good, arrivalDays: 1.5 }]), ["fallbackRates[0].arrivalDays"]);
    assert.deepEqual(problemsOf([{ ...good, shipDays: 3, arrivalDays: 2 }]), [
      { path: "fallbackRates[0].arrivalDays", message: "must not be less than shipDays" },
    ]);
    assert.deepEqual(pathsOf([{ ...good, countries: ["usa"] }]), ["fallbackRates[0].countries"]);
    assert.deepEqual(
      pathsOf([
        { ...good, speed: "Fast", currency: "usd" },
        { ...good, amount: "x" },
      ]),
      ["fallbackRates[0].speed", "fallbackRates[0].currency", "fallbackRates[1].amount"],
      "every bad field is named at once",
    );
    assert.throws(
      () => validateFallbackRates([{ ...good, speed: "Fast" }], "MCF_FALLBACK_RATES"),
      /MCF_FALLBACK_RATES\[0\]\.speed/,
    );
  });

  it("returns a clean copy: unknown fields (a typo'd `country`) are not carried", () => {
    const good = { speed: "Standard", amount: "5.99", currency: "USD", shipDays: 1, arrivalDays: 5 };
    const [clean] = validateFallbackRates([{ ...good, country: ["CA"] }]);
    assert.deepEqual(clean, good, "without `countries` the rate covers every country");
  });
});
