// The tenant-store suite: the same cases on every engine (node:sqlite, bun:sqlite, D1 through Miniflare, a real
// PostgreSQL). Plain async functions with node:assert, so a bun process can run them too.
import assert from "node:assert/strict";
import type { Dialect } from "kysely";
import { sql } from "kysely";
import { parseTokenKeys, type TenantCreate, TenantStore, type TokenKeyRing } from "../../proxy/tenants/index.ts";

export interface Engine {
  name: string;
  /** A dialect on the engine's test database (the same database every call). */
  dialect(): Dialect;
  close(): Promise<void>;
}

export const KEY_A = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
export const KEY_B = "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=";

export const US_TENANT: TenantCreate = {
  name: "Acme Outdoor",
  region: "na",
  marketplaceIds: ["ATVPDKIKX0DER"],
  allowedOrigins: ["https://acme.example"],
  sellingPartnerId: "A1ACMESELLER",
  refreshToken: "Atzr|acme-refresh-token-value",
};

interface Manual {
  now(): number;
  advance(ms: number): void;
}
function manual(start = Date.parse("2026-12-01T00:00:00Z")): Manual {
  let now = start;
  return {
    now: () => now,
    advance: (ms) => {
      now += ms;
    },
  };
}

interface Ctx {
  engine: Engine;
  keys: TokenKeyRing;
  open(options?: { keys?: TokenKeyRing; clock?: Manual; onQuery?: (sql: string) => void }): Promise<TenantStore>;
}

/** Every value of every row, for "the database holds secrets only sealed or hashed". */
async function rawDump(store: TenantStore): Promise<string> {
  const tenants = await sql`select * from mcf_tenants`.execute(store.db);
  const states = await sql`select * from mcf_oauth_states`.execute(store.db);
  return JSON.stringify([tenants.rows, states.rows]);
}

