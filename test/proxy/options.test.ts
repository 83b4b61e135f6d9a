import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Preview } from "../../proxy/fulfillment/model.ts";
import { attachQuotes, cartValue, mapPreview, mapPreviews } from "../../proxy/previews/options.ts";

const US = "ATVPDKIKX0DER";
const context = { marketplaceId: US, currency: "USD", timeZone: "America/Los_Angeles", pricing: {} };

const usd = (amount: string) => ({ amount, currency: "USD" });

function preview(overrides: Partial<Preview> = {}): Preview {
  return {
    speed: "Standard",
    fulfillable: true,
    cashOnDelivery: false,
    fees: [
      { name: "FBAPerUnitFulfillmentFee", amount: usd("3.5") },
      { name: "FBATransportationFee", amount: usd("1.249") },
    ],
    shipments: [
      {
        ship: { earliest: "2026-03-03T08:00:00Z", latest: "2026-03-04T08:00:00Z" },
        arrival: { earliest: "2026-03-06T08:00:00Z", latest: "2026-03-08T08:00:00Z" },
        items: [],
      },
      {
        ship: { earliest: "2026-03-02T20:00:00Z", latest: "2026-03-05T08:00:00Z" },
        arrival: { earliest: "2026-03-07T08:00:00Z", latest: "2026-03-09T08:00:00Z" },
        items: [],
        notes: ["Ships separately"],
      },
    ],
    reasons: [],
    unfulfillable: [],
    ...overrides,
  };
}

describe("mapping previews to options", () => {
  test("fees, price, ship and arrival ranges across shipments, time zone", () => {
    const option = mapPreview(preview(), context);
    assert.equal(option.id, "Standard");
    assert.deepEqual(option.fees, {
      total: "4.75",
      currency: "USD",
      lines: [
        { name: "FBAPerUnitFulfillmentFee", amount: "3.50" },
        { name: "FBATransportationFee", amount: "1.25" },
      ],
    });
    assert.deepEqual(option.price, { amount: "4.75", currency: "USD" });
    assert.deepEqual(option.ship, { earliest: "2026-03-02T20:00:00Z", latest: "2026-03-05T08:00:00Z" });
    assert.deepEqual(option.arrival, { earliest: "2026-03-06T08:00:00Z", latest: "2026-03-09T08:00:00Z" });
    assert.equal(option.timeZone, "America/Los_Angeles");
    assert.deepEqual(option.shippingNotes, ["Ships separately"]);
    assert.equal(option.cashOnDelivery, undefined);
  });
  test("pricing rules and the order value decide the price; fees stay Amazon's", () => {
    const pricing = { default: { type: "freeOver" as const, threshold: "50" } };
    const option = mapPreview(preview(), { ...context, pricing, orderValue: "60.00" });
    assert.equal(option.price.amount, "0.00");
    assert.equal(option.fees.total, "4.75");
  });
  test("no fees and no shipments: zero price in the marketplace currency, empty ranges", () => {
    const option = mapPreview(preview({ fees: [], shipments: [] }), context);
    assert.deepEqual(option.price, { amount: "0.00", currency: "USD" });
    assert.deepEqual(option.ship, {});
    assert.deepEqual(option.arrival, {});
  });
  test("Scheduled Delivery: windows sorted, destination time zone", () => {
    const option = mapPreview(
      preview({
        speed: "ScheduledDelivery",
        fees: [{ name: "FBAPerOrderFulfillmentFee", amount: { amount: "550", currency: "JPY" } }],
        timeZone: "Asia/Tokyo",
        deliveryWindows: [
          { start: "2026-03-05T10:00:00Z", end: "2026-03-05T12:00:00Z" },
          { start: "2026-03-05T01:00:00Z", end: "2026-03-05T03:00:00Z" },
        ],
      }),
      { ...context, currency: "JPY" },
    );
    assert.equal(option.timeZone, "Asia/Tokyo");
    assert.deepEqual(option.price, { amount: "550", currency: "JPY" });
    assert.deepEqual(
      option.windows?.map((window) => window.start),
      ["2026-03-05T01:00:00Z", "2026-03-05T10:00:00Z"],
    );
  });
  test("COD previews become their own option", () => {
    const { options } = mapPreviews({ previews: [preview({ cashOnDelivery: true }), preview()] }, context);
    assert.deepEqual(
      options.map((option) => [option.id, option.cashOnDelivery]),
      [
        ["Standard", undefined],
        ["Standard-COD", true],
      ],
    );
  });
  test("unfulfillable options carry reasons; only items no speed can ship are unfulfillable overall", () => {
    const result = mapPreviews(
      {
        previews: [
          preview({
            speed: "Priority",
            fulfillable: false,
            reasons: ["InvalidDestinationAddress"],
            unfulfillable: [
              { sku: "B", quantity: 1, reasons: ["NoInventory"] },
              { sku: "A", quantity: 2, reasons: ["Hazmat"] },
            ],
          }),
          preview({
            speed: "Expedited",
            fulfillable: false,
            unfulfillable: [{ sku: "B", quantity: 1, reasons: ["InvalidSKU"] }],
          }),
          preview(),
        ],
      },
      context,
    );
    assert.deepEqual(
      result.options.map((option) => [option.speed, option.fulfillable]),
      [
        ["Standard", true],
        ["Expedited", false],
        ["Priority", false],
      ],
    );
    const priority = result.options.find((option) => option.speed === "Priority")!;
    assert.deepEqual(priority.reasons, ["InvalidDestinationAddress"]);
    assert.equal(priority.unfulfillable?.length, 2);
    assert.deepEqual(result.unfulfillable, [], "Standard ships everything, so no item is unfulfillable overall");
    assert.deepEqual(result.reasons, []);
  });
  test("nothing fulfillable: overall items and reasons", () => {
    const result = mapPreviews(
      {
        previews: [
          preview({
            fulfillable: false,
            reasons: ["NoInventory"],
            unfulfillable: [{ sku: "B", quantity: 3, reasons: ["NoInventory"] }],
          }),
          preview({
            speed: "Expedited",
            fulfillable: false,
            reasons: ["NoInventory", "Other"],
            unfulfillable: [{ sku: "B", quantity: 3, reasons: ["Other"] }],
          }),
        ],
      },
      context,
    );
    assert.deepEqual(result.unfulfillable, [{ sku: "B", quantity: 3, reasons: ["NoInventory", "Other"] }]);
    assert.deepEqual(result.reasons, ["NoInventory", "Other"]);
  });
  test("empty answer gives no options", () => {
    assert.deepEqual(mapPreviews({ previews: [] }, context), { options: [], unfulfillable: [], reasons: [] });
  });
  test("a cart's value sums the merchant's unit prices in the currency's precision", () => {
    assert.equal(
      cartValue(
        [
          { quantity: 2, unitPrice: "10.005" },
          { quantity: 1, unitPrice: "5" },
        ],
        "USD",
      ),
      "25.02",
    );
    assert.equal(cartValue([{ quantity: 3, unitPrice: "1200.4" }], "JPY"), "3600");
  });
});

