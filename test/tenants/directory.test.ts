// A request's key names its tenant: in the tenant store (connector mode) and for the environment's one merchant.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { after, before, test } from "node:test";
import { Problem } from "../../proxy/problems/index.ts";
import {
  ENVIRONMENT_TENANT_ID,
  type EnvironmentTenant,
  environmentDirectory,
  identifyTenant,
  parseTokenKeys,
  syncSqliteDialect,
  TenantStore,
} from "../../proxy/tenants/index.ts";
import { KEY_A, US_TENANT } from "./suite.ts";

let dir: string;
let store: TenantStore;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "mcf-directory-"));
  store = await TenantStore.open({
    dialect: syncSqliteDialect(new DatabaseSync(join(dir, "tenants.db"))),
    tokenKeys: await parseTokenKeys(KEY_A),
  });
});
after(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

async function refusal(run: Promise<unknown>): Promise<{ status: number; message: string }> {
  try {
    await run;
  } catch (error) {
    assert.ok(error instanceof Problem);
    assert.equal(error.body.errors?.[0]?.path, "header Authorization");
    return { status: error.body.status, message: error.body.errors?.[0]?.message ?? "" };
  }
  assert.fail("expected a refusal");
}

test("in the tenant store, each tenant's keys name that tenant and the kind of caller", async () => {
  const a = await store.create(US_TENANT);
  const b = await store.create({ ...US_TENANT, name: "Bravo", sellingPartnerId: "A1BRAVOSELLER" });
  assert.deepEqual(await identifyTenant(store, `Bearer ${a.secretKey}`), { tenant: a.tenant, caller: "server" });
  assert.deepEqual(await identifyTenant(store, `Bearer ${a.publishableKey}`), { tenant: a.tenant, caller: "browser" });
  assert.equal((await identifyTenant(store, `bearer ${b.secretKey}`)).tenant.id, b.tenant.id);
  assert.equal((await refusal(identifyTenant(store, undefined))).status, 401, "connector mode always needs a key");
  assert.deepEqual(await refusal(identifyTenant(store, `Bearer ${a.secretKey}-x`)), {
    status: 401,
    message: "is not a key of this proxy",
  });
  assert.deepEqual(await refusal(identifyTenant(store, a.secretKey)), {
    status: 401,
    message: "must be `Bearer <key>`",
  });
  await store.update(b.tenant.id, { status: "disabled" });
  assert.equal((await refusal(identifyTenant(store, `Bearer ${b.publishableKey}`))).status, 403);
  await store.markNeedsReauthorisation(a.tenant.id);
  const stale = await identifyTenant(store, `Bearer ${a.publishableKey}`);
  assert.equal(stale.tenant.status, "needs-reauthorisation", "still identified: the routes serve estimates and 503");
});

const ENV: EnvironmentTenant = {
  region: "na",
  marketplaceIds: ["ATVPDKIKX0DER"],
  allowedOrigins: ["https://shop.example"],
  pricing: {},
  browserOrders: "hold",
  fallbackRates: [],
  refreshToken: "Atzr|env-token",
  secretKey: "env-secret-key-value",
  publishableKey: "env-publishable-key",
};

test("the environment's merchant is a directory of one, no database", async () => {
  const directory = environmentDirectory(ENV);
  const server = await identifyTenant(directory, "Bearer env-secret-key-value");
  assert.equal(server.caller, "server");
  assert.equal(server.tenant.id, ENVIRONMENT_TENANT_ID);
  assert.deepEqual(server.tenant.allowedOrigins, ["https://shop.example"]);
  assert.equal((await identifyTenant(directory, "Bearer env-publishable-key")).caller, "browser");
  assert.equal((await refusal(identifyTenant(directory, undefined))).status, 401);
  assert.equal((await refusal(identifyTenant(directory, "Bearer nope"))).status, 401);
  assert.equal(await directory.refreshToken(ENVIRONMENT_TENANT_ID), "Atzr|env-token");
  assert.equal(await directory.refreshToken("tn_other"), undefined);
  assert.ok(!JSON.stringify(server.tenant).includes("env-secret-key-value"));
  assert.ok(!JSON.stringify(server.tenant).includes("Atzr|env-token"));
  await directory.markNeedsReauthorisation(ENVIRONMENT_TENANT_ID);
  assert.equal((await identifyTenant(directory, "Bearer env-secret-key-value")).tenant.status, "needs-reauthorisation");
});

test("without a publishable key, browsers reach the environment's merchant with no key at all", async () => {
  const { publishableKey: _none, ...keyless } = ENV;
  const directory = environmentDirectory(keyless);
  assert.deepEqual((await identifyTenant(directory, undefined)).caller, "browser");
  assert.equal((await identifyTenant(directory, "Bearer env-secret-key-value")).caller, "server");
  assert.equal((await refusal(identifyTenant(directory, "Bearer "))).status, 401);
  assert.equal((await refusal(identifyTenant(directory, "Bearer something"))).status, 401);
});
