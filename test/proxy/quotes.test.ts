import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  canonicalDestination,
  canonicalItems,
  destinationDigest,
  destinationMismatches,
  itemsDigest,
} from "../../proxy/quotes/digest.ts";
import {
  issueOrderToken,
  issueQuote,
  type QuoteClaims,
  TokenError,
  verifyOrderToken,
  verifyQuote,
} from "../../proxy/quotes/index.ts";

const KEYS = [{ kid: "k1", secret: "a-very-long-quote-secret-for-tests-0001" }];
const NOW = Date.parse("2026-03-02T10:00:00Z");
const claims: QuoteClaims = {
  opt: "Standard",
  mkt: "ATVPDKIKX0DER",
  spd: "Standard",
  itm: "i".repeat(43),
  dst: `${"c".repeat(16)}.${"p".repeat(16)}.`,
  amt: "4.99",
  cur: "USD",
};

async function reason(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof TokenError);
    return error.reason;
  }
  return "accepted";
}

describe("digests", () => {
  test("items: order, splitting and duplicates do not matter; quantities and SKUs do", async () => {
    const a = await itemsDigest([
      { sku: "A", quantity: 1 },
      { sku: "B", quantity: 2 },
    ]);
    assert.equal(
      a,
      await itemsDigest([
        { sku: "B", quantity: 1 },
        { sku: "A", quantity: 1 },
        { sku: "B", quantity: 1 },
      ]),
    );
    assert.notEqual(
      a,
      await itemsDigest([
        { sku: "A", quantity: 1 },
        { sku: "B", quantity: 3 },
      ]),
    );
    assert.notEqual(
      a,
      await itemsDigest([
        { sku: "A", quantity: 1 },
        { sku: "C", quantity: 2 },
      ]),
    );
    assert.equal(canonicalItems([{ sku: 'x"y', quantity: 1 }]), '"x\\"y":1');
    assert.match(a, /^[A-Za-z0-9_-]{43}$/);
  });
  test("destination: case, spaces and hyphens in postal codes do not matter", async () => {
    assert.equal(canonicalDestination({ countryCode: "gb", postalCode: "sw1a 1aa" }), "GB|SW1A1AA|");
    assert.equal(
      canonicalDestination({ countryCode: "JP", postalCode: "100-0001", stateOrRegion: " 東京都 " }),
      "JP|1000001|東京都",
    );
    assert.equal(
      await destinationDigest({ countryCode: "us", postalCode: "98101-1234", stateOrRegion: "wa" }),
      await destinationDigest({ countryCode: "US", postalCode: "981011234", stateOrRegion: "WA" }),
    );
  });
  test("mismatches are reported per field; an unbound region is not checked", async () => {
    const bound = await destinationDigest({ countryCode: "US", postalCode: "98101", stateOrRegion: "WA" });
    assert.deepEqual(
      await destinationMismatches(bound, { countryCode: "US", postalCode: "98101", stateOrRegion: "WA" }),
      [],
    );
    assert.deepEqual(
      await destinationMismatches(bound, { countryCode: "CA", postalCode: "98101", stateOrRegion: "WA" }),
      ["countryCode"],
    );
    assert.deepEqual(
      await destinationMismatches(bound, { countryCode: "US", postalCode: "10001", stateOrRegion: "NY" }),
      ["postalCode", "stateOrRegion"],
    );
    assert.deepEqual(await destinationMismatches(bound, { countryCode: "US", postalCode: "98101" }), ["stateOrRegion"]);
    const unbound = await destinationDigest({ countryCode: "US", postalCode: "98101" });
    assert.deepEqual(
      await destinationMismatches(unbound, { countryCode: "US", postalCode: "98101", stateOrRegion: "WA" }),
      [],
    );
  });
});

