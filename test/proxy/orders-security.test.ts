// Who may create which order, and what an order that already exists at Amazon answers: over real HTTP against the
// sandbox, counting what reached Amazon.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { US_ADDRESS as ADDRESS, JP } from "./fixtures.ts";
import { type Harness, type Json, startHarness } from "./harness.ts";

const CART = [
  { sku: "MUG-CERAMIC-BLUE", quantity: 2 },
  { sku: "TEE-ORGANIC-M", quantity: 1 },
];
const PREVIEW = { items: CART, address: { countryCode: "US", postalCode: "98101", stateOrRegion: "WA" } };
const CREATE = "POST /fba/outbound/2020-07-01/fulfillmentOrders";

/** The problem's status, content type and the paths it names. */
function refusal(seen: { status: number; headers: Record<string, string>; body: Json }) {
  assert.equal(seen.headers["content-type"], "application/problem+json", JSON.stringify(seen.body));
  return {
    status: seen.status,
    paths: (seen.body.errors ?? []).map((error: { path: string }) => error.path),
  };
}

async function quoteFor(h: Harness, preview: object = PREVIEW, speed = "Standard"): Promise<string> {
  const seen = await h.request("/v1/delivery-options", { json: preview, key: "publishable" });
  assert.equal(seen.status, 200, seen.text);
  const option = seen.body.options.find((each: Json) => each.speed === speed && each.fulfillable);
  assert.ok(option, `a ${speed} option: ${seen.text.slice(0, 300)}`);
  return option.quote;
}

const creates = (h: Harness) => h.calls.filter((call) => call === CREATE).length;

