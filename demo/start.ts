// `npm start`: the local Amazon MCF sandbox, one proxy per demo store, and the demo storefront, wired together and
// needing no environment. The storefront and the proxies share one server (PORT): each store's proxy answers under
// /proxy/{store}/ (one seller account per marketplace: the stores are in three Amazon regions), and the US store's
// proxy also answers at the root (/v1/…, /widget.js, /openapi.json), the way a single-store deploy looks.
// `startDemo(env)` does the same in-process for the e2e tests (PORT=0 and SANDBOX_PORT=0 pick free ports).
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { createAdaptorServer } from "@hono/node-server";
import { createApp } from "../proxy/app.ts";
import { parseConfig } from "../proxy/config/index.ts";
import { widgetFromFile } from "../proxy/entries/listen.ts";
import { createKeepAliveFetch } from "../proxy/entries/node.ts";
import type { Logger, LogLevel } from "../proxy/log/index.ts";
import { createSandbox, type SandboxOptions, scaledClock } from "../sandbox/index.ts";
import { type DemoPlan, type Env, freeStandardOver, planDemo, proxyEnv, storefrontOrigins } from "./env.ts";
import { merchantClient } from "./proxy-client.ts";
import { type FetchHandler, route } from "./routing.ts";
import { createDemoApp, type DemoStoreWiring } from "./server.ts";
import { STORE_IDS, STORES, type StoreId } from "./stores.ts";

export interface RunningDemo {
  urls: {
    /** The demo's landing page. */
    storefront: string;
    /** Each store's checkout page. */
    stores: Record<StoreId, string>;
    /** Each store's proxy base URL (append /v1/…). */
    proxies: Record<StoreId, string>;
    /** The local Amazon sandbox (SP-API and LWA). */
    sandbox: string;
  };
  /** The keys the proxies and the demo server use (generated unless set). */
  keys: DemoPlan["keys"];
  plan: DemoPlan;
  /** Origins some store's proxy accepts: the storefront's own, plus any configured `MCF_ALLOWED_ORIGINS`. */
  allowedOrigins: string[];
  /** The sandbox's Hono app, with whatever state and control it exposes. */
  sandbox: ReturnType<typeof createSandbox>;
  close(): Promise<void>;
}

export interface StartDemoOptions {
  /** Replaces the sandbox's scaled clock (tests use a manual one). */
  sandboxClock?: { now(): number };
  /** Extra options for createSandbox (faults, catalog, lifecycle). */
  sandboxOptions?: SandboxOptions;
  /** Where the built element is read from. */
  widgetPath?: URL;
}

