// Run by a real `bun` process (test/tenants/bun.test.ts): the tenant-store suite on bun:sqlite. Prints one JSON line.
import { type SyncSqliteDatabase, syncSqliteDialect } from "../../proxy/tenants/index.ts";
import { runCases } from "./suite.ts";

// A computed specifier: tsc (Node types) does not know bun:sqlite, Bun does.
const BUN_SQLITE = "bun:sqlite";
const { Database } = (await import(BUN_SQLITE)) as { Database: new (file: string) => SyncSqliteDatabase };

const file = process.argv[2];
if (!file) throw new Error("usage: bun test/tenants/bun-suite.ts <database file>");
const results = await runCases({
  name: "bun:sqlite",
  dialect: () => syncSqliteDialect(new Database(file)),
  close: async () => {},
});
console.log(JSON.stringify({ runtime: `bun ${process.versions.bun}`, results }));