describe("orders: who may choose what (US)", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  test("a browser may not choose the orderId: 403 naming orderId, nothing reaches Amazon", async () => {
    const quote = await quoteFor(h);
    const before = creates(h);
    const seen = await h.request("/v1/orders", {
      key: "publishable",
      json: { quote, items: CART, address: ADDRESS, orderId: "SHOP-1001" },
    });
    assert.deepEqual(refusal(seen), { status: 403, paths: ["orderId"] });
    assert.equal(creates(h), before);
  });

  test("a browser may not set the amounts Amazon collects: 403 naming each field", async () => {
    const quote = await quoteFor(h);
    const before = creates(h);
    const seen = await h.request("/v1/orders", {
      key: "publishable",
      json: {
        quote,
        address: ADDRESS,
        items: [
          { ...CART[0], perUnitPrice: "0.01" },
          { ...CART[1], perUnitTax: "0.00" },
        ],
      },
    });
    assert.deepEqual(refusal(seen), { status: 403, paths: ["items[0].perUnitPrice", "items[1].perUnitTax"] });
    assert.equal(creates(h), before);
  });

  test("an orderId already used by a different order is 409 without an orderToken, and the order is untouched", async () => {
    const victim = await h.request("/v1/orders", {
      json: { quote: await quoteFor(h), items: CART, address: ADDRESS, orderId: "SHOP-2002", action: "Hold" },
    });
    assert.equal(victim.status, 201, victim.text);
    // Same cart and speed, another destination: the old check (speed, marketplace, items) called it the same order.
    const elsewhere = { countryCode: "US", postalCode: "10001", stateOrRegion: "NY" };
    const other = await h.request("/v1/orders", {
      json: {
        quote: await quoteFor(h, { items: CART, address: elsewhere }),
        items: CART,
        address: { ...elsewhere, name: "Mallory", line1: "9 Evil Rd", city: "New York" },
        orderId: "SHOP-2002",
        action: "Hold",
      },
    });
    assert.deepEqual(refusal(other), { status: 409, paths: ["orderId"] });
    assert.equal(other.body.orderToken, undefined);
    // One more line of the same SKU is another order too.
    const more = await h.request("/v1/orders", {
      json: {
        quote: await quoteFor(h, { ...PREVIEW, items: [{ ...CART[0], quantity: 3 }, CART[1]] }),
        items: [{ ...CART[0], quantity: 3 }, CART[1]],
        address: ADDRESS,
        orderId: "SHOP-2002",
        action: "Hold",
      },
    });
    assert.deepEqual(refusal(more), { status: 409, paths: ["orderId"] });
    const read = await h.request("/v1/orders/SHOP-2002");
    assert.equal(read.body.address.name, "Jo Doe");
    assert.equal(read.body.address.postalCode, "98101");
    assert.deepEqual(
      read.body.items.map((item: Json) => [item.sku, item.quantity]),
      CART.map((item) => [item.sku, item.quantity]),
    );
  });

  test("the same order read back answers Amazon's real action and status; Ship on an identical Hold order is 409", async () => {
    const body = { quote: await quoteFor(h), items: CART, address: ADDRESS, orderId: "SHOP-3003" };
    const held = await h.request("/v1/orders", { json: { ...body, action: "Hold" } });
    assert.equal(held.status, 201, held.text);
    assert.equal(held.body.action, "Hold");

    // The merchant's server asks to ship "the same" order: it exists, on Hold. Nothing is shipped, and it says how.
    const ship = await h.request("/v1/orders", { json: body });
    assert.deepEqual(refusal(ship), { status: 409, paths: ["action"] });
    assert.match(ship.body.detail, /POST \/v1\/orders\/SHOP-3003\/ship/);
    assert.equal((await h.request("/v1/orders/SHOP-3003")).body.action, "Hold");

    // Asking Hold again is the same order: 201 with a token, as Amazon has it.
    const again = await h.request("/v1/orders", { json: { ...body, action: "Hold" } });
    assert.equal(again.status, 201, again.text);
    assert.equal(again.body.action, "Hold");
    assert.ok(again.body.orderToken);

    // Released, a Hold retry reports what Amazon has: Ship, and Amazon's status.
    assert.equal((await h.request("/v1/orders/SHOP-3003/ship", { method: "POST" })).status, 200);
    const afterRelease = await h.request("/v1/orders", { json: { ...body, action: "Hold" } });
    assert.equal(afterRelease.status, 201, afterRelease.text);
    assert.equal(afterRelease.body.action, "Ship");
    const actual = await h.request("/v1/orders/SHOP-3003");
    assert.equal(afterRelease.body.status, actual.body.status);
  });

  test("a browser's held order retried after the merchant released it answers Ship, not Hold", async () => {
    const body = { quote: await quoteFor(h), items: CART, address: ADDRESS };
    const first = await h.request("/v1/orders", { key: "publishable", json: body });
    assert.equal(first.status, 201, first.text);
    assert.equal(first.body.action, "Hold");
    assert.equal((await h.request(`/v1/orders/${first.body.orderId}/ship`, { method: "POST" })).status, 200);
    const retry = await h.request("/v1/orders", { key: "publishable", json: body });
    assert.equal(retry.status, 201, retry.text);
    assert.equal(retry.body.orderId, first.body.orderId);
    assert.equal(retry.body.action, "Ship");
  });

  test("the same quote and body make one order whatever the Idempotency-Key; a key with another body is 409", async () => {
    const body = { quote: await quoteFor(h), items: CART, address: ADDRESS };
    const before = h.calls.length;
    const a = await h.request("/v1/orders", { json: body, headers: { "idempotency-key": "key-A" } });
    const b = await h.request("/v1/orders", { json: body, headers: { "idempotency-key": "key-B" } });
    const none = await h.request("/v1/orders", { json: body });
    for (const seen of [a, b, none]) assert.equal(seen.status, 201, seen.text);
    assert.equal(b.body.orderId, a.body.orderId);
    assert.equal(none.body.orderId, a.body.orderId);
    assert.match(a.body.orderId, /^mcf-[0-9a-f]{32}$/);
    // Two later attempts reached Amazon, were told the id exists, and read the one order back.
    const since = h.calls.slice(before);
    assert.equal(since.filter((call) => call === CREATE).length, 3);
    assert.equal(
      since.filter((call) => call.startsWith(`GET /fba/outbound/2020-07-01/fulfillmentOrders/${a.body.orderId}`))
        .length,
      2,
    );

    const replay = await h.request("/v1/orders", { json: body, headers: { "idempotency-key": "key-A" } });
    assert.equal(replay.headers["idempotent-replayed"], "true");
    const changed = await h.request("/v1/orders", {
      json: { ...body, comment: "Leave at the door" },
      headers: { "idempotency-key": "key-A" },
    });
    assert.deepEqual(refusal(changed), { status: 409, paths: ["header Idempotency-Key"] });

    // A different body (another comment) is another order, under any key.
    const other = await h.request("/v1/orders", { json: { ...body, comment: "Leave at the door" } });
    assert.equal(other.status, 201, other.text);
    assert.notEqual(other.body.orderId, a.body.orderId);
  });

  test("concurrent identical requests without a key make one order and all succeed", async () => {
    const body = { quote: await quoteFor(h), items: CART, address: ADDRESS };
    const all = await Promise.all(Array.from({ length: 5 }, () => h.request("/v1/orders", { json: body })));
    assert.deepEqual(
      all.map((seen) => seen.status),
      [201, 201, 201, 201, 201],
    );
    assert.equal(new Set(all.map((seen) => seen.body.orderId)).size, 1);
  });

  test("browser and server orders from one quote and body are different orders", async () => {
    const body = { quote: await quoteFor(h), items: CART, address: ADDRESS };
    const browser = await h.request("/v1/orders", { key: "publishable", json: body });
    const server = await h.request("/v1/orders", { json: body });
    assert.equal(browser.status, 201, browser.text);
    assert.equal(server.status, 201, server.text);
    assert.notEqual(server.body.orderId, browser.body.orderId);
    assert.equal(browser.body.action, "Hold");
    assert.equal(server.body.action, "Ship");
  });
});

