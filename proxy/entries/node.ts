// Node entry: `node proxy/entries/node.ts`. Maps process.env onto the validated config (exiting non-zero with a
// message naming each bad variable), serves /widget.js from dist/widget.js, listens on HOST:PORT.
import { mkdirSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { dirname } from "node:path";
import { serve } from "@hono/node-server";
import type { Hono } from "hono";
import { type AppDeps, createApp } from "../app.ts";
import { type Config, parseConfig } from "../config/index.ts";
import { EMBEDDED_STORE, openStores } from "../stores/open.ts";
import type { SqliteDatabase } from "../stores/sqlite.ts";
import type { SyncSqliteDatabase } from "../tenants/sqlite.ts";
import { cannotStartMessage, listeningMessage, SHUTDOWN_GRACE_MS, widgetFromFile } from "./listen.ts";

export interface NodeProxy {
  /** e.g. http://127.0.0.1:8787 */
  url: string;
  port: number;
  config: Config;
  app: Hono;
  /** Stops at once: open connections are cut (tests, the demo). */
  close(): Promise<void>;
  /**
   * Stops accepting connections, lets requests in flight finish within `graceMs` (then cuts what is left), then
   * resolves: what SIGTERM does, so a deploy never cuts an order Amazon is creating.
   */
  drain(graceMs?: number): Promise<void>;
}

export interface NodeProxyOptions extends AppDeps {
  /** MCF_STORE when the environment sets none (the CLI: EMBEDDED_STORE; code: memory). */
  defaultStore?: string;
  /** Default: env.HOST, else 0.0.0.0 (127.0.0.1 is wise for tests and the demo). */
  hostname?: string;
  /** Default: config.port (PORT); 0 picks a free port. */
  port?: number;
}

/** Node's built-in SQLite, for the embedded store. */
async function openSqlite(path: string): Promise<SqliteDatabase> {
  const { DatabaseSync } = await import("node:sqlite");
  await mkdir(dirname(path), { recursive: true });
  return new DatabaseSync(path) as unknown as SqliteDatabase;
}

/** Connector mode's tenant database: PostgreSQL for MCF_DATABASE_URL, else node:sqlite under ./data/. */
export async function openNodeTenantStore(env: Record<string, string | undefined>) {
  const { DatabaseSync } = await import("node:sqlite");
  const { openTenantStore } = await import("../tenants/open.ts");
  const pg = env.MCF_DATABASE_URL?.trim() ? (await import("pg")).default : undefined;
  const tenants = await openTenantStore(env, {
    sqlite: (path) => {
      mkdirSync(dirname(path), { recursive: true });
      return new DatabaseSync(path) as unknown as SyncSqliteDatabase;
    },
    ...(pg
      ? {
          postgres: (url: string) => {
            const pool = new pg.Pool({ connectionString: url });
            // A dropped idle connection is the pool's to replace, not a reason to crash the process.
            pool.on("error", (error) =>
              startupLog("warn", "tenant database connection lost", { error: error.message }),
            );
            return pool;
          },
        }
      : {}),
  });
  startupLog("info", "tenant store open", { engine: tenants.engine, where: tenants.where });
  return tenants;
}

/** Store events before the app's own logger exists (connection changes, falling back to local buckets). */
const startupLog = (level: string, message: string, fields: Record<string, unknown> = {}) =>
  console.error(JSON.stringify({ time: new Date().toISOString(), level, message, ...fields }));

const DIST_WIDGET = new URL("../../dist/widget.js", import.meta.url);

/** The built element, read on first use; null (→ 404) until `vite build` produced it. */
export const widgetFromDist = widgetFromFile(() => readFile(DIST_WIDGET, "utf8"));
export const orderStatusFromDist = widgetFromFile(() =>
  readFile(new URL("../../dist/order-status.js", import.meta.url), "utf8"),
);

export interface KeepAliveFetch {
  fetch: typeof fetch;
  /** Closes the pooled connections. */
  close(): void;
}

/**
 * A `fetch` for the proxy's calls to Amazon and LWA over node:http(s) keep-alive agents: on loopback it answers in
 * about a third of the time undici's fetch takes (the overhead benchmark measures it). It covers what the upstream
 * clients send — a URL, method, headers, a string or URLSearchParams body, an AbortSignal — and buffers the answer;
 * anything else (a Request, a streamed body, another scheme) goes to the global fetch. Redirects are not followed:
 * Amazon's API and LWA answer directly, and a 3xx surfaces as an error status instead of a silent hop.
 */
export function createKeepAliveFetch(options: { maxSockets?: number; idleMs?: number } = {}): KeepAliveFetch {
  // Idle sockets close before the typical 5 s server keep-alive timeout, so a reused socket is rarely a dead one.
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 64, timeout: options.idleMs ?? 4_000 };
  const agents = { "http:": new http.Agent(agentOptions), "https:": new https.Agent(agentOptions) };

  const send = (url: URL, init: RequestInit, body: Buffer | undefined, retried: boolean): Promise<Response> =>
    new Promise((resolve, reject) => {
      const { signal } = init;
      if (signal?.aborted) return reject(signal.reason);
      const headers: Record<string, string> = {};
      new Headers(init.headers).forEach((value, name) => {
        headers[name] = value;
      });
      if (body) {
        if (init.body instanceof URLSearchParams && !headers["content-type"]) {
          headers["content-type"] = "application/x-www-form-urlencoded;charset=UTF-8";
        }
        headers["content-length"] = String(body.length);
      }
      const method = (init.method ?? "GET").toUpperCase();
      const protocol = url.protocol === "https:" ? https : http;
      const request = protocol.request(url, { method, headers, agent: agents[url.protocol as "http:" | "https:"] });
      const onAbort = () => request.destroy(signal?.reason);
      signal?.addEventListener("abort", onAbort, { once: true });
      const settle = () => signal?.removeEventListener("abort", onAbort);
      request.on("error", (error: NodeJS.ErrnoException) => {
        settle();
        // The server closed an idle pooled socket just as we reused it: nothing was answered, send once more.
        if (!retried && request.reusedSocket && error.code === "ECONNRESET" && !signal?.aborted) {
          resolve(send(url, init, body, true));
        } else reject(signal?.aborted ? signal.reason : error);
      });
      request.on("response", (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("error", (error) => {
          settle();
          reject(signal?.aborted ? signal.reason : error);
        });
        response.on("end", () => {
          settle();
          const status = response.statusCode ?? 0;
          const answerHeaders = new Headers();
          const raw = response.rawHeaders;
          for (let i = 0; i + 1 < raw.length; i += 2) answerHeaders.append(raw[i]!, raw[i + 1]!);
          const empty = method === "HEAD" || status === 204 || status === 304;
          resolve(
            new Response(empty ? null : Buffer.concat(chunks), {
              status,
              statusText: response.statusMessage ?? "",
              headers: answerHeaders,
            }),
          );
        });
      });
      request.end(body);
    });

  const keepAliveFetch = ((input: string | URL | Request, init: RequestInit = {}) => {
    const url = typeof input === "string" ? URL.parse(input) : input instanceof URL ? input : null;
    const { body } = init;
    const plainBody =
      body === undefined || body === null || typeof body === "string" || body instanceof URLSearchParams;
    if (!url || !plainBody || (url.protocol !== "http:" && url.protocol !== "https:")) return fetch(input, init);
    return send(url, init, body === undefined || body === null ? undefined : Buffer.from(String(body)), false);
  }) as typeof fetch;

  return {
    fetch: keepAliveFetch,
    close() {
      agents["http:"].destroy();
      agents["https:"].destroy();
    },
  };
}

