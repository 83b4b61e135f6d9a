// Issue 13, "Done when": no secret leaves the connector. One real proxy (startNodeProxy, tenant store in SQLite) in
// front of a real sandbox runs every flow of the other connector tests — onboarding through /connect, the operator
// API with a key rotation, previews and orders from servers and pages, a refused origin, a revoked seller's estimates
// and 503s, a pending tenant — then every response, every log line, the database file and the built bundles are
// searched for the refresh tokens, secret keys, MCF_ADMIN_KEY, MCF_TOKEN_KEY, the LWA client secret and access tokens.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { DatabaseSync } from "node:sqlite";
import { after, before, describe, test } from "node:test";
import { hashSecretKey } from "../../proxy/tenants/crypto.ts";
import { DEV_CREDENTIALS } from "../../sandbox/index.ts";
import { Browser } from "./harness.ts";
import {
  ADDRESS,
  connectSeller,
  ITEMS,
  type LiveConnector,
  type Onboarded,
  preview,
  seller,
  startLiveConnector,
  type Tenant,
  TOKEN_CALL,
} from "./live-connector.ts";

const SELLER_A = seller("A2TENANTSELLERA");
const SELLER_B = seller("A3TENANTSELLERB");
const SELLER_C = "A4ONBOARDEDSELLER";
const BUNDLES = ["dist/widget.js", "dist/order-status.js", "dist/worker/worker.js"];

