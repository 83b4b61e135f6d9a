// Issue 13, "Done when": a seller who revokes the app (LWA then answers invalid_grant) degrades to its estimates and
// is listed for re-authorisation; its orders get a clear 503; other tenants are unaffected. A tenant that never
// connected (pending) is served the same way. Real proxy (startNodeProxy), real sandbox over HTTP.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Browser, consentAt, openReconnectLink } from "./harness.ts";
import {
  ADDRESS,
  CREATE_ORDER_CALL,
  eventually,
  ITEMS,
  type Json,
  type LiveConnector,
  PREVIEW_CALL,
  type Seen,
  seller,
  startLiveConnector,
  type Tenant,
  TOKEN_CALL,
} from "./live-connector.ts";

const SELLER_A = seller("A2TENANTSELLERA");
const SELLER_B = seller("A3TENANTSELLERB");

function assertNotConnected(seen: Seen & { body: Json }, what: string) {
  assert.equal(seen.status, 503, `${what}: ${seen.text}`);
  assert.equal(seen.headers["content-type"], "application/problem+json", what);
  assert.match(seen.body.type, /merchant-not-connected$/, what);
  assert.ok(Number(seen.headers["retry-after"]) > 0, `${what}: retry-after`);
}

/** Every order route a tenant's keys can call. */
async function orderAttempts(h: LiveConnector, tenant: Tenant, quote: string) {
  const orderId = "mcf-00000000000000000000000000000001";
  return [
    [
      "create (secret key)",
      await h.request("/v1/orders", { key: tenant.secretKey, json: { quote, items: ITEMS, address: ADDRESS } }),
    ],
    [
      "create (publishable key)",
      await h.request("/v1/orders", {
        key: tenant.publishableKey,
        origin: tenant.origin,
        json: { quote, items: ITEMS, address: ADDRESS },
      }),
    ],
    ["read", await h.request(`/v1/orders/${orderId}`, { key: tenant.secretKey })],
    ["ship", await h.request(`/v1/orders/${orderId}/ship`, { method: "POST", key: tenant.secretKey })],
    ["cancel", await h.request(`/v1/orders/${orderId}/cancel`, { method: "POST", key: tenant.secretKey })],
    ["track", await h.request(`/v1/orders/${orderId}/packages/1`, { key: tenant.secretKey })],
  ] as const;
}

