// The operator API over real HTTP: /v1/admin/tenants with the admin key.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { sql } from "kysely";
import { adminOpenApi } from "../../proxy/routes/admin.ts";
import { DEV_CREDENTIALS } from "../../sandbox/index.ts";
import { ADMIN_KEY, type ConnectorHarness, startConnector } from "./harness.ts";

const TENANT = {
  name: "Echo Supplies",
  region: "eu",
  marketplaceIds: ["A1PA6795UKMFR9", "A13V1IB3VIYZZH"],
  allowedOrigins: ["https://echo.example"],
  sellingPartnerId: "A1ECHOSELLER",
};

let h: ConnectorHarness;
/** A refresh token LWA grants the app for A1ECHOSELLER (the seller approved at the sandbox's consent page). */
let REFRESH_TOKEN: string;
let NEW_TENANT: typeof TENANT & { refreshToken: string };
before(async () => {
  h = await startConnector();
  REFRESH_TOKEN = await h.authorise(TENANT.sellingPartnerId);
  NEW_TENANT = { ...TENANT, refreshToken: REFRESH_TOKEN };
});
after(() => h.close());

/** NEW_TENANT for another seller, with that seller's own refresh token. */
const tenantOf = async (sellingPartnerId: string) => ({
  ...TENANT,
  sellingPartnerId,
  refreshToken: await h.authorise(sellingPartnerId),
});

// biome-ignore lint/suspicious/noExplicitAny: answers are arbitrary JSON, checked field by field
type Json = any;