describe("secrets in connector mode", () => {
  let h: LiveConnector;
  let a: Tenant;
  let b: Tenant;
  let pending: Tenant;
  let onboarded: Onboarded;
  /** A state issued to an onboarding that has not come back yet: it is in the database (hashed). */
  let openState = "";
  /** Secret key → the one answer allowed to carry it (created or rotated it). */
  const secretKeys = new Map<string, string>();
  let rotatedSecretKey = "";

  before(async () => {
    h = await startLiveConnector([SELLER_A, SELLER_B]);
    a = await h.createTenant("Alpha", SELLER_A, { browserOrders: "hold" });
    b = await h.createTenant("Beta", SELLER_B);
    pending = await h.createTenant("Pending", undefined);
    for (const tenant of [a, b, pending]) secretKeys.set(tenant.secretKey, "POST /v1/admin/tenants");

    // Onboarding: a new seller connects through /connect and Seller Central.
    onboarded = await connectSeller(h, SELLER_C, { name: "Gamma", origin: "https://gamma.example" });
    assert.equal(onboarded.status, 200, onboarded.page);
    const cSecret = /data-key="secret">([^<]+)</.exec(onboarded.page)?.[1];
    assert.match(cSecret ?? "", /^sk_/);
    secretKeys.set(cSecret!, "the callback page");
    const starting = new Browser();
    await (await starting.request(`${h.proxy.url}/connect`)).text();
    const query = new URLSearchParams({ name: "Delta", origin: "https://delta.example", marketplace: "ATVPDKIKX0DER" });
    const toAmazon = await starting.request(`${h.proxy.url}/connect/amazon?${query}`);
    openState = new URL(toAmazon.headers.get("location")!).searchParams.get("state")!;
    assert.match(openState, /^[\w-]{20,}$/);

    // Server and browser flows of A, with a refused origin and a preflight.
    const { options } = await h.previewFor(a, 1);
    const server = await h.request("/v1/orders", {
      key: a.secretKey,
      json: { quote: options[0].quote, items: ITEMS, address: ADDRESS, action: "Hold" },
    });
    assert.equal(server.status, 201, server.text);
    assert.equal(
      (await h.request(`/v1/orders/${server.body.orderId}/ship`, { method: "POST", key: a.secretKey })).status,
      200,
    );
    const page = await h.previewFor(a, 2, "publishable");
    const browser = await h.request("/v1/orders", {
      key: a.publishableKey,
      origin: a.origin,
      json: { quote: page.options[0].quote, items: [{ sku: "MUG-CERAMIC-BLUE", quantity: 2 }], address: ADDRESS },
    });
    assert.equal(browser.status, 201, browser.text);
    const headers = { "x-order-token": browser.body.orderToken };
    assert.equal(
      (await h.request(`/v1/orders/${browser.body.orderId}`, { key: a.publishableKey, origin: a.origin, headers }))
        .status,
      200,
    );
    assert.equal(
      (
        await h.request(`/v1/orders/${browser.body.orderId}/cancel`, {
          method: "POST",
          key: a.publishableKey,
          origin: a.origin,
          headers,
        })
      ).status,
      200,
    );
    assert.equal(
      (await h.request("/v1/orders/mcf-00000000000000000000000000000009", { key: a.secretKey })).status,
      404,
    );
    assert.equal(
      (await h.request("/v1/delivery-options", { key: a.publishableKey, origin: b.origin, json: preview(3) })).status,
      403,
    );
    assert.equal(
      (await h.request("/v1/delivery-options", { key: a.secretKey, origin: a.origin, json: preview(3) })).status,
      403,
    );
    assert.equal((await h.request("/v1/delivery-options", { method: "OPTIONS", origin: b.origin })).status, 204);
    assert.equal((await h.request("/v1/delivery-options", { key: "sk_not_a_key", json: preview(3) })).status, 401);

    // The operator API, with a rotation of A's keys.
    const rotated = await h.admin("POST", `/tenants/${a.id}/keys`, { keys: ["secret"] });
    assert.equal(rotated.status, 200, rotated.text);
    rotatedSecretKey = rotated.body.secretKey;
    secretKeys.set(rotatedSecretKey, `POST /v1/admin/tenants/${a.id}/keys`);
    assert.equal((await h.request("/v1/delivery-options", { key: a.secretKey, json: preview(4) })).status, 401);
    assert.equal((await h.request("/v1/delivery-options", { key: rotatedSecretKey, json: preview(4) })).status, 200);
    for (const path of ["/tenants", `/tenants/${a.id}`, `/tenants/${b.id}`, "/health"])
      assert.equal((await h.admin("GET", path)).status, 200);
    assert.equal((await h.request("/v1/admin/tenants", { key: a.publishableKey })).status, 401);
    assert.equal((await h.request("/openapi.json")).status, 200);
    assert.equal((await h.request("/v1/health")).status, 200);

    // B revoked: estimates and 503s; the pending tenant likewise.
    await fetch(`${h.sandboxUrl}/_sandbox/sellers/${SELLER_B.sellerId}/revoke`, { method: "POST" });
    assert.equal((await h.previewFor(b, 5)).source, "fallback");
    assert.equal(
      (await h.request("/v1/orders", { key: b.secretKey, json: { quote: "x", items: ITEMS, address: ADDRESS } }))
        .status,
      503,
    );
    assert.equal((await h.previewFor(pending, 5)).source, "fallback");
    assert.equal(
      (await h.request("/v1/orders", { key: pending.secretKey, json: { quote: "x", items: ITEMS, address: ADDRESS } }))
        .status,
      503,
    );
  });
  after(() => h?.close());

  /** Everything that must never be shown, but a secret key in the one answer that created it. */
  function secrets(): Record<string, string> {
    const cRefresh = h.sandbox.sandbox.lwa.sellers.find((s) => s.sellerId === SELLER_C)?.refreshToken;
    assert.ok(cRefresh, "the onboarded seller has a refresh token at the sandbox");
    const accessTokens = h.calls
      .filter((c) => c.call === TOKEN_CALL && c.status === 200)
      .map((c) => JSON.parse(c.body).access_token as string);
    assert.ok(accessTokens.length >= 2);
    return {
      "A's refresh token": SELLER_A.refreshToken,
      "B's refresh token": SELLER_B.refreshToken,
      "the onboarded seller's refresh token": cRefresh,
      "the sandbox's dev refresh token": DEV_CREDENTIALS.refreshToken,
      "the LWA client secret": h.env.LWA_CLIENT_SECRET!,
      MCF_ADMIN_KEY: h.env.MCF_ADMIN_KEY!,
      MCF_TOKEN_KEY: h.env.MCF_TOKEN_KEY!,
      "the quote secret": h.env.MCF_QUOTE_SECRET!.slice("k1:".length),
      ...Object.fromEntries(accessTokens.map((token, i) => [`access token ${i}`, token])),
    };
  }

  test("no response carries a refresh token, MCF_ADMIN_KEY, MCF_TOKEN_KEY, the LWA secret or an access token", () => {
    assert.ok(h.responses.length > 25, `only ${h.responses.length} responses`);
    for (const seen of h.responses) {
      const text = `${JSON.stringify(seen.headers)}\n${seen.text}`;
      for (const [name, secret] of Object.entries(secrets()))
        assert.ok(!text.includes(secret), `${name} in the answer to ${seen.path} (${seen.status})`);
    }
  });

  test("a secret key is shown once: in the answer that created or rotated it, in no other", () => {
    for (const [secretKey, where] of secretKeys) {
      const carrying = h.responses.filter((seen) =>
        `${JSON.stringify(seen.headers)}\n${seen.text}`.includes(secretKey),
      );
      assert.equal(carrying.length, 1, `${where}'s secret key is in ${carrying.map((s) => s.path).join(", ")}`);
    }
  });

  test("no log line carries a secret, a secret key, or the callback's state or spapi_oauth_code", () => {
    assert.ok(h.logs.length > 25, `only ${h.logs.length} log lines`);
    const state = onboarded.callback.searchParams.get("state")!;
    const code = onboarded.callback.searchParams.get("spapi_oauth_code")!;
    assert.match(code, /^AN/);
    const forbidden = { ...secrets(), state, spapi_oauth_code: code };
    for (const [secretKey, where] of secretKeys) Object.assign(forbidden, { [`${where}'s secret key`]: secretKey });
    for (const line of h.logs)
      for (const [name, secret] of Object.entries(forbidden))
        assert.ok(!line.includes(secret), `${name} logged: ${line}`);
    const callbacks = h.logs
      .map((line) => JSON.parse(line))
      .filter((e) => e.message === "request" && String(e.path).startsWith("/connect/amazon/callback"));
    assert.deepEqual(
      callbacks.map((e) => [e.path, e.status]),
      [["/connect/amazon/callback", 200]],
      "the callback's request log carries its path only",
    );
    for (const entry of h.logs.map((line) => JSON.parse(line)))
      if (entry.path !== undefined) assert.ok(!String(entry.path).includes("?"), `a query was logged: ${entry.path}`);
  });

  test("the database holds refresh tokens only sealed, secret keys only hashed, states only hashed", async () => {
    const db = new DatabaseSync(h.databaseFile, { readOnly: true });
    let rows: Record<string, unknown>[];
    let states: Record<string, unknown>[];
    try {
      rows = db.prepare("select * from mcf_tenants").all() as Record<string, unknown>[];
      states = db.prepare("select * from mcf_oauth_states").all() as Record<string, unknown>[];
    } finally {
      db.close();
    }
    const raw = JSON.stringify([rows, states]);
    assert.equal(rows.length, 4);
    assert.equal(states.length, 1, "the open onboarding's state is stored");
    const forbidden = {
      ...secrets(),
      "the used state": onboarded.callback.searchParams.get("state")!,
      "the open state": openState,
    };
    for (const [name, secret] of Object.entries(forbidden)) assert.ok(!raw.includes(secret), `${name} in the database`);
    for (const secretKey of secretKeys.keys()) assert.ok(!raw.includes(secretKey), "a secret key in the database");
    const byId = new Map(rows.map((row) => [row.id, row]));
    for (const [tenant, secretKey] of [
      [a, rotatedSecretKey],
      [b, b.secretKey],
      [pending, pending.secretKey],
    ] as const) {
      const row = byId.get(tenant.id);
      assert.equal(row?.secret_key_hash, await hashSecretKey(secretKey), `${tenant.id}'s secret key hash`);
    }
    for (const row of rows) {
      if (row.id === pending.id) assert.equal(row.refresh_token_sealed, null);
      else
        assert.match(String(row.refresh_token_sealed), /^v1\.[\w-]+\.[\w-]+\.[\w-]+$/, `${row.id}'s token is sealed`);
    }
  });

  test("the built bundles carry none of the test's secrets nor the sandbox's dev credentials", (t) => {
    const present = BUNDLES.filter((file) => existsSync(new URL(`../../${file}`, import.meta.url)));
    if (present.length === 0) return t.skip("no bundle built (npm run build)");
    const forbidden = {
      ...secrets(),
      "the sandbox's dev client secret": DEV_CREDENTIALS.clientSecret,
      "a secret key": rotatedSecretKey,
    };
    for (const file of present) {
      const text = readFileSync(new URL(`../../${file}`, import.meta.url), "utf8");
      for (const [name, secret] of Object.entries(forbidden)) assert.ok(!text.includes(secret), `${name} in ${file}`);
    }
  });
});
