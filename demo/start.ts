// `npm start`: the local Amazon MCF sandbox, the proxy and the demo storefront, wired together and needing no
// environment. By default the proxy runs in connector mode: one proxy serves the three demo stores as tenants seeded
// at start (each its own seller in the sandbox, its own keys, marketplace and pricing), and /connect onboards more
// merchants through the sandbox's Seller Central consent page, each getting a store page here at once. With
// MCF_AMAZON_API=mws-2010-10-01 (MWS has no authorisation for public apps) each store has its own private app under
// /proxy/{store}/, the US store's also at the root. The storefront and the proxy share one server (PORT).
// `startDemo(env)` does the same in-process for the e2e tests (PORT=0 and SANDBOX_PORT=0 pick free ports).
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAdaptorServer } from "@hono/node-server";
import { createApp } from "../proxy/app.ts";
import { type Config, parseConfig } from "../proxy/config/index.ts";
import { createConnectorApp } from "../proxy/connector.ts";
import { widgetFromFile } from "../proxy/entries/listen.ts";
import { createKeepAliveFetch, openNodeTenantStore } from "../proxy/entries/node.ts";
import type { Logger, LogLevel } from "../proxy/log/index.ts";
import type { Tenant } from "../proxy/tenants/model.ts";
import type { TenantStore, TenantWithKeys } from "../proxy/tenants/store.ts";
import { DEV_APP, type KnownSeller } from "../sandbox/auth/lwa.ts";
import { createSandbox, type SandboxOptions, scaledClock } from "../sandbox/index.ts";
import {
  connectorEnv,
  type DemoMode,
  type DemoPlan,
  demoTenantId,
  type Env,
  freeStandardOver,
  planDemo,
  proxyEnv,
  storefrontOrigins,
  storeSettings,
  storeTenant,
} from "./env.ts";
import { merchantClient } from "./proxy-client.ts";
import { type FetchHandler, route } from "./routing.ts";
import { type ConnectedShop, type ConnectedShops, createDemoApp, type DemoStoreWiring } from "./server.ts";
import { connectedStore, STORE_IDS, STORES, type StoreId } from "./stores.ts";

export interface RunningDemo {
  /** `connector`: one proxy, a tenant per store, /connect; `private` (MWS): one private app per store. */
  mode: DemoMode;
  urls: {
    /** The demo's landing page. */
    storefront: string;
    /** Each store's checkout page. */
    stores: Record<StoreId, string>;
    /** Where each store's proxy answers (append /v1/…): the connector at the root, or /proxy/{store}. */
    proxies: Record<StoreId, string>;
    /** The local Amazon sandbox (SP-API, LWA and Seller Central's consent page). */
    sandbox: string;
    /** Connector mode: the onboarding page. */
    connect?: string;
  };
  /** The keys the proxy and the demo server use, per store (generated unless set). */
  keys: DemoPlan["keys"];
  plan: DemoPlan;
  /** The sandbox seller behind each store (connector mode: one each; private apps share one). */
  sellers: Record<StoreId, KnownSeller>;
  /** Connector mode: the tenant database (`where` is its file or host; `temporary`: removed on close). */
  tenants?: TenantStore & { where: string; temporary: boolean };
  /** The stores merchants connected through /connect during this run, by tenant id. */
  connected: ConnectedShops;
  /** Origins some store accepts: the storefront's own, plus any configured `MCF_ALLOWED_ORIGINS`. */
  allowedOrigins: string[];
  /** The sandbox's Hono app, with whatever state and control it exposes. */
  sandbox: ReturnType<typeof createSandbox>;
  close(): Promise<void>;
}

export interface StartDemoOptions {
  /** Replaces the sandbox's scaled clock (tests use a manual one). */
  sandboxClock?: { now(): number };
  /** Extra options for createSandbox (faults, catalog, lifecycle, realTimeClock). */
  sandboxOptions?: SandboxOptions;
  /** Where the built element is read from. */
  widgetPath?: URL;
}

/** What one mode wires: the proxy handlers, each store's wiring for the demo server, the origins they allow. */
interface Wired {
  proxies: Record<StoreId, FetchHandler>;
  root: FetchHandler;
  proxyUrls: Record<StoreId, string>;
  stores: Record<StoreId, DemoStoreWiring>;
  allowedOrigins: Set<string>;
  tenants?: TenantStore & { where: string; temporary: boolean };
}

interface WireContext {
  env: Env;
  plan: DemoPlan;
  sandbox: ReturnType<typeof createSandbox>;
  sandboxUrl: string;
  storefrontUrl: string;
  origins: string[];
  widgetScript: () => Promise<string | null>;
  closers: (() => Promise<void>)[];
  connected: Map<string, ConnectedShop>;
}

