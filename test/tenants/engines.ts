// The engines the tenant-store suite runs on from Node, each opened the way a runtime entry would open it.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { PostgresDialect } from "kysely";
import pg from "pg";
import { syncSqliteDialect } from "../../proxy/tenants/index.ts";
import { startPostgres } from "./postgres.ts";
import type { Engine } from "./suite.ts";

export async function nodeSqliteEngine(): Promise<Engine> {
  const dir = await mkdtemp(join(tmpdir(), "mcf-tenants-"));
  const file = join(dir, "tenants.db");
  return {
    name: "node:sqlite",
    dialect: () => syncSqliteDialect(new DatabaseSync(file)),
    close: () => rm(dir, { recursive: true, force: true }),
  };
}

export async function postgresEngine(): Promise<Engine> {
  const server = await startPostgres();
  return {
    name: "PostgreSQL",
    dialect: () => {
      const pool = new pg.Pool({ connectionString: server.url, max: 4 });
      // An idle connection the server drops at shutdown must not become an uncaught error of the test file.
      pool.on("error", () => {});
      return new PostgresDialect({ pool });
    },
    close: () => server.close(),
  };
}