describe("quotes", () => {
  test("round trip binds every claim, with kid and expiry", async () => {
    const { token, expiresAt } = await issueQuote(
      KEYS,
      { ...claims, win: { s: "2026-12-07T07:00:00.000Z", e: "2026-12-07T09:00:00.000Z" }, cod: true },
      NOW,
      900,
    );
    assert.equal(expiresAt, NOW + 900_000);
    const verified = await verifyQuote(KEYS, token, NOW + 1000);
    assert.equal(verified.kid, "k1");
    assert.equal(verified.amt, "4.99");
    assert.deepEqual(verified.win, { s: "2026-12-07T07:00:00.000Z", e: "2026-12-07T09:00:00.000Z" });
    assert.equal(verified.cod, true);
    assert.equal(verified.expiresAt, NOW + 900_000);
    assert.match(verified.jti, /^[0-9a-f-]{36}$/);
    const header = JSON.parse(atob(token.split(".")[0]!));
    assert.deepEqual(header, { alg: "HS256", kid: "k1", typ: "mcf-quote+jwt" });
  });
  test("expired quotes are refused", async () => {
    const { token } = await issueQuote(KEYS, claims, NOW, 900);
    assert.equal(await reason(verifyQuote(KEYS, token, NOW + 899_000)), "accepted");
    assert.equal(await reason(verifyQuote(KEYS, token, NOW + 901_000)), "expired");
  });
  test("tampered payloads and signatures are refused", async () => {
    const { token } = await issueQuote(KEYS, claims, NOW, 900);
    const [header, payload, signature] = token.split(".") as [string, string, string];
    const cheaper = btoa(JSON.stringify({ ...JSON.parse(atob(payload)), amt: "0.00" })).replace(/=+$/, "");
    assert.equal(await reason(verifyQuote(KEYS, `${header}.${cheaper}.${signature}`, NOW)), "signature");
    const flipped = signature.slice(0, -2) + (signature.endsWith("AA") ? "BB" : "AA");
    assert.equal(await reason(verifyQuote(KEYS, `${header}.${payload}.${flipped}`, NOW)), "signature");
    assert.equal(await reason(verifyQuote(KEYS, "not-a-token", NOW)), "malformed");
    const none = `${btoa(JSON.stringify({ alg: "none", typ: "mcf-quote+jwt" }))}.${payload}.`;
    assert.notEqual(await reason(verifyQuote(KEYS, none, NOW)), "accepted");
  });
  test("keys rotate: old kid still verifies, unknown kid does not", async () => {
    const old = await issueQuote(KEYS, claims, NOW, 900);
    const rotated = [{ kid: "k2", secret: "another-long-quote-secret-for-tests-02" }, ...KEYS];
    const fresh = await issueQuote(rotated, claims, NOW, 900);
    assert.equal((await verifyQuote(rotated, old.token, NOW)).kid, "k1");
    assert.equal((await verifyQuote(rotated, fresh.token, NOW)).kid, "k2");
    assert.equal(await reason(verifyQuote(KEYS, fresh.token, NOW)), "signature");
    const sameKidOtherSecret = [{ kid: "k1", secret: "a-different-secret-that-is-long-enough" }];
    assert.equal(await reason(verifyQuote(sameKidOtherSecret, old.token, NOW)), "signature");
  });
  test("an order token is not a quote, and a quote is not an order token", async () => {
    const order = await issueOrderToken(KEYS, "mcf-1", NOW, 3600);
    assert.equal(await reason(verifyQuote(KEYS, order.token, NOW)), "wrong-type");
    const quote = await issueQuote(KEYS, claims, NOW, 900);
    assert.equal(await verifyOrderToken(KEYS, quote.token, "mcf-1", NOW), false);
  });
  test("order tokens are bound to one order and expire", async () => {
    const { token } = await issueOrderToken(KEYS, "mcf-1", NOW, 3600);
    assert.equal(await verifyOrderToken(KEYS, token, "mcf-1", NOW), true);
    assert.equal(await verifyOrderToken(KEYS, token, "mcf-2", NOW), false);
    assert.equal(await verifyOrderToken(KEYS, token, "mcf-1", NOW + 3_601_000), false);
    assert.equal(await verifyOrderToken(KEYS, `${token}x`, "mcf-1", NOW), false);
  });
});
