// What the Deno and Bun entries share: turn the environment into an app with its stores plus a listen address, or
// one clear error. (Not for the Worker: MCF_STORE's engines are for servers.) In connector mode (MCF_ADMIN_KEY) it
// also opens the tenant store on the engines the entry brings and builds the connector's app; a private app never
// loads that code (proxy/connector.ts, proxy/tenants/, Kysely, pg).
import type { Hono } from "hono";
import type { PostgresPool } from "kysely";
import { type AppDeps, createApp } from "../app.ts";
import { type Config, parseConfig } from "../config/index.ts";
import { openStores, type StoreRuntime } from "../stores/open.ts";
import type { TenantEngines } from "../tenants/open.ts";
import type { SyncSqliteDatabase } from "../tenants/sqlite.ts";
import { SHUTDOWN_GRACE_MS } from "./listen.ts";

export interface ListenPlan {
  app: Hono;
  hostname: string;
  port: number;
  /** Closes the shared store's connection and the tenant database (after the server drained). */
  close(): Promise<void>;
}

export interface ListenRuntime extends Omit<StoreRuntime, "log"> {
  /** MCF_STORE when the environment sets none. */
  defaultStore?: string;
  /**
   * Connector mode's SQLite driver, loaded only in connector mode: bun:sqlite's Database on Bun, node:sqlite's
   * DatabaseSync on Deno. PostgreSQL (MCF_DATABASE_URL=postgres://…) goes through `pg`, which both run.
   */
  loadSqlite?: () => Promise<(path: string) => SyncSqliteDatabase>;
}

type StartupLog = StoreRuntime["log"];

/**
 * Parses the environment once, at start (throws parseConfig's error naming every missing or bad variable), and
 * opens the stores MCF_STORE names (and, in connector mode, the tenant database MCF_DATABASE_URL names). Listens on
 * `PORT` (default 8787, 0 picks a free one) and `HOST` (default all).
 */
export async function planListen(
  env: Record<string, string | undefined>,
  widgetScript: () => Promise<string | null>,
  orderStatusScript: () => Promise<string | null>,
  runtime: ListenRuntime = {},
): Promise<ListenPlan> {
  const config = parseConfig(env);
  const { defaultStore, loadSqlite, ...engines } = runtime;
  const log: StartupLog = (level, message, fields = {}) =>
    console.error(JSON.stringify({ time: new Date().toISOString(), level, message, ...fields }));
  const shared = await openStores({ ...config.store, url: config.store.url ?? defaultStore }, { ...engines, log });
  const deps: AppDeps = { widgetScript, orderStatusScript, stores: shared.stores, storeHealth: shared.health };
  try {
    const built = config.connector
      ? await connectorApp(config, deps, env, loadSqlite, log)
      : { app: createApp(config, deps), close: async () => {} };
    return {
      app: built.app,
      hostname: env.HOST?.trim() || "0.0.0.0",
      port: config.port,
      close: () => Promise.all([shared.close(), built.close()]).then(() => {}),
    };
  } catch (error) {
    await shared.close();
    throw error;
  }
}

/** The connector's app over the tenant store (errors name MCF_DATABASE_URL or MCF_TOKEN_KEY). */
async function connectorApp(
  config: Config,
  deps: AppDeps,
  env: Record<string, string | undefined>,
  loadSqlite: ListenRuntime["loadSqlite"],
  log: StartupLog,
): Promise<{ app: Hono; close(): Promise<void> }> {
  const [{ openTenantStore }, { createConnectorApp }] = await Promise.all([
    import("../tenants/open.ts"),
    import("../connector.ts"),
  ]);
  const tenants = await openTenantStore(env, await serverTenantEngines(env, loadSqlite, log));
  log("info", "tenant store open", { engine: tenants.engine, where: tenants.where });
  try {
    return { app: createConnectorApp(config, { ...deps, tenants }), close: () => tenants.close() };
  } catch (error) {
    await tenants.close();
    throw error;
  }
}

/**
 * The engines a server runtime has: its SQLite driver (the file's folder created first) and, for a postgres:// URL,
 * a `pg` pool. Modules are named through variables so the edge type check does not pull in Node's types (`@types/pg`
 * references them).
 */
async function serverTenantEngines(
  env: Record<string, string | undefined>,
  loadSqlite: ListenRuntime["loadSqlite"],
  log: StartupLog,
): Promise<TenantEngines> {
  const url = env.MCF_DATABASE_URL?.trim();
  const engines: TenantEngines = {};
  if (url && /^postgres(ql)?:/.test(url)) {
    const pgModule = "pg";
    const pg = await import(pgModule).then(
      (loaded: { default: PgModule }) => loaded.default,
      (error: unknown) => {
        throw new Error(`MCF_DATABASE_URL names PostgreSQL, but the pg package did not load (npm install): ${error}`);
      },
    );
    engines.postgres = (connectionString) => {
      const pool = new pg.Pool({ connectionString });
      // An idle connection the server drops (a restart, a failover) is an 'error' event: logged, not a crash.
      pool.on("error", (error) => log("warn", "tenant database connection lost", { error: error.message }));
      return pool;
    };
  } else if (loadSqlite) {
    const [makeFolder, open] = await Promise.all([folderMaker(), loadSqlite()]);
    engines.sqlite = (path) => {
      makeFolder(path);
      return open(path);
    };
  }
  return engines;
}

/** A function creating a database file's folder (node:fs, which Bun and Deno both have), loaded once. */
export async function folderMaker(): Promise<(file: string) => void> {
  const fsModule = "node:fs";
  const { mkdirSync } = (await import(fsModule)) as { mkdirSync(path: string, o: { recursive: true }): void };
  return (file) => mkdirSync(file.replace(/\/[^/]*$/, "") || ".", { recursive: true });
}

interface PgModule {
  Pool: new (options: {
    connectionString: string;
  }) => PostgresPool & { on(event: "error", listener: (error: Error) => void): void };
}

/**
 * The SIGTERM/SIGINT handler of a Deno or Bun server: stop accepting, let requests in flight finish (bounded by
 * SHUTDOWN_GRACE_MS), close the stores, then exit, so a deploy never cuts an order mid-create.
 */
export function gracefulStop(plan: ListenPlan, stopServer: () => Promise<void>, exit: (code: number) => never) {
  return () => {
    setTimeout(() => exit(0), SHUTDOWN_GRACE_MS);
    void stopServer()
      .then(() => plan.close())
      .then(() => exit(0));
  };
}
