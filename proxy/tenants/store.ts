// The tenant store: merchants in a real database through Kysely (SQLite, D1 or PostgreSQL: the caller picks the
// dialect), secrets sealed or hashed before they reach a row, and resolved keys cached briefly so a request costs the
// same with 1,000 tenants as with one.
import { type Dialect, Kysely } from "kysely";
import {
  generateMerchantKeys,
  hashSecretKey,
  openToken,
  randomId,
  sealedKeyId,
  sealToken,
  type TokenKeyRing,
} from "./crypto.ts";
import type { TenantDirectory } from "./directory.ts";
import {
  authorisationExpiry,
  DAY_MS,
  type Tenant,
  type TenantCreate,
  type TenantStatus,
  type TenantUpdate,
} from "./model.ts";
import { migrateTenantDatabase, type TenantDatabase, type TenantsTable } from "./schema.ts";
import { type OAuthStateStore, oauthStateStore } from "./states.ts";

export interface Clock {
  now(): number;
}

export interface TenantStoreOptions {
  dialect: Dialect;
  tokenKeys: TokenKeyRing;
  clock?: Clock;
  /**
   * How long a resolved key stays fresh (default 5 s). For as long again it still answers while one lookup refreshes
   * it in the background, so a busy key never waits on the database; another instance therefore serves a deleted or
   * rotated key for at most twice this long.
   */
  cacheTtlMs?: number;
  /** Cached keys at most (default 10,000). */
  cacheSize?: number;
  /** Called with each SQL statement run (tests count them; never given parameters, which may hold key hashes). */
  onQuery?: (sql: string) => void;
}

/** A tenant with the keys to show once: the secret key exists only in this answer. */
export interface TenantWithKeys {
  tenant: Tenant;
  publishableKey: string;
  secretKey: string;
}

export type KeyKind = "publishable" | "secret";

const SEED_KEY = /^[A-Za-z0-9_-]{3,200}$/;

interface CacheEntry {
  tenant: Tenant | undefined;
  expiresAt: number;
  /** The lookup refreshing this entry in the background, if one runs. */
  refreshing?: Promise<Tenant | undefined>;
}

