// The contract suite on the embedded SQLite store (node:sqlite, a file in a temporary folder): every key-value kind
// on SQLite, buckets in memory as the single-instance entries keep them.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { bundleStores } from "../../proxy/stores/bundle.ts";
import { createMemoryRateLimiterStore } from "../../proxy/stores/memory.ts";
import { createSqliteStore, type SqliteDatabase } from "../../proxy/stores/sqlite.ts";
import { runStoreContract } from "./contract.ts";

runStoreContract("sqlite", async () => {
  const folder = await mkdtemp(join(tmpdir(), "mcf-sqlite-"));
  const db = new DatabaseSync(join(folder, "state.sqlite")) as unknown as SqliteDatabase;
  const stores = bundleStores("sqlite", (kind) => createSqliteStore(db, kind), createMemoryRateLimiterStore());
  return {
    stores,
    close: async () => {
      db.close();
      await rm(folder, { recursive: true, force: true });
    },
  };
});