async function call(
  method: string,
  path: string,
  body?: unknown,
  key: string | null = ADMIN_KEY,
): Promise<{ status: number; headers: Headers; text: string; json: Json }> {
  const headers: Record<string, string> = {};
  if (key !== null) headers.authorization = `Bearer ${key}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const reply = await fetch(`${h.proxyUrl}${path}`, {
    method,
    headers,
    ...(body !== undefined ? { body: typeof body === "string" ? body : JSON.stringify(body) } : {}),
  });
  const text = await reply.text();
  return { status: reply.status, headers: reply.headers, text, json: text ? JSON.parse(text) : undefined };
}

test("every admin route needs the operator key", async () => {
  for (const [method, path] of [
    ["GET", "/v1/admin/tenants"],
    ["POST", "/v1/admin/tenants"],
    ["GET", "/v1/admin/tenants/tn_x"],
    ["PATCH", "/v1/admin/tenants/tn_x"],
    ["POST", "/v1/admin/tenants/tn_x/keys"],
    ["POST", "/v1/admin/tenants/tn_x/reconnect"],
    ["DELETE", "/v1/admin/tenants/tn_x"],
    ["GET", "/v1/admin/health"],
  ] as const) {
    const missing = await call(method, path, undefined, null);
    assert.equal(missing.status, 401, `${method} ${path}`);
    assert.equal(missing.headers.get("content-type"), "application/problem+json");
    assert.equal(missing.headers.get("www-authenticate"), 'Bearer realm="mcf-admin"');
    assert.deepEqual(missing.json.errors, [{ path: "header Authorization", message: "is required" }]);
    const wrong = await call(method, path, undefined, `${ADMIN_KEY}x`);
    assert.equal(wrong.status, 401);
    assert.deepEqual(wrong.json.errors, [{ path: "header Authorization", message: "is not the operator key" }]);
  }
});

test("create answers 201 with the keys, the secret only this once; reads never show secrets", async () => {
  const created = await call("POST", "/v1/admin/tenants", NEW_TENANT);
  assert.equal(created.status, 201, created.text);
  assert.equal(created.headers.get("cache-control"), "no-store");
  assert.equal(created.headers.get("location"), `/v1/admin/tenants/${created.json.id}`);
  assert.match(created.json.publishableKey, /^pk_/);
  assert.match(created.json.secretKey, /^sk_/);
  assert.equal(created.json.name, "Echo Supplies");
  assert.equal(created.json.status, "active");
  assert.equal(created.json.connected, true);
  assert.ok(!created.text.includes(REFRESH_TOKEN));
  const list = await call("GET", "/v1/admin/tenants");
  assert.equal(list.status, 200);
  assert.ok(list.json.tenants.some((tenant: { id: string }) => tenant.id === created.json.id));
  const one = await call("GET", `/v1/admin/tenants/${created.json.id}`);
  assert.equal(one.json.publishableKey, created.json.publishableKey);
  for (const reply of [list, one]) {
    assert.ok(!reply.text.includes(created.json.secretKey), "secret key in a read");
    assert.ok(!reply.text.includes(REFRESH_TOKEN), "refresh token in a read");
    assert.ok(!/secretKey|refreshToken|secret_key|refresh_token/.test(reply.text));
  }
  const rows = JSON.stringify((await sql`select * from mcf_tenants`.execute(h.store.db)).rows);
  assert.ok(!rows.includes(REFRESH_TOKEN) && !rows.includes(created.json.secretKey));
  assert.equal((await h.store.resolveKey("secret", created.json.secretKey))?.id, created.json.id);
  // The same seller in the same region again is a conflict naming the field.
  const again = await call("POST", "/v1/admin/tenants", NEW_TENANT);
  assert.equal(again.status, 409);
  assert.deepEqual(again.json.errors, [
    { path: "sellingPartnerId", message: "already belongs to a tenant in this region" },
  ]);
});

test("bad input is refused naming every field, and nothing is created", async () => {
  const count = await h.store.count();
  const bad = await call("POST", "/v1/admin/tenants", {
    name: "",
    region: "eu",
    marketplaceIds: ["ATVPDKIKX0DER"],
    allowedOrigins: ["echo.example"],
    refreshToken: "not-a-token",
    pricing: { default: { type: "gratis" } },
  });
  assert.equal(bad.status, 400, bad.text);
  assert.equal(bad.headers.get("content-type"), "application/problem+json");
  assert.deepEqual(
    bad.json.errors.map((error: { path: string }) => error.path),
    ["name", "allowedOrigins[0]", "refreshToken", "pricing.default.type"],
  );
  const region = await call("POST", "/v1/admin/tenants", {
    ...NEW_TENANT,
    sellingPartnerId: "A1OTHER",
    marketplaceIds: ["ATVPDKIKX0DER"],
    pricing: { default: { type: "gratis" } },
  });
  assert.deepEqual(
    region.json.errors.map((error: { path: string }) => error.path),
    ["marketplaceIds[0]", "pricing.default.type"],
  );
  assert.ok(!region.text.includes(REFRESH_TOKEN), "a refused body is not echoed");
  const notJson = await call("POST", "/v1/admin/tenants", "{nope");
  assert.equal(notJson.status, 400);
  assert.deepEqual(notJson.json.errors, [{ path: "body", message: "is not valid JSON" }]);
  const wrongType = await fetch(`${h.proxyUrl}/v1/admin/tenants`, {
    method: "POST",
    headers: { authorization: `Bearer ${ADMIN_KEY}`, "content-type": "text/plain" },
    body: "{}",
  });
  assert.equal(wrongType.status, 415);
  assert.equal(await h.store.count(), count);
});

test("a refresh token LWA does not accept is refused naming refreshToken, and nothing is stored", async () => {
  const count = await h.store.count();
  const revokedToken = await h.authorise("A1REVOKEDSELLER");
  assert.equal((await fetch(`${h.sandbox.url}/_sandbox/sellers/A1REVOKEDSELLER/revoke`, { method: "POST" })).ok, true);
  for (const [sellingPartnerId, refreshToken] of [
    ["A1MADEUPSELLER", "Atzr|anything"],
    ["A1REVOKEDSELLER", revokedToken],
    // A real token, but of another app's client (the sandbox's dev app): not this app's to use.
    ["A1SANDBOXSELLER", DEV_CREDENTIALS.refreshToken],
  ] as const) {
    const refused = await call("POST", "/v1/admin/tenants", { ...TENANT, sellingPartnerId, refreshToken });
    assert.equal(refused.status, 400, refused.text);
    assert.equal(refused.headers.get("content-type"), "application/problem+json");
    assert.deepEqual(refused.json.errors, [
      { path: "refreshToken", message: "LWA does not accept this refresh token" },
    ]);
    assert.ok(!refused.text.includes(refreshToken), "the token is not echoed");
    assert.equal(await h.store.findBySellingPartner(sellingPartnerId, "eu"), undefined);
  }
  assert.equal(await h.store.count(), count);
});

test("LWA unreachable: 503 and nothing stored; a tenant without a token needs no LWA", async () => {
  const count = await h.store.count();
  const closed = await new Promise<number>((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
  const reachable = h.lwa.tokenUrl;
  h.lwa.tokenUrl = `http://127.0.0.1:${closed}/auth/o2/token`;
  try {
    const body = await tenantOf("A1OUTAGESELLER");
    const down = await call("POST", "/v1/admin/tenants", body);
    assert.equal(down.status, 503, down.text);
    assert.equal(down.headers.get("content-type"), "application/problem+json");
    assert.ok(down.headers.get("retry-after"));
    assert.deepEqual(down.json.errors, [{ path: "refreshToken", message: "could not be checked with LWA" }]);
    assert.ok(!down.text.includes(body.refreshToken));
    assert.equal(await h.store.findBySellingPartner("A1OUTAGESELLER", "eu"), undefined);
    assert.equal(await h.store.count(), count);
    const { refreshToken: _none, ...pending } = { ...body, sellingPartnerId: "A1PENDINGSELLER" };
    const created = await call("POST", "/v1/admin/tenants", pending);
    assert.equal(created.status, 201, created.text);
    assert.equal(created.json.status, "pending");
  } finally {
    h.lwa.tokenUrl = reachable;
  }
});