/** Starts sandbox, proxy and storefront. Rejects with a message naming the bad variable when the env is unusable. */
export async function startDemo(env: Env = process.env, options: StartDemoOptions = {}): Promise<RunningDemo> {
  const plan = planDemo(env, randomKey);
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const closer of closers.reverse()) await closer();
  };
  try {
    const { sellers } = plan;
    const sandbox = createSandbox({
      clock: options.sandboxClock ?? scaledClock(plan.sandboxTimeScale),
      // Connector mode: a seller per store, and one no store uses yet for /connect; private apps share the first.
      credentials:
        plan.mode === "connector"
          ? [...STORE_IDS.map((id) => sellers.stores[id]), ...(sellers.unconnected ? [sellers.unconnected] : [])]
          : plan.sandboxCredentials,
      ...options.sandboxOptions,
    });
    const sandboxServer = await listen(sandbox.fetch, plan.sandboxPort, plan.host);
    closers.push(sandboxServer.close);
    const sandboxUrl = `http://${urlHost(plan.host)}:${sandboxServer.port}`;

    let handler: FetchHandler = () => new Response("starting", { status: 503 });
    const storefront = await listen((request) => handler(request), plan.port, plan.host);
    closers.push(storefront.close);
    const storefrontUrl = `http://${urlHost(plan.host)}:${storefront.port}`;
    const widgetPath = options.widgetPath ?? new URL("../dist/widget.js", import.meta.url);
    const connected = new Map<string, ConnectedShop>();
    const context: WireContext = {
      env,
      plan: { ...plan, port: storefront.port },
      sandbox,
      sandboxUrl,
      storefrontUrl,
      origins: storefrontOrigins(plan.host, storefront.port),
      widgetScript: widgetFromFile(() => readFile(widgetPath, "utf8")),
      closers,
      connected,
    };
    const wired = plan.mode === "connector" ? await wireConnector(context) : wirePrivateApps(context);
    const connectedShops: ConnectedShops = { get: (id) => connected.get(id), list: () => [...connected.values()] };
    const demo = createDemoApp({
      stores: wired.stores,
      connected: connectedShops,
      ...(plan.mode === "connector" ? { connectPath: "/connect" } : {}),
      advanceSandbox: async (hours) => {
        const response = await fetch(`${sandboxUrl}/_sandbox/clock/advance`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ hours }),
        });
        if (!response.ok) throw new Error(`sandbox clock: ${response.status} ${await response.text()}`);
      },
    });
    handler = route(wired.proxies, (request) => demo.fetch(request), wired.root);

    return {
      mode: plan.mode,
      urls: {
        storefront: storefrontUrl,
        stores: Object.fromEntries(STORE_IDS.map((id) => [id, `${storefrontUrl}${STORES[id].path}`])) as Record<
          StoreId,
          string
        >,
        proxies: wired.proxyUrls,
        sandbox: sandboxUrl,
        ...(plan.mode === "connector" ? { connect: `${storefrontUrl}/connect` } : {}),
      },
      keys: plan.keys,
      plan,
      sellers: plan.sellers.stores,
      ...(wired.tenants ? { tenants: wired.tenants } : {}),
      connected: connectedShops,
      allowedOrigins: [...wired.allowedOrigins],
      sandbox,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** MWS: one private app per store under /proxy/{store}/, the US store's also at the root (today's deploys). */
function wirePrivateApps(context: WireContext): Wired {
  const { plan } = context;
  const proxies = {} as Record<StoreId, FetchHandler>;
  const stores = {} as Record<StoreId, DemoStoreWiring>;
  const allowedOrigins = new Set<string>();
  const proxyUrl = (id: StoreId) => `${context.storefrontUrl}/proxy/${id}`;
  for (const id of STORE_IDS) {
    const config = parseConfig(
      proxyEnv(id, context.env, plan, { sandbox: context.sandboxUrl, storefrontOrigins: context.origins }),
    );
    for (const origin of config.allowedOrigins) allowedOrigins.add(origin);
    const app = createApp(config, {
      widgetScript: context.widgetScript,
      fetch: pooledFetch(context),
      logger: proxyLogger(id, plan.logLevel),
    });
    proxies[id] = (request) => app.fetch(request);
    stores[id] = storeWiring(config, config, plan.keys.stores[id], proxyUrl(id), `/proxy/${id}`);
  }
  const proxyUrls = Object.fromEntries(STORE_IDS.map((id) => [id, proxyUrl(id)])) as Record<StoreId, string>;
  return { proxies, root: proxies.us, proxyUrls, stores, allowedOrigins };
}

