// Issue 13, "Done when": one connector proxy, two tenants on two sellers, and neither can touch the other. A real
// proxy (startNodeProxy, tenant store in SQLite) in front of a real sandbox over HTTP; what each seller's orders look
// like is read from the sandbox's own per-seller state, not from the proxy.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { DEV_CREDENTIALS } from "../../sandbox/index.ts";
import { startProxy } from "../helpers/proxy-server.ts";
import {
  ADDRESS,
  CREATE_ORDER_CALL,
  ITEMS,
  type Json,
  type LiveConnector,
  ordersOf,
  PREVIEW_CALL,
  preview,
  type Seen,
  seller,
  startLiveConnector,
  type Tenant,
} from "./live-connector.ts";

const SELLER_A = seller("A2TENANTSELLERA");
const SELLER_B = seller("A3TENANTSELLERB");

function assertRefused(seen: Seen & { body: Json }, what: string) {
  assert.ok(seen.status >= 400 && seen.status < 500, `${what}: ${seen.status} ${seen.text}`);
  assert.equal(seen.headers["content-type"], "application/problem+json", what);
}

describe("tenant isolation over HTTP (connector mode)", () => {
  let h: LiveConnector;
  let a: Tenant;
  let b: Tenant;
  /** B's order on Hold, created with B's secret key; its order token. */
  let bOrder: { orderId: string; orderToken: string };

  before(async () => {
    h = await startLiveConnector([SELLER_A, SELLER_B]);
    a = await h.createTenant("Alpha", SELLER_A, { browserOrders: "hold" });
    b = await h.createTenant("Beta", SELLER_B, { browserOrders: "hold" });
    const { options } = await h.previewFor(b);
    const created = await h.request("/v1/orders", {
      key: b.secretKey,
      json: { quote: options[0].quote, items: ITEMS, address: ADDRESS, action: "Hold" },
    });
    assert.equal(created.status, 201, created.text);
    bOrder = created.body;
  });
  after(() => h?.close());

  test("A's keys never read, ship, cancel or track B's order; B's order at Amazon is unchanged", async () => {
    const before = await h.sellerState(SELLER_B.sellerId);
    const order = ordersOf(before, SELLER_B.sellerId).find((o: Json) => o.sellerFulfillmentOrderId === bOrder.orderId);
    assert.equal(order?.fulfillmentAction, "Hold", "B's order is on Hold at B's seller");
    assert.deepEqual(ordersOf(before, SELLER_A.sellerId), [], "A's seller has no orders");
    const id = bOrder.orderId;
    const attempts: [string, string, RequestInit & { key: string; origin?: string }][] = [
      ["read with A's secret key", `/v1/orders/${id}`, { key: a.secretKey }],
      ["ship (release) with A's secret key", `/v1/orders/${id}/ship`, { method: "POST", key: a.secretKey }],
      ["cancel with A's secret key", `/v1/orders/${id}/cancel`, { method: "POST", key: a.secretKey }],
      ["track with A's secret key", `/v1/orders/${id}/packages/1`, { key: a.secretKey }],
      [
        "cancel with A's publishable key and B's order token",
        `/v1/orders/${id}/cancel`,
        { method: "POST", key: a.publishableKey, origin: a.origin, headers: { "x-order-token": bOrder.orderToken } },
      ],
      [
        "read with A's publishable key and B's order token",
        `/v1/orders/${id}`,
        { key: a.publishableKey, origin: a.origin, headers: { "x-order-token": bOrder.orderToken } },
      ],
    ];
    for (const [what, path, init] of attempts) assertRefused(await h.request(path, init), what);
    const after = await h.sellerState(SELLER_B.sellerId);
    assert.deepEqual(
      ordersOf(after, SELLER_B.sellerId),
      ordersOf(before, SELLER_B.sellerId),
      "B's orders changed at Amazon",
    );
    assert.deepEqual(ordersOf(after, SELLER_A.sellerId), []);
    // What did reach Amazon went out as A's seller, which does not have the order; nothing acted as B's.
    const bCalls = h.calls.filter((c) => c.seller === SELLER_B.sellerId && c.call.includes(id));
    assert.deepEqual(bCalls, [], "a call for B's order went out under B's seller");
    // B itself still sees its order on Hold, and its token still works with its own key.
    const read = await h.request(`/v1/orders/${id}`, { key: b.secretKey });
    assert.equal(read.status, 200, read.text);
    assert.equal(read.body.action, "Hold");
    assert.notEqual(read.body.status, "Cancelled");
    const own = await h.request(`/v1/orders/${id}`, {
      key: b.publishableKey,
      origin: b.origin,
      headers: { "x-order-token": bOrder.orderToken },
    });
    assert.equal(own.status, 200, own.text);
  });

  test("A's quote is refused by B (422 quote-signature) and no order reaches B's seller", async () => {
    const { options } = await h.previewFor(a, 2);
    const creates = h.calls.filter((c) => c.call === CREATE_ORDER_CALL).length;
    const ordersBefore = ordersOf(await h.sellerState(SELLER_B.sellerId), SELLER_B.sellerId).length;
    const refused = await h.request("/v1/orders", {
      key: b.secretKey,
      json: { quote: options[0].quote, items: [{ sku: "MUG-CERAMIC-BLUE", quantity: 2 }], address: ADDRESS },
    });
    assert.equal(refused.status, 422, refused.text);
    assert.match(refused.body.type, /quote-signature$/);
    assert.equal(h.calls.filter((c) => c.call === CREATE_ORDER_CALL).length, creates, "an order went upstream");
    assert.equal(ordersOf(await h.sellerState(SELLER_B.sellerId), SELLER_B.sellerId).length, ordersBefore);
    // The same quote is good at A: the refusal is the tenant's, not a bad quote.
    const accepted = await h.request("/v1/orders", {
      key: a.secretKey,
      json: { quote: options[0].quote, items: [{ sku: "MUG-CERAMIC-BLUE", quantity: 2 }], address: ADDRESS },
    });
    assert.equal(accepted.status, 201, accepted.text);
  });

  test("an order token of A does not work with B's publishable key, nor alone", async () => {
    const { options } = await h.previewFor(a, 3, "publishable");
    const created = await h.request("/v1/orders", {
      key: a.publishableKey,
      origin: a.origin,
      json: { quote: options[0].quote, items: [{ sku: "MUG-CERAMIC-BLUE", quantity: 3 }], address: ADDRESS },
    });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.action, "Hold");
    const { orderId, orderToken } = created.body;
    const withB = await h.request(`/v1/orders/${orderId}`, {
      key: b.publishableKey,
      origin: b.origin,
      headers: { "x-order-token": orderToken },
    });
    assert.equal(withB.status, 403, withB.text);
    assert.ok(
      withB.body.errors.some((e: Json) => e.path === "header X-Order-Token"),
      withB.text,
    );
    const cancelWithB = await h.request(`/v1/orders/${orderId}/cancel`, {
      method: "POST",
      key: b.publishableKey,
      origin: b.origin,
      headers: { "x-order-token": orderToken },
    });
    assert.equal(cancelWithB.status, 403, cancelWithB.text);
    // Connector mode: a token alone names no tenant.
    const alone = await h.request(`/v1/orders/${orderId}`, { headers: { "x-order-token": orderToken } });
    assert.equal(alone.status, 401, alone.text);
    const withA = await h.request(`/v1/orders/${orderId}`, {
      key: a.publishableKey,
      origin: a.origin,
      headers: { "x-order-token": orderToken },
    });
    assert.equal(withA.status, 200, withA.text);
    assert.equal(withA.body.action, "Hold", "A's order is still on Hold");
  });

  test("CORS is the tenant's: B's origin is refused with A's key (readable 403), preflights are 204", async () => {
    const previews = h.callsOf(SELLER_A.sellerId, PREVIEW_CALL).length;
    for (const [key, origin] of [
      [a.publishableKey, b.origin],
      [b.publishableKey, a.origin],
      [a.publishableKey, "https://evil.example"],
    ] as const) {
      const refused = await h.request("/v1/delivery-options", { key, origin, json: preview(4) });
      assert.equal(refused.status, 403, refused.text);
      assert.match(refused.body.type, /origin-not-allowed$/);
      assert.equal(refused.headers["access-control-allow-origin"], origin, "the page can read why");
      const preflight = await h.request("/v1/delivery-options", {
        method: "OPTIONS",
        origin,
        headers: { "access-control-request-method": "POST", "access-control-request-headers": "authorization" },
      });
      assert.equal(preflight.status, 204, preflight.text);
      assert.equal(preflight.headers["access-control-allow-origin"], origin);
    }
    assert.equal(h.callsOf(SELLER_A.sellerId, PREVIEW_CALL).length, previews, "a refused page reached Amazon");
    const own = await h.request("/v1/delivery-options", { key: a.publishableKey, origin: a.origin, json: preview(4) });
    assert.equal(own.status, 200, own.text);
    assert.equal(own.body.source, "live");
    assert.equal(own.headers["access-control-allow-origin"], a.origin);
    assert.equal(h.callsOf(SELLER_A.sellerId, PREVIEW_CALL).length, previews + 1, "A's own preview went as A");
  });

  test("a private app on the same sandbox (no MCF_ADMIN_KEY) opens no database and serves as before", async () => {
    // The private app's own behaviour (keys, CORS, order tokens alone) is covered by test/proxy/http.test.ts; here:
    // the connector variables it is given switch nothing on.
    const databaseFile = `${h.databaseFile}.private`;
    const privateApp = await startProxy(
      {
        MCF_UPSTREAM: "sandbox-local",
        MCF_UPSTREAM_URL: h.sandboxUrl,
        MCF_MARKETPLACE_ID: "ATVPDKIKX0DER",
        LWA_CLIENT_ID: DEV_CREDENTIALS.clientId,
        LWA_CLIENT_SECRET: DEV_CREDENTIALS.clientSecret,
        LWA_REFRESH_TOKEN: DEV_CREDENTIALS.refreshToken,
        MCF_SECRET_KEY: "sk_private_app_0123456789abcdef",
        MCF_QUOTE_SECRET: h.env.MCF_QUOTE_SECRET,
        MCF_ALLOWED_ORIGINS: "https://private.example",
        MCF_DATABASE_URL: `sqlite:${databaseFile}`,
        MCF_TOKEN_KEY: h.env.MCF_TOKEN_KEY,
      },
      { logger: { log: () => {} } },
    );
    try {
      const call = (path: string, init: RequestInit = {}) =>
        fetch(`${privateApp.url}${path}`, { ...init, signal: AbortSignal.timeout(20_000) });
      const json = { "content-type": "application/json" };
      assert.equal(
        (await call("/v1/admin/tenants", { headers: { authorization: `Bearer ${h.env.MCF_ADMIN_KEY}` } })).status,
        404,
      );
      assert.equal((await call("/connect")).status, 404);
      assert.equal(existsSync(databaseFile), false, "a private app opened a tenant database");
      // A browser without a key (no MCF_PUBLISHABLE_KEY) previews and orders; the order token alone follows it.
      const browser = { ...json, origin: "https://private.example" };
      const answer = await call("/v1/delivery-options", {
        method: "POST",
        headers: browser,
        body: JSON.stringify(preview(5)),
      });
      assert.equal(answer.status, 200);
      const { options, source } = (await answer.json()) as Json;
      assert.equal(source, "live");
      const created = await call("/v1/orders", {
        method: "POST",
        headers: browser,
        body: JSON.stringify({
          quote: options[0].quote,
          items: [{ sku: "MUG-CERAMIC-BLUE", quantity: 5 }],
          address: ADDRESS,
        }),
      });
      assert.equal(created.status, 201);
      const { orderId, orderToken } = (await created.json()) as Json;
      const read = await call(`/v1/orders/${orderId}`, { headers: { "x-order-token": orderToken } });
      assert.equal(read.status, 200);
      // Its order is the environment's seller's (the sandbox's default), not a tenant's; a tenant key means nothing.
      const state = await h.sellerState(DEV_CREDENTIALS.sellerId);
      assert.ok(ordersOf(state, DEV_CREDENTIALS.sellerId).some((o: Json) => o.sellerFulfillmentOrderId === orderId));
      const tenantKey = await call("/v1/delivery-options", {
        method: "POST",
        headers: { ...json, authorization: `Bearer ${a.secretKey}` },
        body: JSON.stringify(preview(5)),
      });
      assert.equal(tenantKey.status, 401);
    } finally {
      await privateApp.close();
    }
  });
});