test("two creates of one seller at once: one 201, the other 409 naming sellingPartnerId, never a 500", async () => {
  const tenant = await tenantOf("A1TWINSELLER");
  const replies = await Promise.all([
    call("POST", "/v1/admin/tenants", tenant),
    call("POST", "/v1/admin/tenants", tenant),
  ]);
  assert.deepEqual(replies.map((reply) => reply.status).sort(), [201, 409], replies.map((r) => r.text).join("\n"));
  assert.deepEqual(replies.find((reply) => reply.status === 409)?.json.errors, [
    { path: "sellingPartnerId", message: "already belongs to a tenant in this region" },
  ]);
});

test("PATCH cannot make a tenant active that Amazon has not authorised (pending) or refused (needs-reauthorisation)", async () => {
  const { json: pending } = await call("POST", "/v1/admin/tenants", { ...TENANT, sellingPartnerId: undefined });
  assert.equal(pending.status, "pending");
  const refused = await call("PATCH", `/v1/admin/tenants/${pending.id}`, { status: "active" });
  assert.equal(refused.status, 400);
  assert.deepEqual(refused.json.errors, [
    {
      path: "status",
      message: "a tenant without an Amazon authorisation cannot be active; it becomes active when the seller connects",
    },
  ]);
  // Disabling, and enabling again, stays the operator's: not active without a token all the same.
  assert.equal(
    (await call("PATCH", `/v1/admin/tenants/${pending.id}`, { status: "disabled" })).json.status,
    "disabled",
  );
  assert.equal((await call("PATCH", `/v1/admin/tenants/${pending.id}`, { status: "active" })).status, 400);
  assert.equal((await h.store.get(pending.id))?.status, "disabled");
  const { json: revoked } = await call("POST", "/v1/admin/tenants", await tenantOf("A1REVOKEDSELLER"));
  await h.store.markNeedsReauthorisation(revoked.id);
  const again = await call("PATCH", `/v1/admin/tenants/${revoked.id}`, { status: "active" });
  assert.equal(again.status, 400);
  assert.equal(again.json.errors[0].path, "status");
  assert.equal((await h.store.get(revoked.id))?.status, "needs-reauthorisation");
  assert.equal((await call("DELETE", `/v1/admin/tenants/${revoked.id}`)).status, 204);
  // A connected tenant the operator disabled is enabled again by PATCH.
  const { json: enabled } = await call("POST", "/v1/admin/tenants", await tenantOf("A1ENABLEDSELLER"));
  await call("PATCH", `/v1/admin/tenants/${enabled.id}`, { status: "disabled" });
  assert.equal((await call("PATCH", `/v1/admin/tenants/${enabled.id}`, { status: "active" })).json.status, "active");
});

test("update pricing, origins, policy; unknown ids are 404 naming the id", async () => {
  const { json: tenant } = await call("POST", "/v1/admin/tenants", await tenantOf("A1UPDATESELLER"));
  const updated = await call("PATCH", `/v1/admin/tenants/${tenant.id}`, {
    pricing: { speeds: { Standard: { type: "free" } } },
    allowedOrigins: ["https://echo.example", "https://shop.echo.example"],
    browserOrders: "off",
  });
  assert.equal(updated.status, 200, updated.text);
  assert.deepEqual(updated.json.pricing, { speeds: { Standard: { type: "free" } } });
  assert.deepEqual(updated.json.allowedOrigins, ["https://echo.example", "https://shop.echo.example"]);
  assert.equal(updated.json.browserOrders, "off");
  const refused = await call("PATCH", `/v1/admin/tenants/${tenant.id}`, { region: "na", browserOrders: "later" });
  assert.equal(refused.status, 400);
  assert.deepEqual(refused.json.errors.map((error: { path: string }) => error.path).sort(), [
    "browserOrders",
    "region",
  ]);
  const missing = await call("PATCH", "/v1/admin/tenants/tn_missing", { name: "x" });
  assert.equal(missing.status, 404);
  assert.deepEqual(missing.json.errors, [{ path: "id", message: "is not a tenant" }]);
  assert.equal((await call("GET", "/v1/admin/tenants/tn_missing")).status, 404);
});

