// Which database holds the tenants, decided in one place for every runtime: MCF_DATABASE_URL=postgres://… picks
// PostgreSQL (sqlite:<file> a SQLite file elsewhere), a D1 binding picks D1 (Workers), else SQLite in a file under
// ./data/. The runtime entry passes the
// engines it has (opening node:sqlite, bun:sqlite or pg is its business), so this module imports none of them.
import { type Dialect, PostgresDialect, type PostgresPool } from "kysely";
import { parseTokenKeys } from "./crypto.ts";
import { d1Dialect } from "./d1.ts";
import { type SyncSqliteDatabase, syncSqliteDialect } from "./sqlite.ts";
import { TenantStore, type TenantStoreOptions } from "./store.ts";

export const DEFAULT_SQLITE_PATH = "data/tenants.db";

export interface TenantEngines {
  /** Opens a SQLite file: `(path) => new DatabaseSync(path)` on Node, `new Database(path)` from bun:sqlite on Bun. */
  sqlite?: (path: string) => SyncSqliteDatabase;
  /** A pg Pool for a postgres:// URL: `(url) => new pg.Pool({ connectionString: url })`. */
  postgres?: (url: string) => PostgresPool;
  /** The D1 binding on Workers. */
  d1?: Parameters<typeof d1Dialect>[0];
}

export type TenantEngine = "postgres" | "d1" | "sqlite";

export interface TenantDatabaseChoice {
  engine: TenantEngine;
  /** For the start-up line: the SQLite path, "D1", or the PostgreSQL host and database (never the password). */
  where: string;
  dialect(): Dialect;
}

/** Picks the engine; throws an Error naming MCF_DATABASE_URL when it cannot be used here. */
export function chooseTenantDatabase(
  env: Record<string, string | undefined>,
  engines: TenantEngines,
  sqlitePath = DEFAULT_SQLITE_PATH,
): TenantDatabaseChoice {
  const url = env.MCF_DATABASE_URL?.trim();
  if (url?.startsWith("sqlite:")) {
    const path = url.slice("sqlite:".length);
    const sqlite = engines.sqlite;
    if (!path) throw new Error("MCF_DATABASE_URL=sqlite:<file> needs a file name");
    if (!sqlite) throw new Error("MCF_DATABASE_URL names SQLite, which this runtime cannot open");
    return { engine: "sqlite", where: path, dialect: () => syncSqliteDialect(sqlite(path)) };
  }
  if (url) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new Error(
        "MCF_DATABASE_URL must be a URL like postgres://user:password@host:5432/database, or sqlite:<file>",
      );
    }
    if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:")
      throw new Error(`MCF_DATABASE_URL must be a postgres:// URL (got ${parsed.protocol}//…)`);
    const postgres = engines.postgres;
    if (!postgres) throw new Error("MCF_DATABASE_URL names PostgreSQL, which this runtime cannot reach");
    return {
      engine: "postgres",
      where: `postgres://${parsed.host}${parsed.pathname}`,
      dialect: () => new PostgresDialect({ pool: postgres(url) }),
    };
  }
  const d1 = engines.d1;
  if (d1) return { engine: "d1", where: "D1", dialect: () => d1Dialect(d1) };
  const sqlite = engines.sqlite;
  if (!sqlite) throw new Error("no tenant database: set MCF_DATABASE_URL=postgres://… or bind a D1 database");
  return { engine: "sqlite", where: sqlitePath, dialect: () => syncSqliteDialect(sqlite(sqlitePath)) };
}

/** Opens the tenant store the environment asks for, migrations run; errors name MCF_DATABASE_URL or MCF_TOKEN_KEY. */
export async function openTenantStore(
  env: Record<string, string | undefined>,
  engines: TenantEngines,
  options: Omit<TenantStoreOptions, "dialect" | "tokenKeys"> & { sqlitePath?: string } = {},
): Promise<TenantStore & { engine: TenantEngine; where: string }> {
  const { sqlitePath, ...storeOptions } = options;
  const choice = chooseTenantDatabase(env, engines, sqlitePath);
  const tokenKeys = await parseTokenKeys(env.MCF_TOKEN_KEY);
  const store = await TenantStore.open({ ...storeOptions, dialect: choice.dialect(), tokenKeys });
  return Object.assign(store, { engine: choice.engine, where: choice.where });
}
