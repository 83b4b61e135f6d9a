import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { fromMinor, minorDigits, normalizeAmount, percentOf, toMinor } from "../../proxy/money/index.ts";
import { customerPrice, type PricingRules, parsePricingRules, ruleFor } from "../../proxy/pricing/index.ts";

describe("money", () => {
  test("minor units per currency", () => {
    assert.equal(minorDigits("USD"), 2);
    assert.equal(minorDigits("JPY"), 0);
    assert.equal(minorDigits("KWD"), 3);
    assert.equal(toMinor("12.34", "USD"), 1234n);
    assert.equal(toMinor("12.345", "USD"), 1235n);
    assert.equal(toMinor("12.344", "USD"), 1234n);
    assert.equal(toMinor("1200.5", "JPY"), 1201n);
    assert.equal(fromMinor(5n, "USD"), "0.05");
    assert.equal(fromMinor(1201n, "JPY"), "1201");
    assert.equal(fromMinor(-150n, "EUR"), "-1.50");
    assert.equal(normalizeAmount("5", "USD"), "5.00");
  });
  test("rejects malformed amounts", () => {
    for (const bad of ["", "1e3", "-1", "1.", ".5", "abc", "1,00"])
      assert.throws(() => toMinor(bad, "USD"), RangeError);
  });
  test("percentOf rounds half up", () => {
    assert.equal(percentOf(1000n, "10"), 100n);
    assert.equal(percentOf(555n, "10"), 56n);
    assert.equal(percentOf(554n, "10"), 55n);
    assert.equal(percentOf(1000n, "12.5"), 125n);
    assert.equal(percentOf(0n, "50"), 0n);
    assert.equal(percentOf(555n, "-10"), -56n);
    assert.equal(percentOf(555n, "-100"), -555n);
  });
});

describe("pricing rules", () => {
  const input = { speed: "Standard" as const, feeTotal: "5.55", currency: "USD" };

  test("pass-through is the default", () => {
    assert.equal(customerPrice({}, input), "5.55");
    assert.deepEqual(ruleFor({}, "Priority"), { type: "passThrough" });
  });
  test("free, flat, markup", () => {
    assert.equal(customerPrice({ default: { type: "free" } }, input), "0.00");
    assert.equal(customerPrice({ default: { type: "flat", amount: "4.99" } }, input), "4.99");
    assert.equal(customerPrice({ default: { type: "markup", percent: "10" } }, input), "6.11");
    assert.equal(customerPrice({ default: { type: "markup", percent: "10", plus: "1" } }, input), "7.11");
    assert.equal(customerPrice({ default: { type: "markup", percent: "-100" } }, input), "0.00");
  });
  test("free over a threshold, else the fallback rule", () => {
    const rules: PricingRules = {
      default: { type: "freeOver", threshold: "50.00", otherwise: { type: "flat", amount: "5.99" } },
    };
    assert.equal(customerPrice(rules, { ...input, orderValue: "49.99" }), "5.99");
    assert.equal(customerPrice(rules, { ...input, orderValue: "50.00" }), "0.00");
    assert.equal(customerPrice(rules, input), "5.99", "unknown cart value never qualifies");
    assert.equal(customerPrice({ default: { type: "freeOver", threshold: "10" } }, input), "5.55");
  });
  test("per-speed rules win over the default", () => {
    const rules: PricingRules = { default: { type: "free" }, speeds: { Priority: { type: "flat", amount: "20" } } };
    assert.equal(customerPrice(rules, { ...input, speed: "Priority" }), "20.00");
    assert.equal(customerPrice(rules, input), "0.00");
  });
  test("JPY has no minor unit", () => {
    assert.equal(
      customerPrice({ default: { type: "markup", percent: "10" } }, { ...input, feeTotal: "555", currency: "JPY" }),
      "611",
    );
  });
  test("MCF_PRICING JSON parses, numbers for percent allowed", () => {
    const rules = parsePricingRules(
      JSON.stringify({
        default: { type: "markup", percent: 15 },
        speeds: { Standard: { type: "freeOver", threshold: "35" } },
      }),
    );
    assert.deepEqual(rules.default, { type: "markup", percent: "15" });
    assert.equal(rules.speeds?.Standard?.type, "freeOver");
  });
  test("MCF_PRICING errors name the path", () => {
    assert.throws(() => parsePricingRules("{"), /not valid JSON/);
    assert.throws(
      () => parsePricingRules(JSON.stringify({ default: { type: "flat", amount: "abc" } })),
      /default\.amount/,
    );
    assert.throws(() => parsePricingRules(JSON.stringify({ speeds: { Fast: { type: "free" } } })), /speeds/);
    assert.throws(() => parsePricingRules(JSON.stringify({ default: { type: "bogus" } })), /default/);
    assert.throws(() => parsePricingRules(JSON.stringify({ extra: 1 })), /extra/);
  });
});