describe("orders: cash on delivery comes from the merchant's server (JP)", () => {
  const JP_PREVIEW = {
    items: [{ sku: "MUG-CERAMIC-BLUE", quantity: 1 }],
    address: { countryCode: "JP", postalCode: "100-0001" },
    cashOnDelivery: true,
  };
  const JP_ADDRESS = { name: "山田 太郎", line1: "千代田1-1", postalCode: "100-0001", countryCode: "JP" };
  let h: Harness;
  before(async () => {
    h = await startHarness({ MCF_MARKETPLACE_ID: JP, MCF_BROWSER_ORDERS: "ship" });
  });
  after(() => h.close());

  const codQuote = async () => {
    const seen = await h.request("/v1/delivery-options", { json: JP_PREVIEW, key: "publishable" });
    const option = seen.body.options.find((each: Json) => each.cashOnDelivery && each.speed !== "ScheduledDelivery");
    assert.ok(option, seen.text.slice(0, 300));
    return option.quote as string;
  };

  test("a browser COD order is refused with 422 naming quote, even when browsers may ship", async () => {
    const quote = await codQuote();
    const before = creates(h);
    const seen = await h.request("/v1/orders", {
      key: "publishable",
      json: { quote, items: JP_PREVIEW.items, address: JP_ADDRESS },
    });
    assert.deepEqual(refusal(seen), { status: 422, paths: ["quote"] });
    assert.match(seen.body.detail, /merchant's server/);
    assert.equal(creates(h), before);
  });

  test("the merchant's server orders COD with the amounts to collect", async () => {
    const seen = await h.request("/v1/orders", {
      json: {
        quote: await codQuote(),
        items: JP_PREVIEW.items.map((item) => ({ ...item, perUnitPrice: "1200", perUnitTax: "120" })),
        address: JP_ADDRESS,
      },
    });
    assert.equal(seen.status, 201, seen.text);
    const read = await h.request(`/v1/orders/${seen.body.orderId}`);
    assert.equal(read.status, 200);
  });
});