/** Starts sandbox, proxies and storefront. Rejects with a message naming the bad variable when the env is unusable. */
export async function startDemo(env: Env = process.env, options: StartDemoOptions = {}): Promise<RunningDemo> {
  const plan = planDemo(env, randomKey);
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const closer of closers.reverse()) await closer();
  };
  try {
    const sandbox = createSandbox({
      clock: options.sandboxClock ?? scaledClock(plan.sandboxTimeScale),
      credentials: plan.sandboxCredentials,
      ...options.sandboxOptions,
    });
    const sandboxServer = await listen(sandbox.fetch, plan.sandboxPort, plan.host);
    closers.push(sandboxServer.close);
    const sandboxUrl = `http://${urlHost(plan.host)}:${sandboxServer.port}`;

    let handler: FetchHandler = () => new Response("starting", { status: 503 });
    const storefront = await listen((request) => handler(request), plan.port, plan.host);
    closers.push(storefront.close);
    const storefrontUrl = `http://${urlHost(plan.host)}:${storefront.port}`;
    const origins = storefrontOrigins(plan.host, storefront.port);

    const widgetPath = options.widgetPath ?? new URL("../dist/widget.js", import.meta.url);
    const widgetScript = widgetFromFile(() => readFile(widgetPath, "utf8"));
    const proxies = {} as Record<StoreId, FetchHandler>;
    const freeShipping = {} as Record<StoreId, string | undefined>;
    const orderExtras = {} as Record<StoreId, boolean>;
    const allowedOrigins = new Set<string>();
    for (const id of STORE_IDS) {
      const config = parseConfig(
        proxyEnv(id, env, { ...plan, port: storefront.port }, { sandbox: sandboxUrl, storefrontOrigins: origins }),
      );
      freeShipping[id] = freeStandardOver(config.pricing);
      orderExtras[id] = config.amazonApi !== "2026-07-04";
      for (const origin of config.allowedOrigins) allowedOrigins.add(origin);
      // Each proxy pools its own keep-alive connections to the sandbox, as the Node entry (proxy/entries/node.ts) does.
      const upstreamFetch = createKeepAliveFetch();
      closers.push(async () => upstreamFetch.close());
      const app = createApp(config, {
        widgetScript,
        fetch: upstreamFetch.fetch,
        logger: storeLogger(id, plan.logLevel),
      });
      proxies[id] = (request) => app.fetch(request);
    }
    const proxyUrl = (id: StoreId) => `${storefrontUrl}/proxy/${id}`;
    const demo = createDemoApp({
      publishableKey: plan.keys.publishableKey,
      stores: Object.fromEntries(
        STORE_IDS.map((id) => [
          id,
          {
            endpointPath: `/proxy/${id}`,
            freeShippingOver: freeShipping[id],
            orderExtras: orderExtras[id],
            client: merchantClient(proxyUrl(id), plan.keys.secretKey),
          },
        ]),
      ) as Record<StoreId, DemoStoreWiring>,
      advanceSandbox: async (hours) => {
        const response = await fetch(`${sandboxUrl}/_sandbox/clock/advance`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ hours }),
        });
        if (!response.ok) throw new Error(`sandbox clock: ${response.status} ${await response.text()}`);
      },
    });
    handler = route(proxies, (request) => demo.fetch(request));

    return {
      urls: {
        storefront: storefrontUrl,
        stores: Object.fromEntries(STORE_IDS.map((id) => [id, `${storefrontUrl}/${id}`])) as Record<StoreId, string>,
        proxies: Object.fromEntries(STORE_IDS.map((id) => [id, proxyUrl(id)])) as Record<StoreId, string>,
        sandbox: sandboxUrl,
      },
      keys: plan.keys,
      plan,
      allowedOrigins: [...allowedOrigins],
      sandbox,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

async function listen(
  fetch: FetchHandler,
  port: number,
  host: string,
): Promise<{ port: number; close: () => Promise<void> }> {
  const server = createAdaptorServer({ fetch });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        // Keep-alive sockets from the browser would hold close() open; end them.
        if ("closeAllConnections" in server) server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const LEVELS: LogLevel[] = ["debug", "info", "warn", "error"];

/** The proxies' logs (already redacted by the proxy) as JSON lines tagged with the store, from `minimum` up. */
function storeLogger(store: StoreId, minimum: LogLevel): Logger {
  return {
    log(level, message, fields = {}) {
      if (LEVELS.indexOf(level) < LEVELS.indexOf(minimum)) return;
      const line = JSON.stringify({ time: new Date().toISOString(), level, store, message, ...fields });
      if (level === "warn" || level === "error") console.error(line);
      else console.log(line);
    },
  };
}

function urlHost(host: string): string {
  if (host === "0.0.0.0" || host === "::") return "localhost";
  return host.includes(":") ? `[${host}]` : host;
}

function randomKey(prefix: string, length: number): string {
  return prefix + randomBytes(length).toString("base64url").slice(0, length);
}

/** What `npm start` prints: where to go and the keys a merchant would configure. */
export function startupMessage(demo: RunningDemo): string {
  const { urls, plan } = demo;
  const generated = new Set(plan.keys.generated);
  // Generated keys are printed to be copied; secrets the operator supplied are only recognisable by their start.
  const key = (label: string, value: string, field: (typeof plan.keys.generated)[number]) =>
    generated.has(field)
      ? `  ${label.padEnd(17)} ${value}`
      : `  ${label.padEnd(17)} ${field === "publishableKey" ? value : `${value.slice(0, 6)}…`}  (from the environment)`;
  return [
    "",
    "mcf-checkout demo is running",
    "",
    `  Storefront       ${urls.storefront}/`,
    ...STORE_IDS.map((id) => `    ${id.toUpperCase()} store       ${urls.stores[id]}  ${STORES[id].name}`),
    `  Proxy            ${urls.storefront}/v1/health  (per store: ${urls.storefront}/proxy/{us,jp,eu}/v1/…)`,
    `  Element          ${urls.storefront}/widget.js`,
    `  Allowed origins  ${demo.allowedOrigins.join(", ")}  (the storefront's own, plus MCF_ALLOWED_ORIGINS)`,
    `  Amazon sandbox   ${urls.sandbox}  (time runs ${plan.sandboxTimeScale}× faster)`,
    "",
    "Dev keys for this run (set MCF_SECRET_KEY, MCF_PUBLISHABLE_KEY, MCF_QUOTE_SECRET to keep them):",
    key("secret key", plan.keys.secretKey, "secretKey"),
    key("publishable key", plan.keys.publishableKey, "publishableKey"),
    key("quote secret", plan.keys.quoteSecret, "quoteSecret"),
    "",
    "Press Ctrl+C to stop.",
    "",
  ].join("\n");
}

if (import.meta.main) {
  try {
    const demo = await startDemo(process.env);
    console.log(startupMessage(demo));
    const stop = () => {
      demo.close().then(() => process.exit(0));
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  } catch (error) {
    console.error(`mcf-checkout demo cannot start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