export const CASES: Record<string, (ctx: Ctx) => Promise<void>> = {
  async "migrations run at start, once"(ctx) {
    const store = await ctx.open();
    const again = await ctx.open();
    const applied = await sql<{ name: string }>`select name from mcf_migrations`.execute(store.db);
    assert.deepEqual(
      applied.rows.map((row) => row.name),
      ["0001_tenants"],
    );
    assert.equal(await again.count(), 0);
    await again.close();
    await store.close();
  },

  async "create shows the secret key once; reads never show it or the refresh token"(ctx) {
    const store = await ctx.open();
    const created = await store.create(US_TENANT);
    assert.match(created.publishableKey, /^pk_[A-Za-z0-9_-]{32}$/);
    assert.match(created.secretKey, /^sk_[A-Za-z0-9_-]{43}$/);
    assert.equal(created.tenant.status, "active");
    assert.equal(created.tenant.connected, true);
    assert.equal(created.tenant.sellingPartnerId, "A1ACMESELLER");
    assert.ok(created.tenant.authorisedAt);
    const read = await store.get(created.tenant.id);
    assert.deepEqual(read, created.tenant);
    assert.deepEqual(await store.list(), [created.tenant]);
    for (const view of [read, ...(await store.list())]) {
      const text = JSON.stringify(view);
      assert.ok(!text.includes(created.secretKey), "secret key in a tenant view");
      assert.ok(!text.includes(US_TENANT.refreshToken!), "refresh token in a tenant view");
    }
    assert.equal(await store.refreshToken(created.tenant.id), US_TENANT.refreshToken);
    const raw = await rawDump(store);
    assert.ok(raw.includes(created.tenant.id));
    assert.ok(!raw.includes(created.secretKey), "the database holds the secret key");
    assert.ok(!raw.includes(US_TENANT.refreshToken!), "the database holds the refresh token");
    assert.ok(!raw.includes("acme-refresh"), "the database holds part of the refresh token");
    await store.close();
  },

  async "a tenant without a refresh token is pending and can be authorised later"(ctx) {
    const store = await ctx.open();
    const { tenant } = await store.create({ ...US_TENANT, refreshToken: undefined, sellingPartnerId: undefined });
    assert.equal(tenant.status, "pending");
    assert.equal(tenant.connected, false);
    assert.equal(tenant.authorisedAt, null);
    assert.equal(await store.refreshToken(tenant.id), undefined);
    const authorised = await store.authorise(tenant.id, { sellingPartnerId: "A2NEWSELLER", refreshToken: "Atzr|new" });
    assert.equal(authorised?.status, "active");
    assert.equal(authorised?.sellingPartnerId, "A2NEWSELLER");
    assert.equal(await store.refreshToken(tenant.id), "Atzr|new");
    assert.equal(
      await store.authorise("tn_missing", { sellingPartnerId: "A2X0000", refreshToken: "Atzr|x" }),
      undefined,
    );
    await store.close();
  },

  async "keys resolve to their tenant; unknown keys to nothing"(ctx) {
    const store = await ctx.open();
    const a = await store.create(US_TENANT);
    const b = await store.create({ ...US_TENANT, name: "Bravo", sellingPartnerId: "A1BRAVOSELLER" });
    assert.equal((await store.resolveKey("publishable", a.publishableKey))?.id, a.tenant.id);
    assert.equal((await store.resolveKey("secret", a.secretKey))?.id, a.tenant.id);
    assert.equal((await store.resolveKey("publishable", b.publishableKey))?.id, b.tenant.id);
    assert.equal((await store.resolveKey("secret", b.secretKey))?.id, b.tenant.id);
    // A key of one kind does not work as the other, nor does a near miss.
    assert.equal(await store.resolveKey("secret", a.publishableKey), undefined);
    assert.equal(await store.resolveKey("publishable", a.secretKey), undefined);
    assert.equal(await store.resolveKey("secret", `${a.secretKey}x`), undefined);
    assert.equal(await store.findBySellingPartner("A1BRAVOSELLER", "na").then((t) => t?.id), b.tenant.id);
    assert.equal(await store.findBySellingPartner("A1BRAVOSELLER", "eu"), undefined);
    await store.close();
  },

  async "seeding with chosen keys is idempotent and updates in place"(ctx) {
    const store = await ctx.open();
    const seed = { ...US_TENANT, id: "demo-us", publishableKey: "pk_demo_us_key", secretKey: "sk_demo_us_secret_key" };
    const first = await store.seed(seed);
    assert.equal(first.id, "demo-us");
    assert.equal((await store.resolveKey("secret", seed.secretKey))?.id, "demo-us");
    const again = await store.seed({ ...seed, allowedOrigins: ["https://demo.example"], refreshToken: "Atzr|rotated" });
    assert.equal(again.createdAt, first.createdAt);
    assert.deepEqual(again.allowedOrigins, ["https://demo.example"]);
    assert.equal(await store.count(), 1);
    assert.equal(await store.refreshToken("demo-us"), "Atzr|rotated");
    assert.equal((await store.resolveKey("publishable", "pk_demo_us_key"))?.id, "demo-us");
    assert.ok(!(await rawDump(store)).includes(seed.secretKey), "a seeded secret key is stored hashed");
    await assert.rejects(store.seed({ ...seed, id: "bad id!" }), /id must be/);
    await store.close();
  },

  async "one tenant per seller and region"(ctx) {
    const store = await ctx.open();
    await store.create(US_TENANT);
    await assert.rejects(store.create({ ...US_TENANT, name: "Duplicate" }));
    assert.equal(await store.count(), 1);
    await store.close();
  },

  async "updates apply; rotated keys replace the old ones at once"(ctx) {
    const store = await ctx.open();
    const { tenant, publishableKey, secretKey } = await store.create(US_TENANT);
    assert.equal((await store.resolveKey("secret", secretKey))?.name, "Acme Outdoor");
    const updated = await store.update(tenant.id, {
      name: "Acme",
      allowedOrigins: ["https://acme.example", "https://www.acme.example"],
      pricing: { default: { type: "free" } },
      browserOrders: "ship",
      status: "disabled",
    });
    assert.equal(updated?.name, "Acme");
    assert.deepEqual(updated?.allowedOrigins, ["https://acme.example", "https://www.acme.example"]);
    assert.deepEqual(updated?.pricing, { default: { type: "free" } });
    assert.equal(updated?.browserOrders, "ship");
    assert.equal(updated?.status, "disabled");
    assert.equal(
      (await store.resolveKey("secret", secretKey))?.name,
      "Acme",
      "a write refreshes this instance's cache",
    );
    const rotated = await store.rotateKeys(tenant.id, ["secret"]);
    assert.ok(rotated);
    assert.equal(rotated.publishableKey, publishableKey, "only the secret key was rotated");
    assert.notEqual(rotated.secretKey, secretKey);
    assert.equal(await store.resolveKey("secret", secretKey), undefined);
    assert.equal((await store.resolveKey("secret", rotated.secretKey))?.id, tenant.id);
    const both = await store.rotateKeys(tenant.id);
    assert.notEqual(both?.publishableKey, publishableKey);
    assert.equal(await store.resolveKey("publishable", publishableKey), undefined);
    assert.equal(await store.update("tn_missing", { name: "x" }), undefined);
    assert.equal(await store.rotateKeys("tn_missing"), undefined);
    await store.close();
  },

  async "delete wipes the tenant and its refresh token"(ctx) {
    const store = await ctx.open();
    const { tenant, secretKey } = await store.create(US_TENANT);
    await store.resolveKey("secret", secretKey);
    assert.equal(await store.delete(tenant.id), true);
    assert.equal(await store.delete(tenant.id), false);
    assert.equal(await store.get(tenant.id), undefined);
    assert.equal(await store.refreshToken(tenant.id), undefined);
    assert.equal(await store.resolveKey("secret", secretKey), undefined);
    assert.ok(!(await rawDump(store)).includes(tenant.id));
    await store.close();
  },

  async "re-authorisation replaces the token and restarts Amazon's 365 days"(ctx) {
    const clock = manual();
    const store = await ctx.open({ clock });
    const { tenant } = await store.create(US_TENANT);
    assert.equal(tenant.authorisationExpiresAt, "2027-12-01T00:00:00.000Z");
    clock.advance(340 * 86_400_000);
    assert.deepEqual(
      (await store.expiringWithin(30)).map((t) => t.id),
      [tenant.id],
    );
    // A refusal of an older authorisation than the stored one marks nothing.
    assert.equal(await store.markNeedsReauthorisation(tenant.id, "2020-01-01T00:00:00.000Z"), undefined);
    assert.equal((await store.get(tenant.id))?.status, "active");
    const marked = await store.markNeedsReauthorisation(tenant.id, tenant.authorisedAt);
    assert.equal(marked?.status, "needs-reauthorisation");
    assert.equal(await store.markNeedsReauthorisation(tenant.id), undefined, "only an active tenant is marked");
    const renewed = await store.authorise(tenant.id, {
      sellingPartnerId: "A1ACMESELLER",
      refreshToken: "Atzr|renewed",
    });
    assert.equal(renewed?.status, "active");
    assert.equal(await store.refreshToken(tenant.id), "Atzr|renewed");
    assert.deepEqual(await store.expiringWithin(30), []);
    // A tenant the operator disabled stays disabled when its seller reconnects, and a late refusal leaves it so.
    await store.update(tenant.id, { status: "disabled" });
    assert.equal(await store.markNeedsReauthorisation(tenant.id), undefined);
    const reconnected = await store.authorise(tenant.id, {
      sellingPartnerId: "A1ACMESELLER",
      refreshToken: "Atzr|again",
    });
    assert.equal(reconnected?.status, "disabled");
    assert.equal(await store.refreshToken(tenant.id), "Atzr|again");
    await store.close();
  },

  async "token keys rotate: old tokens open under the new ring and reseal to the new key"(ctx) {
    const store = await ctx.open();
    const { tenant } = await store.create(US_TENANT);
    await store.close();
    const rotatedRing = await parseTokenKeys(`${KEY_B},${KEY_A}`);
    const rotated = await ctx.open({ keys: rotatedRing });
    assert.equal(await rotated.refreshToken(tenant.id), US_TENANT.refreshToken);
    assert.equal(await rotated.resealTokens(), 1);
    assert.equal(await rotated.resealTokens(), 0);
    await rotated.close();
    const onlyNew = await ctx.open({ keys: await parseTokenKeys(KEY_B) });
    assert.equal(await onlyNew.refreshToken(tenant.id), US_TENANT.refreshToken);
    await onlyNew.close();
    const onlyOld = await ctx.open();
    await assert.rejects(onlyOld.refreshToken(tenant.id), /no longer holds/);
    await onlyOld.close();
  },

  async "a sealed token moved onto another tenant's row does not open"(ctx) {
    const store = await ctx.open();
    const a = await store.create(US_TENANT);
    const b = await store.create({ ...US_TENANT, sellingPartnerId: "A1BRAVOSELLER", refreshToken: "Atzr|bravo" });
    const row = await store.db
      .selectFrom("mcf_tenants")
      .select("refresh_token_sealed")
      .where("id", "=", a.tenant.id)
      .executeTakeFirstOrThrow();
    await store.db
      .updateTable("mcf_tenants")
      .set({ refresh_token_sealed: row.refresh_token_sealed })
      .where("id", "=", b.tenant.id)
      .execute();
    await assert.rejects(store.refreshToken(b.tenant.id), /another tenant/);
    await store.close();
  },

  async "OAuth states are single-use, bound to their session and expire"(ctx) {
    const clock = manual();
    const store = await ctx.open({ clock });
    const request = { name: "New Shop", marketplaceId: "ATVPDKIKX0DER", locale: "ja" };
    const state = await store.states.issue("session-1", request);
    assert.match(state, /^[A-Za-z0-9_-]{32}$/);
    assert.ok(!(await rawDump(store)).includes(state), "the database holds the state itself");
    assert.ok(!(await rawDump(store)).includes("session-1"), "the database holds the session id");
    assert.deepEqual(await store.states.consume(state, "session-1"), { ok: true, request });
    assert.deepEqual(await store.states.consume(state, "session-1"), { ok: false, reason: "unknown" });
    const stolen = await store.states.issue("session-1", request);
    assert.deepEqual(await store.states.consume(stolen, "session-2"), { ok: false, reason: "session" });
    assert.deepEqual(await store.states.consume(stolen, "session-1"), { ok: false, reason: "unknown" });
    const slow = await store.states.issue("session-1", request, 60_000);
    clock.advance(60_000);
    assert.deepEqual(await store.states.consume(slow, "session-1"), { ok: false, reason: "expired" });
    await assert.rejects(store.states.issue("session-1", request, 10 * 60_000 + 1), RangeError);
    // Expired states are swept when new ones are issued.
    await store.states.issue("session-1", request, 1000);
    clock.advance(1000);
    await store.states.issue("session-1", request);
    const left = await sql<{ n: number | string }>`select count(*) as n from mcf_oauth_states`.execute(store.db);
    assert.equal(Number(left.rows[0]?.n), 1);
    await store.close();
  },

  async "a busy key never waits on the database; another instance's deletion shows within twice the TTL"(ctx) {
    const clock = manual();
    const statements: string[] = [];
    const store = await ctx.open({ clock, onQuery: (statement) => statements.push(statement) });
    const elsewhere = await ctx.open({ clock });
    const { tenant, publishableKey } = await store.create(US_TENANT);
    const lookups = () => statements.filter((statement) => /publishable_key/.test(statement)).length;
    await store.resolveKey("publishable", publishableKey);
    const first = lookups();
    clock.advance(5_000);
    // Past the TTL: the cached tenant answers at once, and one lookup refreshes it behind.
    assert.equal((await store.resolveKey("publishable", publishableKey))?.id, tenant.id);
    assert.equal((await store.resolveKey("publishable", publishableKey))?.id, tenant.id);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(lookups(), first + 1, "one background refresh, however many callers");
    await elsewhere.delete(tenant.id);
    clock.advance(5_000);
    assert.equal((await store.resolveKey("publishable", publishableKey))?.id, tenant.id, "one stale answer");
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(await store.resolveKey("publishable", publishableKey), undefined, "the refresh saw the deletion");
    await store.close();
    await elsewhere.close();
  },

  async "with 1,000 tenants a key resolves with one indexed query, then from memory"(ctx) {
    const statements: string[] = [];
    const store = await ctx.open({ onQuery: (statement) => statements.push(statement) });
    // 999 rows in one statement (a recursive CTE, portable across the engines), then one tenant with real keys.
    await sql`
      insert into mcf_tenants (id, name, region, marketplace_ids, selling_partner_id, refresh_token_sealed,
        publishable_key, secret_key_hash, allowed_origins, pricing, browser_orders, fallback_rates, status,
        authorised_at, created_at, updated_at)
      with recursive n(i) as (select 1 union all select i + 1 from n where i < 999)
      select 'tn_bulk_' || i, 'Shop ' || i, 'na', '["ATVPDKIKX0DER"]', 'A' || i || 'BULK', null,
        'pk_bulk_' || i, 'hash_bulk_' || i, '[]', '{}', 'hold', '[]', 'pending', null,
        '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'
      from n`.execute(store.db);
    const last = await store.create(US_TENANT);
    assert.equal(await store.count(), 1000);
    assert.equal((await store.get("tn_bulk_999"))?.name, "Shop 999");
    statements.length = 0;
    for (let i = 0; i < 50; i++) {
      assert.equal((await store.resolveKey("publishable", last.publishableKey))?.id, last.tenant.id);
      assert.equal((await store.resolveKey("secret", last.secretKey))?.id, last.tenant.id);
    }
    assert.equal(statements.length, 2, statements.join("\n"));
    assert.match(statements[0]!, /where "publishable_key" = /);
    assert.match(statements[1]!, /where "secret_key_hash" = /);
    await store.close();
  },
};

