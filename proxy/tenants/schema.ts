// The tenant database: tables as Kysely sees them, and the versioned migrations run at start. Columns are portable
// across SQLite, D1 and PostgreSQL: text (JSON and ISO 8601 timestamps as text) and no engine-specific types.
import type { Kysely } from "kysely";
import { sql } from "kysely";
import { type Migration, type MigrationProvider, Migrator } from "kysely/migration";

export interface TenantsTable {
  id: string;
  name: string;
  region: string;
  /** JSON array. */
  marketplace_ids: string;
  selling_partner_id: string | null;
  /** `v1.<key id>.<iv>.<ciphertext>` (see crypto.ts), never the token itself. */
  refresh_token_sealed: string | null;
  publishable_key: string;
  /** SHA-256 of the secret key, base64url. */
  secret_key_hash: string;
  /** JSON array. */
  allowed_origins: string;
  /** JSON object. */
  pricing: string;
  browser_orders: string;
  /** JSON array. */
  fallback_rates: string;
  status: string;
  authorised_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface OAuthStatesTable {
  /** SHA-256 of the state: a leaked table gives no usable state. */
  state_hash: string;
  /** SHA-256 of the onboarding session the state was issued to. */
  session_hash: string;
  /** JSON: what the onboarding page asked for (store name, marketplace) or which tenant reconnects. */
  payload: string;
  expires_at: string;
}

export interface TenantDatabase {
  mcf_tenants: TenantsTable;
  mcf_oauth_states: OAuthStatesTable;
}

/** Append only: a released migration never changes, a new one gets the next number. */
export const MIGRATIONS: Record<string, Migration> = {
  "0001_tenants": {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("mcf_tenants")
        .addColumn("id", "text", (col) => col.primaryKey())
        .addColumn("name", "text", (col) => col.notNull())
        .addColumn("region", "text", (col) => col.notNull())
        .addColumn("marketplace_ids", "text", (col) => col.notNull())
        .addColumn("selling_partner_id", "text")
        .addColumn("refresh_token_sealed", "text")
        .addColumn("publishable_key", "text", (col) => col.notNull())
        .addColumn("secret_key_hash", "text", (col) => col.notNull())
        .addColumn("allowed_origins", "text", (col) => col.notNull())
        .addColumn("pricing", "text", (col) => col.notNull())
        .addColumn("browser_orders", "text", (col) => col.notNull())
        .addColumn("fallback_rates", "text", (col) => col.notNull())
        .addColumn("status", "text", (col) => col.notNull())
        .addColumn("authorised_at", "text")
        .addColumn("created_at", "text", (col) => col.notNull())
        .addColumn("updated_at", "text", (col) => col.notNull())
        .execute();
      // Every request resolves its key through one of these: equality lookups on unique indexes.
      await db.schema
        .createIndex("mcf_tenants_publishable_key")
        .on("mcf_tenants")
        .column("publishable_key")
        .unique()
        .execute();
      await db.schema
        .createIndex("mcf_tenants_secret_key_hash")
        .on("mcf_tenants")
        .column("secret_key_hash")
        .unique()
        .execute();
      // One tenant per seller and region: a re-authorisation finds the tenant it renews.
      await db.schema
        .createIndex("mcf_tenants_seller")
        .on("mcf_tenants")
        .columns(["selling_partner_id", "region"])
        .unique()
        .execute();
      await db.schema
        .createTable("mcf_oauth_states")
        .addColumn("state_hash", "text", (col) => col.primaryKey())
        .addColumn("session_hash", "text", (col) => col.notNull())
        .addColumn("payload", "text", (col) => col.notNull())
        .addColumn("expires_at", "text", (col) => col.notNull())
        .execute();
      await db.schema.createIndex("mcf_oauth_states_expiry").on("mcf_oauth_states").column("expires_at").execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable("mcf_oauth_states").execute();
      await db.schema.dropTable("mcf_tenants").execute();
    },
  },
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/** Brings the database to the latest version; throws with the failing migration's name. */
export async function migrateTenantDatabase(db: Kysely<TenantDatabase>): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: "mcf_migrations",
    migrationLockTableName: "mcf_migrations_lock",
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  const failed = results.find((result) => result.status === "Error");
  if (error || failed)
    throw new Error(`tenant database migration ${failed?.migrationName ?? ""} failed: ${String(error)}`.trim());
  return results.map((result) => result.migrationName);
}

/** For the health view: a trivial query that proves the database answers. */
export async function pingTenantDatabase(db: Kysely<TenantDatabase>): Promise<void> {
  await sql`select 1`.execute(db);
}
