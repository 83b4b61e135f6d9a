// Bun entry: `bun run proxy/entries/bun.ts`.

import { EMBEDDED_STORE } from "../stores/open.ts";
import type { SqliteDatabase } from "../stores/sqlite.ts";
import type { SyncSqliteDatabase } from "../tenants/sqlite.ts";
import { cannotStartMessage, listeningMessage, widgetFromFile } from "./listen.ts";
import { folderMaker, gracefulStop, planListen } from "./plan.ts";

// The few Bun APIs used here, declared locally instead of pulling in bun-types.
declare const Bun: {
  env: Record<string, string | undefined>;
  file(path: URL): { text(): Promise<string> };
  serve(options: { hostname: string; port: number; fetch(request: Request): Response | Promise<Response> }): {
    hostname: string;
    port: number;
    /** Stops accepting; resolves once requests in flight have finished (`true` cuts them). */
    stop(force?: boolean): Promise<void>;
  };
};
declare const process: { exit(code: number): never; once(signal: "SIGTERM" | "SIGINT", handler: () => void): void };

const widget = widgetFromFile(() => Bun.file(new URL("../../dist/widget.js", import.meta.url)).text());
const orderStatus = widgetFromFile(() => Bun.file(new URL("../../dist/order-status.js", import.meta.url)).text());

/** bun:sqlite's Database (Bun's own module, named through a variable so the edge type check does not look for it). */
async function bunSqlite<Database>(): Promise<new (path: string, o: { create: boolean }) => Database> {
  const sqlite = "bun:sqlite";
  return ((await import(sqlite)) as { Database: new (path: string, o: { create: boolean }) => Database }).Database;
}

let plan: Awaited<ReturnType<typeof planListen>>;
try {
  plan = await planListen(Bun.env, widget, orderStatus, {
    defaultStore: EMBEDDED_STORE,
    openSqlite: async (path) => {
      const [Database, makeFolder] = await Promise.all([bunSqlite<SqliteDatabase>(), folderMaker()]);
      makeFolder(path);
      return new Database(path, { create: true });
    },
    // Connector mode's tenant database (MCF_DATABASE_URL=postgres://… goes through pg instead).
    loadSqlite: async () => {
      const Database = await bunSqlite<SyncSqliteDatabase>();
      return (path) => new Database(path, { create: true });
    },
  });
} catch (error) {
  console.error(cannotStartMessage(error));
  process.exit(1);
}

const { app, hostname, port } = plan;
const server = Bun.serve({ hostname, port, fetch: (request) => app.fetch(request) });
console.log(listeningMessage(server.hostname, server.port));
const stop = gracefulStop(
  plan,
  () => server.stop(),
  (code) => process.exit(code),
);
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
