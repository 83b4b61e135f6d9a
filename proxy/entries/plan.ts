// What the Deno and Bun entries share: turn the environment into an app with its stores plus a listen address, or
// one clear error. (Not for the Worker: MCF_STORE's engines are for servers.)
import type { Hono } from "hono";
import { createApp } from "../app.ts";
import { parseConfig } from "../config/index.ts";
import { openStores, type StoreRuntime } from "../stores/open.ts";
import { SHUTDOWN_GRACE_MS } from "./listen.ts";

export interface ListenPlan {
  app: Hono;
  hostname: string;
  port: number;
  /** Closes the shared store's connection (after the server drained). */
  close(): Promise<void>;
}

/**
 * Parses the environment once, at start (throws parseConfig's error naming every missing or bad variable), and
 * opens the stores MCF_STORE names. Listens on `PORT` (default 8787, 0 picks a free one) and `HOST` (default all).
 */
export async function planListen(
  env: Record<string, string | undefined>,
  widgetScript: () => Promise<string | null>,
  orderStatusScript: () => Promise<string | null>,
  runtime: Omit<StoreRuntime, "log"> & { defaultStore?: string } = {},
): Promise<ListenPlan> {
  const config = parseConfig(env);
  const { defaultStore, ...engines } = runtime;
  const log: StoreRuntime["log"] = (level, message, fields = {}) =>
    console.error(JSON.stringify({ time: new Date().toISOString(), level, message, ...fields }));
  const shared = await openStores({ ...config.store, url: config.store.url ?? defaultStore }, { ...engines, log });
  return {
    app: createApp(config, { widgetScript, orderStatusScript, stores: shared.stores, storeHealth: shared.health }),
    hostname: env.HOST?.trim() || "0.0.0.0",
    port: config.port,
    close: shared.close,
  };
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