/** Parses env (throws ConfigError naming each bad variable), builds the app and listens. */
export async function startNodeProxy(
  env: Record<string, string | undefined>,
  options: NodeProxyOptions = {},
): Promise<NodeProxy> {
  const config = parseConfig(env);
  const { hostname: host, port: portOption, defaultStore, ...deps } = options;
  // Amazon and LWA over pooled keep-alive connections, unless the caller brings its own fetch (tests, benchmarks).
  const upstreamFetch = deps.fetch ? undefined : createKeepAliveFetch();
  const store = { ...config.store, url: config.store.url ?? defaultStore };
  const shared = deps.stores ? undefined : await openStores(store, { log: startupLog, openSqlite });
  const tenants = config.connector && !deps.tenants ? await openNodeTenantStore(env) : undefined;
  const tenantStore = tenants ?? deps.tenants;
  const appDeps: AppDeps = {
    widgetScript: widgetFromDist,
    orderStatusScript: orderStatusFromDist,
    ...(upstreamFetch ? { fetch: upstreamFetch.fetch } : {}),
    ...(shared ? { stores: shared.stores, storeHealth: shared.health } : {}),
    ...deps,
  };
  // A private app never loads the connector's code (operator API, onboarding page, the database layer).
  const app = tenantStore
    ? (await import("../connector.ts")).createConnectorApp(config, { ...appDeps, tenants: tenantStore })
    : createApp(config, appDeps);
  const hostname = host ?? (env.HOST?.trim() || "0.0.0.0");
  const server = serve({ fetch: app.fetch, port: portOption ?? config.port, hostname });
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  const { port } = server.address() as AddressInfo;
  const shown = hostname === "0.0.0.0" || hostname === "::" ? "127.0.0.1" : hostname;
  return {
    url: `http://${shown.includes(":") ? `[${shown}]` : shown}:${port}`,
    port,
    config,
    app,
    close: () =>
      new Promise<void>((resolve, reject) => {
        upstreamFetch?.close();
        void shared?.close();
        void tenants?.close();
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive connections would hold close() open; they carry no work once we are closing.
        if ("closeAllConnections" in server) server.closeAllConnections();
      }),
    drain: (graceMs = SHUTDOWN_GRACE_MS) =>
      new Promise<void>((resolve) => {
        const http = server as http.Server;
        const cut = setTimeout(() => http.closeAllConnections(), graceMs);
        http.close(() => {
          clearTimeout(cut);
          upstreamFetch?.close();
          void Promise.all([shared?.close(), tenants?.close()]).finally(resolve);
        });
        // Idle keep-alive connections carry no request: close them now, and each busy one once it answers.
        http.closeIdleConnections();
        http.on("request", (_request, response) => response.setHeader("connection", "close"));
      }),
  };
}

if (import.meta.main) {
  try {
    const proxy = await startNodeProxy(process.env, { defaultStore: EMBEDDED_STORE });
    console.log(listeningMessage(process.env.HOST?.trim() || "0.0.0.0", proxy.port));
    const stop = () => void proxy.drain().then(() => process.exit(0));
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  } catch (error) {
    console.error(cannotStartMessage(error));
    process.exit(1);
  }
}
