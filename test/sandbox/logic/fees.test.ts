import assert from "node:assert/strict";
import { test } from "node:test";
import {
  estimateFees,
  feeList,
  formatMoney,
  formatWeight,
  shippingWeight,
  sizeTier,
  unitFee,
} from "../../../sandbox/fees/index.ts";
import { MARKETPLACES } from "../../../sandbox/marketplaces.ts";

const US = MARKETPLACES.find((m) => m.countryCode === "US");
const JP = MARKETPLACES.find((m) => m.countryCode === "JP");
if (!US || !JP) throw new Error("marketplaces missing");

const tee = { lengthCm: 25, widthCm: 20, heightCm: 1.5, weightGrams: 180 };
const mug = { lengthCm: 12, widthCm: 9, heightCm: 10, weightGrams: 380 };
const mat = { lengthCm: 70, widthCm: 16, heightCm: 16, weightGrams: 2100 };

test("size tiers by sides and weight", () => {
  assert.equal(sizeTier(tee), "Small");
  assert.equal(sizeTier({ ...tee, weightGrams: 455 }), "Standard", "too heavy for small");
  assert.equal(sizeTier({ ...tee, heightCm: 2 }), "Standard", "too thick for small");
  assert.equal(sizeTier(mug), "Standard");
  assert.equal(sizeTier(mat), "Oversize", "longest side over 45.7 cm");
  assert.equal(sizeTier({ ...mug, weightGrams: 9073 }), "Oversize");
  assert.equal(
    sizeTier({ lengthCm: 1.9, widthCm: 38.1, heightCm: 30.5, weightGrams: 454 }),
    "Small",
    "orientation does not matter",
  );
});

test("shipping weight: dimensional when bulky and light", () => {
  assert.deepEqual(shippingWeight(tee), { grams: 180, method: "Package" });
  assert.deepEqual(shippingWeight(mug), { grams: 380, method: "Package" });
  assert.deepEqual(shippingWeight(mat), { grams: 3584, method: "Dimensional" });
});

test("unit fee: tier base by speed plus started extra kg", () => {
  assert.equal(unitFee(US.fees, "Standard", tee), 659);
  assert.equal(unitFee(US.fees, "Priority", mug), 1799);
  assert.equal(unitFee(US.fees, "Standard", { ...mug, weightGrams: 2000 }), 799 + 2 * 88, "1093 g over: 2 started kg");
  assert.equal(unitFee(JP.fees, "ScheduledDelivery", mug), 740);
  assert.throws(() => unitFee(US.fees, "ScheduledDelivery", mug), /no ScheduledDelivery fee/);
});

test("order fees: per unit × quantity, per order, transportation by total kg, COD", () => {
  const fees = estimateFees(
    JP.fees,
    "Expedited",
    [
      { quantity: 2, parcel: mug },
      { quantity: 1, parcel: tee },
    ],
    false,
  );
  assert.deepEqual(fees, {
    FBAPerUnitFulfillmentFee: 2 * 640 + 490,
    FBAPerOrderFulfillmentFee: 100,
    FBATransportationFee: 20,
  });
  const cod = estimateFees(JP.fees, "Standard", [{ quantity: 1, parcel: mug }], true);
  assert.equal(cod.FBAFulfillmentCODFee, 330);
  assert.throws(() => estimateFees(US.fees, "Standard", [{ quantity: 1, parcel: mug }], true), /cash on delivery/);
  assert.deepEqual(estimateFees(US.fees, "Standard", [], false), {
    FBAPerUnitFulfillmentFee: 0,
    FBAPerOrderFulfillmentFee: 0,
    FBATransportationFee: 0,
  });
});

test("money and weight formatting", () => {
  assert.equal(formatMoney(799, 2), "7.99");
  assert.equal(formatMoney(5, 2), "0.05");
  assert.equal(formatMoney(-150, 2), "-1.50");
  assert.equal(formatMoney(530, 0), "530");
  assert.deepEqual(
    feeList({ FBAPerUnitFulfillmentFee: 530, FBAPerOrderFulfillmentFee: 0, FBATransportationFee: 20 }, JP),
    [
      { name: "FBAPerUnitFulfillmentFee", amount: { currencyCode: "JPY", value: "530" } },
      { name: "FBAPerOrderFulfillmentFee", amount: { currencyCode: "JPY", value: "0" } },
      { name: "FBATransportationFee", amount: { currencyCode: "JPY", value: "20" } },
    ],
  );
  assert.deepEqual(formatWeight(1000, "KG"), { unit: "KG", value: "1.00" });
  assert.deepEqual(formatWeight(453.59237, "LB"), { unit: "LB", value: "1.00" });
});

test("every marketplace prices every speed it offers for every tier", () => {
  for (const m of MARKETPLACES) {
    for (const speed of m.speeds) {
      assert.ok(m.transit[speed], `${m.countryCode} ${speed} transit`);
      assert.ok(m.carriers[speed], `${m.countryCode} ${speed} carrier`);
      for (const parcel of [tee, mug, mat]) assert.ok(unitFee(m.fees, speed, parcel) > 0, `${m.countryCode} ${speed}`);
    }
    assert.equal(m.speeds.includes("ScheduledDelivery"), m.countryCode === "JP", "ScheduledDelivery only in JP");
    assert.equal(m.cashOnDelivery, m.countryCode === "JP", "COD only in JP");
  }
});