function rowToTenant(row: TenantsTable): Tenant {
  return {
    id: row.id,
    name: row.name,
    region: row.region as Tenant["region"],
    marketplaceIds: JSON.parse(row.marketplace_ids),
    sellingPartnerId: row.selling_partner_id,
    publishableKey: row.publishable_key,
    allowedOrigins: JSON.parse(row.allowed_origins),
    pricing: JSON.parse(row.pricing),
    browserOrders: row.browser_orders as Tenant["browserOrders"],
    fallbackRates: JSON.parse(row.fallback_rates),
    status: row.status as TenantStatus,
    connected: row.refresh_token_sealed !== null,
    authorisedAt: row.authorised_at,
    authorisationExpiresAt: authorisationExpiry(row.authorised_at),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export class TenantStore implements TenantDirectory {
  readonly db: Kysely<TenantDatabase>;
  /** OAuth `state`s of the onboarding flow, in the same database. */
  readonly states: OAuthStateStore;
  #keys: TokenKeyRing;
  #clock: Clock;
  #cache = new Map<string, CacheEntry>();
  #generation = 0;
  #cacheTtlMs: number;
  #cacheSize: number;

  private constructor(options: TenantStoreOptions) {
    const onQuery = options.onQuery;
    this.db = new Kysely<TenantDatabase>({
      dialect: options.dialect,
      ...(onQuery ? { log: (event) => onQuery(event.query.sql) } : {}),
    });
    this.#keys = options.tokenKeys;
    this.#clock = options.clock ?? { now: () => Date.now() };
    this.#cacheTtlMs = options.cacheTtlMs ?? 5000;
    this.#cacheSize = options.cacheSize ?? 10_000;
    this.states = oauthStateStore(this.db, this.#clock);
  }

  /** Opens the store and runs pending migrations. */
  static async open(options: TenantStoreOptions): Promise<TenantStore> {
    const store = new TenantStore(options);
    await migrateTenantDatabase(store.db);
    return store;
  }

  #now(): string {
    return new Date(this.#clock.now()).toISOString();
  }

  /** A row's columns for `input` under tenant `id` and these keys: secrets sealed or hashed here, nowhere else. */
  async #columns(
    id: string,
    input: TenantCreate,
    keys: { publishableKey: string; secretKey: string },
    now: string,
  ): Promise<Omit<TenantsTable, "id" | "created_at">> {
    const sealed = input.refreshToken ? await sealToken(this.#keys, input.refreshToken, id) : null;
    return {
      name: input.name,
      region: input.region,
      marketplace_ids: JSON.stringify(input.marketplaceIds),
      selling_partner_id: input.sellingPartnerId ?? null,
      refresh_token_sealed: sealed,
      publishable_key: keys.publishableKey,
      secret_key_hash: await hashSecretKey(keys.secretKey),
      allowed_origins: JSON.stringify(input.allowedOrigins),
      pricing: JSON.stringify(input.pricing ?? {}),
      browser_orders: input.browserOrders ?? "hold",
      fallback_rates: JSON.stringify(input.fallbackRates ?? []),
      status: sealed ? "active" : "pending",
      authorised_at: sealed ? now : null,
      updated_at: now,
    };
  }

  async create(input: TenantCreate): Promise<TenantWithKeys> {
    const id = randomId("tn_");
    const keys = generateMerchantKeys();
    const now = this.#now();
    const row: TenantsTable = { id, ...(await this.#columns(id, input, keys, now)), created_at: now };
    await this.db.insertInto("mcf_tenants").values(row).execute();
    return { tenant: rowToTenant(row), ...keys };
  }

  /**
   * Creates or refreshes a tenant with keys chosen by the caller (the demo's merchants, or the environment's merchant
   * kept in a store): the same `id` again updates it in place, so starting twice leaves one tenant.
   */
  async seed(input: TenantCreate & { id: string; publishableKey: string; secretKey: string }): Promise<Tenant> {
    for (const field of ["id", "publishableKey", "secretKey"] as const) {
      if (!SEED_KEY.test(input[field])) throw new TypeError(`${field} must be 3-200 characters of A-Z a-z 0-9 _ -`);
    }
    const now = this.#now();
    const columns = await this.#columns(input.id, input, input, now);
    const updated = await this.#write(input.id, columns);
    if (updated) return updated;
    await this.db
      .insertInto("mcf_tenants")
      .values({ id: input.id, ...columns, created_at: now })
      .execute();
    this.#forget();
    return (await this.get(input.id))!;
  }

  async get(id: string): Promise<Tenant | undefined> {
    const row = await this.db.selectFrom("mcf_tenants").selectAll().where("id", "=", id).executeTakeFirst();
    return row ? rowToTenant(row) : undefined;
  }

  async list(): Promise<Tenant[]> {
    const rows = await this.db.selectFrom("mcf_tenants").selectAll().orderBy("created_at").orderBy("id").execute();
    return rows.map(rowToTenant);
  }

  async count(): Promise<number> {
    const row = await this.db
      .selectFrom("mcf_tenants")
      .select((eb) => eb.fn.countAll<number | string>().as("count"))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  async findBySellingPartner(sellingPartnerId: string, region: string): Promise<Tenant | undefined> {
    const row = await this.db
      .selectFrom("mcf_tenants")
      .selectAll()
      .where("selling_partner_id", "=", sellingPartnerId)
      .where("region", "=", region)
      .executeTakeFirst();
    return row ? rowToTenant(row) : undefined;
  }

  /** Applies a validated update; undefined when no such tenant. */
  async update(id: string, update: TenantUpdate): Promise<Tenant | undefined> {
    const set: Partial<TenantsTable> = { updated_at: this.#now() };
    if (update.name !== undefined) set.name = update.name;
    if (update.marketplaceIds !== undefined) set.marketplace_ids = JSON.stringify(update.marketplaceIds);
    if (update.allowedOrigins !== undefined) set.allowed_origins = JSON.stringify(update.allowedOrigins);
    if (update.pricing !== undefined) set.pricing = JSON.stringify(update.pricing);
    if (update.browserOrders !== undefined) set.browser_orders = update.browserOrders;
    if (update.fallbackRates !== undefined) set.fallback_rates = JSON.stringify(update.fallbackRates);
    if (update.status !== undefined) set.status = update.status;
    return this.#write(id, set);
  }

  /** New keys of the given kinds; the old ones stop working at once here, within the cache TTL elsewhere. */
  async rotateKeys(
    id: string,
    kinds: readonly KeyKind[] = ["publishable", "secret"],
  ): Promise<TenantWithKeys | undefined> {
    const keys = generateMerchantKeys();
    const set: Partial<TenantsTable> = { updated_at: this.#now() };
    if (kinds.includes("publishable")) set.publishable_key = keys.publishableKey;
    if (kinds.includes("secret")) set.secret_key_hash = await hashSecretKey(keys.secretKey);
    const tenant = await this.#write(id, set);
    if (!tenant) return undefined;
    return {
      tenant,
      publishableKey: tenant.publishableKey,
      secretKey: kinds.includes("secret") ? keys.secretKey : "",
    };
  }

  /**
   * Stores a seller's (re-)authorisation: the new refresh token replaces the old one, the clock for Amazon's 365 days
   * restarts and the tenant serves again, unless the operator disabled it (only the operator turns it back on).
   */
  async authorise(
    id: string,
    authorisation: { sellingPartnerId: string; refreshToken: string },
  ): Promise<Tenant | undefined> {
    const current = await this.get(id);
    if (!current) return undefined;
    const now = this.#now();
    return this.#write(id, {
      selling_partner_id: authorisation.sellingPartnerId,
      refresh_token_sealed: await sealToken(this.#keys, authorisation.refreshToken, id),
      status: current.status === "disabled" ? "disabled" : "active",
      authorised_at: now,
      updated_at: now,
    });
  }

  /** LWA answered invalid_grant: the seller must reconnect. Other tenants are untouched. */
  /**
   * LWA refused the token of the authorisation made at `authorisedAt` (the one the caller used): only that one is
   * marked, and only while the tenant is active, so a refusal heard late never overrides a newer authorisation or
   * the operator's disable. Undefined when nothing was marked.
   */
  async markNeedsReauthorisation(id: string, authorisedAt?: string | null): Promise<Tenant | undefined> {
    let update = this.db
      .updateTable("mcf_tenants")
      .set({ status: "needs-reauthorisation", updated_at: this.#now() })
      .where("id", "=", id)
      .where("status", "=", "active");
    if (authorisedAt !== undefined)
      update = update.where("authorised_at", authorisedAt === null ? "is" : "=", authorisedAt);
    const result = await update.executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return undefined;
    this.#forget();
    return this.get(id);
  }

  /** The tenant's refresh token, unsealed to call LWA; undefined when none is stored. */
  async refreshToken(id: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom("mcf_tenants")
      .select("refresh_token_sealed")
      .where("id", "=", id)
      .executeTakeFirst();
    return row?.refresh_token_sealed ? openToken(this.#keys, row.refresh_token_sealed, id) : undefined;
  }

  /** Tenants whose authorisation ends within `days` (the operator's health view). */
  async expiringWithin(days: number): Promise<Tenant[]> {
    const cutoff = new Date(this.#clock.now() + days * DAY_MS).toISOString();
    const tenants = await this.list();
    return tenants.filter((tenant) => tenant.authorisationExpiresAt && tenant.authorisationExpiresAt <= cutoff);
  }

  /** Reseals every token still under an old key with the current one; returns how many. Old keys can then go. */
  async resealTokens(): Promise<number> {
    const rows = await this.db
      .selectFrom("mcf_tenants")
      .select(["id", "refresh_token_sealed"])
      .where("refresh_token_sealed", "is not", null)
      .execute();
    let resealed = 0;
    for (const row of rows) {
      const sealed = row.refresh_token_sealed!;
      if (sealedKeyId(sealed) === this.#keys.current.id) continue;
      const token = await openToken(this.#keys, sealed, row.id);
      await this.db
        .updateTable("mcf_tenants")
        .set({ refresh_token_sealed: await sealToken(this.#keys, token, row.id) })
        .where("id", "=", row.id)
        .where("refresh_token_sealed", "=", sealed)
        .execute();
      resealed++;
    }
    return resealed;
  }

  /** Deletes the tenant; its refresh token is wiped first, so no copy of the row outlives it. */
  async delete(id: string): Promise<boolean> {
    await this.db.updateTable("mcf_tenants").set({ refresh_token_sealed: null }).where("id", "=", id).execute();
    const result = await this.db.deleteFrom("mcf_tenants").where("id", "=", id).executeTakeFirst();
    this.#forget();
    return Number(result.numDeletedRows) > 0;
  }

  /** The tenant a key names (publishable from browsers, secret from servers); cached (misses too), see cacheTtlMs. */
  async resolveKey(kind: KeyKind, key: string): Promise<Tenant | undefined> {
    const cacheKey = `${kind}:${key}`;
    const now = this.#clock.now();
    const cached = this.#cache.get(cacheKey);
    if (cached && cached.expiresAt > now) return cached.tenant;
    if (cached && cached.expiresAt + this.#cacheTtlMs > now) {
      cached.refreshing ??= this.#lookUp(kind, key, cacheKey).catch(() => {
        cached.refreshing = undefined;
        return cached.tenant;
      });
      return cached.tenant;
    }
    return this.#lookUp(kind, key, cacheKey);
  }

  /** After a write: every cached key is looked up again, and no lookup begun before it is cached. */
  #forget(): void {
    this.#cache.clear();
    this.#generation++;
  }

  async #lookUp(kind: KeyKind, key: string, cacheKey: string): Promise<Tenant | undefined> {
    const generation = this.#generation;
    const query = this.db.selectFrom("mcf_tenants").selectAll();
    const row = await (kind === "publishable"
      ? query.where("publishable_key", "=", key)
      : query.where("secret_key_hash", "=", await hashSecretKey(key))
    ).executeTakeFirst();
    const tenant = row ? rowToTenant(row) : undefined;
    if (generation !== this.#generation) return tenant;
    this.#cache.delete(cacheKey);
    if (this.#cache.size >= this.#cacheSize) this.#cache.delete(this.#cache.keys().next().value!);
    this.#cache.set(cacheKey, { tenant, expiresAt: this.#clock.now() + this.#cacheTtlMs });
    return tenant;
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }

  async #write(id: string, set: Partial<TenantsTable>): Promise<Tenant | undefined> {
    const result = await this.db.updateTable("mcf_tenants").set(set).where("id", "=", id).executeTakeFirst();
    // This instance sees its own writes at once; others within the cache TTL.
    this.#forget();
    return Number(result.numUpdatedRows) > 0 ? this.get(id) : undefined;
  }
}