describe("attaching quotes", () => {
  const binding = { marketplaceId: US, itemsDigest: "I", destinationDigest: "D" };
  const signed: unknown[] = [];
  const sign = async (claims: unknown) => {
    signed.push(claims);
    return { token: `t${signed.length}`, expiresAt: Date.parse("2026-03-02T10:15:00Z") };
  };

  test("one quote per fulfillable option, none for unfulfillable ones", async () => {
    signed.length = 0;
    const { options } = mapPreviews(
      { previews: [preview(), preview({ speed: "Priority", fulfillable: false })] },
      context,
    );
    const [standard, priority] = await attachQuotes(options, binding, sign);
    assert.equal(standard?.quote, "t1");
    assert.equal(standard?.expiresAt, "2026-03-02T10:15:00.000Z");
    assert.equal(priority?.quote, undefined);
    assert.deepEqual(signed, [
      { opt: "Standard", mkt: US, spd: "Standard", itm: "I", dst: "D", amt: "4.75", cur: "USD" },
    ]);
  });
  test("each Scheduled Delivery window gets its own quote binding that window", async () => {
    signed.length = 0;
    const draft = mapPreview(
      preview({
        speed: "ScheduledDelivery",
        cashOnDelivery: true,
        timeZone: "Asia/Tokyo",
        deliveryWindows: [
          { start: "2026-03-05T01:00:00Z", end: "2026-03-05T03:00:00Z" },
          { start: "2026-03-05T10:00:00Z", end: "2026-03-05T12:00:00Z" },
        ],
      }),
      context,
    );
    const [option] = await attachQuotes([draft], binding, sign);
    assert.deepEqual(option?.deliveryWindows, [
      { start: "2026-03-05T01:00:00Z", end: "2026-03-05T03:00:00Z", quote: "t1" },
      { start: "2026-03-05T10:00:00Z", end: "2026-03-05T12:00:00Z", quote: "t2" },
    ]);
    assert.equal(option?.quote, "t1");
    assert.equal("windows" in (option ?? {}), false);
    assert.deepEqual(
      signed.map((claims) => (claims as { win: unknown; cod: unknown }).win),
      [
        { s: "2026-03-05T01:00:00Z", e: "2026-03-05T03:00:00Z" },
        { s: "2026-03-05T10:00:00Z", e: "2026-03-05T12:00:00Z" },
      ],
    );
    assert.equal((signed[0] as { cod: unknown }).cod, true);
  });
});
