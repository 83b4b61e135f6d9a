// The engine choice: MCF_DATABASE_URL → PostgreSQL, a D1 binding → D1, else SQLite under ./data/.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { test } from "node:test";
import pg from "pg";
import { chooseTenantDatabase, DEFAULT_SQLITE_PATH, openTenantStore } from "../../proxy/tenants/index.ts";
import { startPostgres } from "./postgres.ts";
import { KEY_A, US_TENANT } from "./suite.ts";

const never = () => {
  throw new Error("this engine must not be opened");
};

test("the choice follows MCF_DATABASE_URL, then a D1 binding, then SQLite; errors name the variable", () => {
  const all = { sqlite: never, postgres: never, d1: {} as never };
  const pgChoice = chooseTenantDatabase({ MCF_DATABASE_URL: "postgres://mcf:s3cret@db.example:5432/tenants" }, all);
  assert.equal(pgChoice.engine, "postgres");
  assert.equal(pgChoice.where, "postgres://db.example:5432/tenants", "no password in what is printed");
  assert.equal(chooseTenantDatabase({ MCF_DATABASE_URL: "postgresql://h/d" }, all).engine, "postgres");
  assert.equal(chooseTenantDatabase({}, all).engine, "d1");
  const sqlite = chooseTenantDatabase({ MCF_DATABASE_URL: " " }, { sqlite: never });
  assert.deepEqual([sqlite.engine, sqlite.where], ["sqlite", DEFAULT_SQLITE_PATH]);
  assert.equal(DEFAULT_SQLITE_PATH, "data/tenants.db");
  assert.throws(
    () => chooseTenantDatabase({ MCF_DATABASE_URL: "mysql://h/d" }, all),
    /MCF_DATABASE_URL must be a postgres/,
  );
  assert.throws(() => chooseTenantDatabase({ MCF_DATABASE_URL: "not a url" }, all), /MCF_DATABASE_URL must be a URL/);
  assert.throws(
    () => chooseTenantDatabase({ MCF_DATABASE_URL: "postgres://h/d" }, { d1: {} as never }),
    /MCF_DATABASE_URL names PostgreSQL/,
  );
  assert.throws(() => chooseTenantDatabase({}, {}), /no tenant database/);
  const file = chooseTenantDatabase({ MCF_DATABASE_URL: "sqlite:/tmp/x/tenants.db" }, all);
  assert.deepEqual([file.engine, file.where], ["sqlite", "/tmp/x/tenants.db"], "sqlite:<file> wins over D1");
  assert.throws(() => chooseTenantDatabase({ MCF_DATABASE_URL: "sqlite:" }, all), /needs a file name/);
  assert.throws(
    () => chooseTenantDatabase({ MCF_DATABASE_URL: "sqlite:t.db" }, { d1: {} as never }),
    /names SQLite, which this runtime cannot open/,
  );
});

test("openTenantStore opens SQLite at the path, or a real PostgreSQL from MCF_DATABASE_URL, migrations run", async () => {
  const dir = await mkdtemp(join(tmpdir(), "mcf-open-"));
  const server = await startPostgres();
  try {
    await assert.rejects(
      openTenantStore({}, { sqlite: (path) => new DatabaseSync(path) }, { sqlitePath: join(dir, "t.db") }),
      /MCF_TOKEN_KEY is required/,
    );
    const engines = {
      sqlite: (path: string) => new DatabaseSync(path),
      postgres: (url: string) => {
        const pool = new pg.Pool({ connectionString: url, max: 2 });
        pool.on("error", () => {});
        return pool;
      },
    };
    const sqlite = await openTenantStore({ MCF_TOKEN_KEY: KEY_A }, engines, { sqlitePath: join(dir, "t.db") });
    const postgres = await openTenantStore({ MCF_TOKEN_KEY: KEY_A, MCF_DATABASE_URL: server.url }, engines);
    for (const [store, engine] of [
      [sqlite, "sqlite"],
      [postgres, "postgres"],
    ] as const) {
      assert.equal(store.engine, engine);
      const { tenant } = await store.create(US_TENANT);
      assert.equal(await store.refreshToken(tenant.id), US_TENANT.refreshToken);
      await store.close();
    }
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
});
