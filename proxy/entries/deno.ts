// Deno entry: `deno run --allow-net --allow-env --allow-read proxy/entries/deno.ts` (locally with
// `--node-modules-dir=manual` after `npm install`), or the entrypoint of a Deno Deploy project. Connector mode's
// SQLite file needs --allow-read and --allow-write for its folder (./data by default).
import type { DenoKv } from "../stores/deno-kv.ts";
import type { SyncSqliteDatabase } from "../tenants/sqlite.ts";
import { cannotStartMessage, listeningMessage, widgetFromFile } from "./listen.ts";
import { gracefulStop, planListen } from "./plan.ts";

// The few Deno APIs used here, declared locally instead of pulling in Deno's type package.
declare const Deno: {
  env: { toObject(): Record<string, string> };
  readTextFile(path: URL): Promise<string>;
  openKv(path?: string): Promise<DenoKv>;
  exit(code: number): never;
  serve(
    options: { hostname: string; port: number; onListen(address: { hostname: string; port: number }): void },
    handler: (request: Request) => Response | Promise<Response>,
  ): { finished: Promise<void>; shutdown(): Promise<void> };
  addSignalListener(signal: "SIGTERM" | "SIGINT", handler: () => void): void;
};

const widget = widgetFromFile(() => Deno.readTextFile(new URL("../../dist/widget.js", import.meta.url)));
const orderStatus = widgetFromFile(() => Deno.readTextFile(new URL("../../dist/order-status.js", import.meta.url)));

let plan: Awaited<ReturnType<typeof planListen>>;
try {
  plan = await planListen(Deno.env.toObject(), widget, orderStatus, {
    openKv: (path) => Deno.openKv(path),
    // Connector mode's tenant database: Deno's node:sqlite (a file, so not on Deno Deploy: use PostgreSQL there).
    loadSqlite: async () => {
      const sqlite = "node:sqlite"; // named through a variable so the edge type check does not look for Node's types
      const { DatabaseSync } = (await import(sqlite)) as { DatabaseSync: new (path: string) => SyncSqliteDatabase };
      return (path) => new DatabaseSync(path);
    },
  });
} catch (error) {
  console.error(cannotStartMessage(error));
  Deno.exit(1);
}

const { app, hostname, port } = plan;
const server = Deno.serve(
  { hostname, port, onListen: (address) => console.log(listeningMessage(address.hostname, address.port)) },
  (request) => app.fetch(request),
);
const stop = gracefulStop(
  plan,
  () => server.shutdown(),
  (code) => Deno.exit(code),
);
Deno.addSignalListener("SIGTERM", stop);
Deno.addSignalListener("SIGINT", stop);