/**
 * One connector proxy for every store: the tenant database opened (MCF_DATABASE_URL, else a temporary SQLite file
 * removed on close), the three stores seeded as tenants, /connect onboarding more, each of them a store page here.
 */
async function wireConnector(context: WireContext): Promise<Wired> {
  const { env, plan, storefrontUrl, closers } = context;
  const urls = { sandbox: context.sandboxUrl, storefrontOrigins: context.origins };
  // Every store's settings are checked before anything is opened, so a bad variable is named at once.
  const settings = Object.fromEntries(STORE_IDS.map((id) => [id, storeSettings(id, env, plan, urls)])) as Record<
    StoreId,
    Config
  >;
  let database = env.MCF_DATABASE_URL?.trim();
  const temporary = !database;
  if (!database) {
    const folder = await mkdtemp(join(tmpdir(), "mcf-demo-"));
    closers.push(() => rm(folder, { recursive: true, force: true }));
    database = `sqlite:${join(folder, "tenants.db")}`;
  }
  const config = parseConfig(connectorEnv(env, plan, { ...urls, storefront: storefrontUrl, database }));
  registerDemoApp(context.sandbox, config);
  const tenants = await openNodeTenantStore({ MCF_DATABASE_URL: database, MCF_TOKEN_KEY: plan.keys.tokenKey });
  closers.push(() => tenants.close());
  for (const id of STORE_IDS) await tenants.seed(storeTenant(id, settings[id], plan));

  const demoStores = new Map<string, StoreId>(STORE_IDS.map((id) => [demoTenantId(id), id]));
  const shopOf = ({ tenant, publishableKey, secretKey }: TenantWithKeys): ConnectedShop => ({
    store: connectedStore(tenant),
    wiring: storeWiring(config, tenant, { publishableKey, secretKey }, storefrontUrl),
  });
  const app = createConnectorApp(config, {
    widgetScript: context.widgetScript,
    fetch: pooledFetch(context),
    logger: proxyLogger("connector", plan.logLevel),
    tenants,
    connect: {
      // The demo server is the new merchant's server too: it keeps the keys the callback shows, and links the page.
      // Its page is served from this storefront, so the storefront's origins are allowed beside the merchant's own.
      onConnected: async (created) => {
        const allowedOrigins = [...new Set([...created.tenant.allowedOrigins, ...context.origins])];
        const tenant = (await tenants.update(created.tenant.id, { allowedOrigins })) ?? created.tenant;
        context.connected.set(tenant.id, shopOf({ ...created, tenant }));
      },
      storePageUrl: (tenant: Tenant) => {
        const store = demoStores.get(tenant.id);
        if (store) return STORES[store].path;
        return context.connected.get(tenant.id)?.store.path;
      },
    },
  });
  const proxy: FetchHandler = (request) => app.fetch(request);
  const allowedOrigins = new Set(STORE_IDS.flatMap((id) => settings[id].allowedOrigins));
  return {
    // /proxy/{store}/ still answers (every store reaches the one connector; the key names the tenant).
    proxies: { us: proxy, jp: proxy, eu: proxy },
    root: proxy,
    proxyUrls: { us: storefrontUrl, jp: storefrontUrl, eu: storefrontUrl },
    stores: Object.fromEntries(
      STORE_IDS.map((id) => [id, storeWiring(config, settings[id], plan.keys.stores[id], storefrontUrl)]),
    ) as Record<StoreId, DemoStoreWiring>,
    allowedOrigins,
    tenants: Object.assign(tenants, { temporary }),
  };
}

/** What the demo server needs of a store: its keys, its proxy (`endpointPath` on this origin, else the root). */
function storeWiring(
  config: Config,
  store: { pricing: Config["pricing"] },
  keys: { publishableKey: string; secretKey: string },
  proxyUrl: string,
  endpointPath?: string,
): DemoStoreWiring {
  return {
    publishableKey: keys.publishableKey,
    ...(endpointPath ? { endpointPath } : {}),
    freeShippingOver: freeStandardOver(store.pricing),
    orderExtras: config.amazonApi !== "2026-07-04",
    client: merchantClient(proxyUrl, keys.secretKey, fetch, keys.publishableKey),
  };
}

/** Keep-alive connections to the sandbox, pooled per proxy, as the Node entry (proxy/entries/node.ts) does. */
function pooledFetch(context: WireContext): typeof fetch {
  const upstream = createKeepAliveFetch();
  context.closers.push(async () => upstream.close());
  return upstream.fetch;
}