describe("re-authorisation over HTTP (connector mode)", () => {
  let h: LiveConnector;
  let a: Tenant;
  let b: Tenant;

  before(async () => {
    h = await startLiveConnector([SELLER_A, SELLER_B]);
    a = await h.createTenant("Alpha", SELLER_A);
    b = await h.createTenant("Beta", SELLER_B);
  });
  after(() => h?.close());

  test("B's seller revokes the app: B's previews are its fallback rates, B needs re-authorisation, orders 503", async () => {
    // B is connected and served live; its access token is cached by the proxy.
    const live = await h.previewFor(b, 1);
    assert.equal(live.source, "live");
    const quote = live.options[0].quote;
    assert.equal((await h.previewFor(a, 1)).source, "live");

    const revoked = await fetch(`${h.sandboxUrl}/_sandbox/sellers/${SELLER_B.sellerId}/revoke`, { method: "POST" });
    assert.equal(revoked.status, 200, await revoked.text());

    // A cart nothing cached: Amazon refuses B's access token, LWA refuses B's refresh token, the answer is B's rates.
    const degraded = await h.previewFor(b, 2);
    assert.equal(degraded.source, "fallback");
    assert.deepEqual(
      degraded.options.map((o: Json) => [o.speed, o.price.amount]),
      [["Standard", "7.50"]],
      "B's fallback rates",
    );
    const refusals = h.callsOf(SELLER_B.sellerId, TOKEN_CALL).filter((c) => c.status === 400);
    assert.equal(refusals.length, 1, "LWA was asked once and said invalid_grant");
    assert.match(refusals[0]!.body, /invalid_grant/);

    const marked = await eventually(async () => {
      const seen = await h.admin("GET", `/tenants/${b.id}`);
      return seen.body.status === "needs-reauthorisation";
    });
    assert.ok(marked, "B's tenant is not marked needs-reauthorisation");
    const health = await h.admin("GET", "/health");
    assert.equal(health.status, 200, health.text);
    assert.deepEqual(
      health.body.needsReauthorisation.map((t: Json) => t.id),
      [b.id],
      "health lists B (and only B) for re-authorisation",
    );
    assert.equal((await h.admin("GET", `/tenants/${a.id}`)).body.status, "active");

    // B's orders: a clear 503, and nothing reaches Amazon for B any more, LWA included.
    const bCalls = h.calls.filter((c) => c.seller === SELLER_B.sellerId).length;
    for (const [what, seen] of await orderAttempts(h, b, quote)) assertNotConnected(seen, `B ${what}`);
    const again = await h.previewFor(b, 3);
    assert.equal(again.source, "fallback");
    assert.equal(h.calls.filter((c) => c.seller === SELLER_B.sellerId).length, bCalls, "B still calls Amazon");

    // A is unaffected: live previews and a real order at A's seller.
    const aLive = await h.previewFor(a, 2);
    assert.equal(aLive.source, "live");
    const aOrder = await h.request("/v1/orders", {
      key: a.secretKey,
      json: { quote: aLive.options[0].quote, items: [{ sku: "MUG-CERAMIC-BLUE", quantity: 2 }], address: ADDRESS },
    });
    assert.equal(aOrder.status, 201, aOrder.text);
    assert.deepEqual(
      h.callsOf(SELLER_A.sellerId, CREATE_ORDER_CALL).map((c) => c.status),
      [200],
    );
    assert.equal(h.callsOf(SELLER_B.sellerId, CREATE_ORDER_CALL).length, 0);
  });

  test("a pending tenant (no refresh token) gets its fallback rates and 503s, without touching Amazon", async () => {
    const pending = await h.createTenant("Pending", undefined);
    assert.equal(pending.body.status, "pending");
    assert.equal(pending.body.connected, false);
    const calls = h.calls.length;
    const answer = await h.previewFor(pending, 1);
    assert.equal(answer.source, "fallback");
    assert.deepEqual(
      answer.options.map((o: Json) => [o.speed, o.price.amount]),
      [["Standard", "7.50"]],
    );
    const fromPage = await h.previewFor(pending, 1, "publishable");
    assert.equal(fromPage.source, "fallback");
    const quote = answer.options[0].quote ?? "no-quote";
    for (const [what, seen] of await orderAttempts(h, pending, quote)) assertNotConnected(seen, `pending ${what}`);
    assert.equal(h.calls.length, calls, "a pending tenant's requests reached Amazon or LWA");
    assert.equal((await h.admin("GET", `/tenants/${pending.id}`)).body.status, "pending");
    const health = await h.admin("GET", "/health");
    assert.ok(!health.body.needsReauthorisation.some((t: Json) => t.id === pending.id), "pending is not revoked");
    // A is still served live after all this.
    assert.equal((await h.previewFor(a, 7)).source, "live");
    assert.equal(h.callsOf(SELLER_A.sellerId, PREVIEW_CALL).at(-1)?.status, 200);
  });

  test("B's seller authorises again through the operator's reconnect link: the same tenant and keys, active, live again", async () => {
    assert.equal((await h.admin("GET", `/tenants/${b.id}`)).body.status, "needs-reauthorisation");
    // Only a re-authorisation makes B active: the operator cannot by PATCH.
    const patched = await h.admin("PATCH", `/tenants/${b.id}`, { status: "active" });
    assert.equal(patched.status, 400, patched.text);
    assert.equal(patched.body.errors[0].path, "status");
    const link = await h.admin("POST", `/tenants/${b.id}/reconnect`);
    assert.equal(link.status, 200, link.text);
    // The link is on the proxy's public origin (MCF_CONNECT_REDIRECT_URI's), not the address the operator called.
    const url = new URL(link.body.url);
    assert.equal(url.origin, "http://127.0.0.1:1");
    const browser = new Browser();
    const toAmazon = await openReconnectLink(browser, new URL(`${url.pathname}${url.search}`, h.proxy.url).href);
    assert.equal(toAmazon.status, 302, await toAmazon.text());
    const back = await consentAt(browser, new URL(toAmazon.headers.get("location")!), "approve", SELLER_B.sellerId);
    const reply = await browser.request(new URL(`${back.pathname}${back.search}`, h.proxy.url).href);
    const page = await reply.text();
    assert.equal(reply.status, 200, page);
    assert.match(page, /Your Amazon account is reconnected/);
    const tenant = await h.admin("GET", `/tenants/${b.id}`);
    assert.equal(tenant.body.status, "active");
    assert.equal(tenant.body.publishableKey, b.publishableKey, "re-authorising keeps the keys");
    assert.deepEqual(
      (await h.admin("GET", "/health")).body.needsReauthorisation,
      [],
      "nobody needs re-authorisation any more",
    );
    const live = await h.previewFor(b, 5);
    assert.equal(live.source, "live");
    assert.equal(h.callsOf(SELLER_B.sellerId, PREVIEW_CALL).at(-1)?.status, 200);
  });
});
