// Cloudflare D1 through kysely-d1. D1 refuses `pragma_table_info` on its internal `_cf_*` tables, which Kysely's
// SQLite introspector reads for every table; the migrator only needs table names, so this introspector lists those.
import { type DatabaseIntrospector, type Dialect, type Kysely, sql, type TableMetadata } from "kysely";
import { D1Dialect, type D1DialectConfig } from "kysely-d1";

class D1Introspector implements DatabaseIntrospector {
  readonly #db: Kysely<unknown>;
  constructor(db: Kysely<unknown>) {
    this.#db = db;
  }
  async getSchemas() {
    return [];
  }
  async getTables(): Promise<TableMetadata[]> {
    const { rows } = await sql<{ name: string; type: string }>`
      select name, type from sqlite_master
      where type in ('table', 'view') and name not like 'sqlite\\_%' escape '\\' and name not like '\\_cf\\_%' escape '\\'
      order by name`.execute(this.#db);
    return rows.map((row) => ({ name: row.name, isView: row.type === "view", isForeign: false, columns: [] }));
  }
  async getMetadata() {
    return { tables: await this.getTables() };
  }
}

/** Kysely over a D1 binding (`env.TENANTS` on Workers, `mf.getD1Database()` in tests). */
export function d1Dialect(database: D1DialectConfig["database"]): Dialect {
  const base = new D1Dialect({ database });
  return {
    createAdapter: () => base.createAdapter(),
    createDriver: () => base.createDriver(),
    createQueryCompiler: () => base.createQueryCompiler(),
    createIntrospector: (db) => new D1Introspector(db),
  };
}