/**
 * The sandbox's dev app accepts the dev LWA client from any loopback callback; any other app (MCF_APP_ID, other
 * SANDBOX_LWA_* credentials, MCF_APP_DRAFT, a non-loopback HOST) is registered with the sandbox as it is configured.
 */
function registerDemoApp(sandbox: ReturnType<typeof createSandbox>, config: Config): void {
  const connector = config.connector!;
  const loopback = ["127.0.0.1", "localhost", "[::1]"].includes(new URL(connector.redirectUri).hostname);
  const devApp =
    connector.applicationId === DEV_APP.applicationId &&
    config.lwa.clientId === DEV_APP.clientId &&
    config.lwa.clientSecret === DEV_APP.clientSecret &&
    !connector.draft &&
    loopback;
  if (devApp) return;
  sandbox.sandbox.lwa.registerApp({
    applicationId: connector.applicationId,
    clientId: config.lwa.clientId,
    clientSecret: config.lwa.clientSecret,
    redirectUris: [connector.redirectUri],
    draft: connector.draft,
  });
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

/** The proxy's logs (already redacted by the proxy) as JSON lines tagged with its store, from `minimum` up. */
function proxyLogger(store: StoreId | "connector", minimum: LogLevel): Logger {
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

/** What `npm start` prints: where to go and the keys a merchant (and the operator) would configure. */
export function startupMessage(demo: RunningDemo): string {
  const { urls, plan } = demo;
  const generated = new Set(plan.keys.generated);
  // Generated keys are printed to be copied; secrets the operator supplied are only recognisable by their start.
  const shown = (value: string, name: string, secret = true) =>
    generated.has(name) ? value : `${secret ? `${value.slice(0, 6)}…` : value}  (from the environment)`;
  const line = (label: string, value: string) => `  ${label.padEnd(17)} ${value}`;
  const stores = STORE_IDS.map((id) => `    ${id.toUpperCase()} store       ${urls.stores[id]}  ${STORES[id].name}`);
  const common = [
    `  Element          ${urls.storefront}/widget.js`,
    `  Allowed origins  ${demo.allowedOrigins.join(", ")}  (the storefront's own, plus MCF_ALLOWED_ORIGINS)`,
    `  Amazon sandbox   ${urls.sandbox}  (time runs ${plan.sandboxTimeScale}× faster)`,
  ];
  const message = (mode: string, about: string[], keysFrom: string, keys: string[]) =>
    [
      "",
      `mcf-checkout demo is running (${mode})`,
      "",
      `  Storefront       ${urls.storefront}/`,
      ...stores,
      ...about,
      "",
      `Dev keys for this run (set ${keysFrom} to keep them):`,
      ...keys,
      "",
      "Press Ctrl+C to stop.",
      "",
    ].join("\n");
  if (demo.mode === "private") {
    const keys = plan.keys.stores.us;
    return message(
      "MWS: one private app per store",
      [
        `  Proxy            ${urls.storefront}/v1/health  (per store: ${urls.storefront}/proxy/{us,jp,eu}/v1/…)`,
        ...common,
      ],
      "MCF_SECRET_KEY, MCF_PUBLISHABLE_KEY, MCF_QUOTE_SECRET",
      [
        line("secret key", shown(keys.secretKey, "secretKey")),
        line("publishable key", shown(keys.publishableKey, "publishableKey", false)),
        line("quote secret", shown(plan.keys.quoteSecret, "quoteSecret")),
      ],
    );
  }
  const { tenants } = demo;
  return message(
    "connector mode: one proxy, each store a tenant",
    [
      `  Connect a store  ${urls.connect}  (a new merchant, through the sandbox's consent page)`,
      `  Proxy            ${urls.storefront}/v1/health  (operator API: ${urls.storefront}/v1/admin/tenants)`,
      ...common,
      `  Tenant database  ${tenants?.where}${tenants?.temporary ? "  (temporary; MCF_DATABASE_URL=sqlite:<file> keeps it)" : ""}`,
    ],
    "MCF_ADMIN_KEY, MCF_QUOTE_SECRET, US_MCF_SECRET_KEY, US_MCF_PUBLISHABLE_KEY, …",
    [
      line("admin key", shown(plan.keys.adminKey ?? "", "adminKey")),
      line("quote secret", shown(plan.keys.quoteSecret, "quoteSecret")),
      ...STORE_IDS.flatMap((id) => [
        line(
          `${id.toUpperCase()} publishable`,
          shown(plan.keys.stores[id].publishableKey, `${id}.publishableKey`, false),
        ),
        line(`${id.toUpperCase()} secret`, shown(plan.keys.stores[id].secretKey, `${id}.secretKey`)),
      ]),
    ],
  );
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