test("key rotation: new keys at once, the old ones stop working, the secret shown only when rotated", async () => {
  const { json: tenant } = await call("POST", "/v1/admin/tenants", await tenantOf("A1ROTATESELLER"));
  const onlyPublishable = await call("POST", `/v1/admin/tenants/${tenant.id}/keys`, { keys: ["publishable"] });
  assert.equal(onlyPublishable.status, 200, onlyPublishable.text);
  assert.notEqual(onlyPublishable.json.publishableKey, tenant.publishableKey);
  assert.equal(onlyPublishable.json.secretKey, undefined);
  assert.equal(await h.store.resolveKey("publishable", tenant.publishableKey), undefined);
  assert.equal((await h.store.resolveKey("secret", tenant.secretKey))?.id, tenant.id);
  const both = await call("POST", `/v1/admin/tenants/${tenant.id}/keys`);
  assert.match(both.json.secretKey, /^sk_/);
  assert.equal(await h.store.resolveKey("secret", tenant.secretKey), undefined);
  assert.equal((await h.store.resolveKey("secret", both.json.secretKey))?.id, tenant.id);
  const bad = await call("POST", `/v1/admin/tenants/${tenant.id}/keys`, { keys: ["master"] });
  assert.equal(bad.status, 400);
  assert.deepEqual(bad.json.errors, [{ path: "keys", message: 'must list "publishable", "secret" or both' }]);
  assert.equal((await call("POST", "/v1/admin/tenants/tn_missing/keys")).status, 404);
});

test("delete wipes the tenant and its refresh token; its keys stop working", async () => {
  const body = await tenantOf("A1DELETESELLER");
  const { json: tenant } = await call("POST", "/v1/admin/tenants", body);
  assert.equal(await h.store.refreshToken(tenant.id), body.refreshToken);
  const deleted = await call("DELETE", `/v1/admin/tenants/${tenant.id}`);
  assert.equal(deleted.status, 204);
  assert.equal(deleted.text, "");
  assert.equal(await h.store.refreshToken(tenant.id), undefined);
  assert.equal(await h.store.resolveKey("secret", tenant.secretKey), undefined);
  assert.equal((await call("GET", `/v1/admin/tenants/${tenant.id}`)).status, 404);
  assert.equal((await call("DELETE", `/v1/admin/tenants/${tenant.id}`)).status, 404);
});

test("the health view lists tenants to re-authorise within 30 days and those that need it now", async () => {
  const { json: expiring } = await call("POST", "/v1/admin/tenants", await tenantOf("A1EXPIRESELLER"));
  const { json: broken } = await call("POST", "/v1/admin/tenants", await tenantOf("A1BROKENSELLER"));
  await h.store.markNeedsReauthorisation(broken.id);
  const now = await call("GET", "/v1/admin/health");
  assert.equal(now.status, 200);
  assert.equal(now.json.expiringWithinDays, 30);
  assert.ok(
    !now.json.expiring.some((t: { id: string }) => t.id === expiring.id),
    "a fresh authorisation is not expiring",
  );
  assert.deepEqual(
    now.json.needsReauthorisation.map((t: { id: string }) => t.id),
    [broken.id],
  );
  h.storeClock.advance(336 * 86_400_000);
  const later = await call("GET", "/v1/admin/health");
  assert.ok(later.json.expiring.some((t: { id: string }) => t.id === expiring.id));
  assert.equal(later.json.tenants, await h.store.count());
});

test("the OpenAPI fragment's request schemas accept and refuse what the routes do", async () => {
  const { paths, schemas, securitySchemes } = adminOpenApi();
  assert.deepEqual(Object.keys(paths).sort(), [
    "/v1/admin/health",
    "/v1/admin/tenants",
    "/v1/admin/tenants/{id}",
    "/v1/admin/tenants/{id}/keys",
    "/v1/admin/tenants/{id}/reconnect",
  ]);
  assert.ok(securitySchemes.adminKey);
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  const create = ajv.compile(schemas.TenantCreateRequest as object);
  const update = ajv.compile(schemas.TenantUpdateRequest as object);
  const cases: [unknown, boolean][] = [
    [{ ...NEW_TENANT, sellingPartnerId: "A1SCHEMASELLER" }, true],
    [{ ...NEW_TENANT, allowedOrigins: ["echo.example"] }, false],
    [{ ...NEW_TENANT, allowedOrigins: ["https://echo.example/path"] }, false],
    [{ ...NEW_TENANT, allowedOrigins: ["*"], sellingPartnerId: "A1STARSELLER" }, true],
    [{ ...NEW_TENANT, marketplaceIds: ["NOPE1234"] }, false],
    [{ ...NEW_TENANT, colour: "red" }, false],
    [{ ...NEW_TENANT, refreshToken: "nope" }, false],
  ];
  for (const [body, valid] of cases) {
    assert.equal(create(body), valid, `schema on ${JSON.stringify(body)}: ${JSON.stringify(create.errors)}`);
    const reply = await call("POST", "/v1/admin/tenants", body);
    assert.equal(reply.status === 201, valid, `route on ${JSON.stringify(body)}: ${reply.text}`);
  }
  assert.equal(update({ browserOrders: "ship", status: "disabled" }), true);
  assert.equal(update({ region: "na" }), false);
});