/** A context over one engine; `reset` empties the tables between cases. */
export async function suiteContext(engine: Engine): Promise<Ctx & { reset(): Promise<void> }> {
  const keys = await parseTokenKeys(KEY_A);
  const ctx: Ctx = {
    engine,
    keys,
    open: (options = {}) =>
      TenantStore.open({
        dialect: engine.dialect(),
        tokenKeys: options.keys ?? keys,
        ...(options.clock ? { clock: options.clock } : {}),
        ...(options.onQuery ? { onQuery: options.onQuery } : {}),
      }),
  };
  return {
    ...ctx,
    async reset() {
      const store = await ctx.open();
      await store.db.deleteFrom("mcf_oauth_states").execute();
      await store.db.deleteFrom("mcf_tenants").execute();
      await store.close();
    },
  };
}

export interface CaseResult {
  name: string;
  error?: string;
}

/** Every case on one engine, for runners outside node:test (a bun process, a Worker): one result per case. */
export async function runCases(engine: Engine): Promise<CaseResult[]> {
  const ctx = await suiteContext(engine);
  const results: CaseResult[] = [];
  for (const [name, run] of Object.entries(CASES)) {
    try {
      await ctx.reset();
      await run(ctx);
      results.push({ name });
    } catch (error) {
      results.push({ name, error: String((error as Error)?.stack ?? error) });
    }
  }
  return results;
}
