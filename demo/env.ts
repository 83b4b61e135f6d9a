// How `npm start` turns its environment into the sandbox's options and one proxy environment per store. Pure: the
// random dev keys come from an injected generator, so tests see exactly what a run would use.
import { type Config, parseConfig } from "../proxy/config/index.ts";
import { type PricingRules, ruleFor } from "../proxy/pricing/index.ts";
import { generateTokenKey } from "../proxy/tenants/crypto.ts";
import type { TenantCreate } from "../proxy/tenants/model.ts";
import { DEV_APP, type KnownSeller } from "../sandbox/auth/lwa.ts";
import { DEV_MWS_KEYS, DEV_MWS_SELLER_ID } from "../sandbox/auth/mws.ts";
import { DEV_CREDENTIALS } from "../sandbox/index.ts";
import { STORE_IDS, STORE_REGIONS, STORES, type StoreId } from "./stores.ts";

export type Env = Record<string, string | undefined>;

/** The sandbox's dev LWA credentials, used on both sides unless SANDBOX_LWA_* / LWA_* say otherwise. */
export interface LwaCredentials {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
}

/** A merchant's two keys: the publishable one for its pages, the secret one for its server. */
export interface StoreKeys {
  publishableKey: string;
  secretKey: string;
}

export interface DemoKeys {
  /** Each store's keys: its tenant's in connector mode; in a private app (MWS), the keys every store's proxy shares. */
  stores: Record<StoreId, StoreKeys>;
  quoteSecret: string;
  /** Connector mode: the operator API's key (MCF_ADMIN_KEY). */
  adminKey?: string;
  /** Connector mode: the key that seals refresh tokens in the tenant database (MCF_TOKEN_KEY). */
  tokenKey?: string;
  /** Which keys were generated for this run (and so are printed) rather than taken from the environment. */
  generated: string[];
}

/**
 * `connector`: one proxy in connector mode serves the three stores as tenants, and /connect onboards more (SP-API
 * dialects). `private`: one private app per store, as a merchant deploying alone runs it (MWS has no seller
 * authorisation for public apps, so MCF_AMAZON_API=mws-2010-10-01 runs this way).
 */
export type DemoMode = "connector" | "private";

/** The sandbox's test sellers: one per demo store, and one no store uses, to connect through /connect. */
export interface DemoSellers {
  stores: Record<StoreId, KnownSeller>;
  /** A seller with no tenant yet: the consent page offers it to the merchant onboarding at /connect. */
  unconnected?: KnownSeller;
}

export interface DemoPlan {
  /** Storefront and proxies (PORT, default 8787; 0 picks a free port). */
  port: number;
  /** The local sandbox (SANDBOX_PORT, default 8788; 0 picks a free port). */
  sandboxPort: number;
  /** Interface both servers listen on (HOST, default 127.0.0.1: the demo is for this machine). */
  host: string;
  mode: DemoMode;
  /** The first seller's LWA credentials (SANDBOX_LWA_*): the app's LWA client, and the US store's refresh token. */
  sandboxCredentials: LwaCredentials;
  /** The sellers the sandbox knows (connector mode: one per store; a private app's stores share the first). */
  sellers: DemoSellers;
  /** Sandbox time runs this many times faster, so a demo order completes in minutes (SANDBOX_TIME_SCALE). */
  sandboxTimeScale: number;
  keys: DemoKeys;
  /** Proxy log lines from this level up (DEMO_LOG_LEVEL: debug, info, warn, error; default warn). */
  logLevel: "debug" | "info" | "warn" | "error";
}

/** Demo pricing per store: what a merchant in that market would plausibly configure. MCF_PRICING replaces it. */
export const DEMO_PRICING: Record<StoreId, object> = {
  us: {
    speeds: {
      Standard: { type: "freeOver", threshold: "50.00", otherwise: { type: "flat", amount: "5.99" } },
      Expedited: { type: "flat", amount: "12.99" },
      Priority: { type: "markup", percent: "10" },
    },
  },
  jp: {
    speeds: {
      Standard: { type: "freeOver", threshold: "5000", otherwise: { type: "flat", amount: "550" } },
    },
  },
  eu: {
    speeds: {
      Standard: { type: "freeOver", threshold: "39.00", otherwise: { type: "flat", amount: "4.90" } },
      Expedited: { type: "flat", amount: "7.90" },
    },
  },
};

const LOG_LEVELS: DemoPlan["logLevel"][] = ["debug", "info", "warn", "error"];

/** Where the sandbox answers, and the origins the storefront is reached on. */
export interface DemoUrls {
  sandbox: string;
  storefrontOrigins: string[];
}

/** Variables that describe one store's marketplace; a global value would break the other stores. */
const PER_STORE_ONLY = new Set(["MCF_MARKETPLACE_ID", "MCF_REGION"]);

/** The sandbox seller of each demo store in connector mode (the US store's is the sandbox's default seller). */
export const DEMO_SELLER_IDS: Record<StoreId, string> = {
  us: DEV_CREDENTIALS.sellerId,
  jp: "A2SANDBOXSELLERJP",
  eu: "A3SANDBOXSELLEREU",
};
export const UNCONNECTED_SELLER_ID = "A4SANDBOXSELLER";

/** A merchant's own key in a private app, which one connector's tenants cannot share. */
const MERCHANT_KEYS = ["MCF_SECRET_KEY", "MCF_PUBLISHABLE_KEY"] as const;

export function planDemo(
  env: Env,
  randomKey: (prefix: string, length: number) => string,
  tokenKey: () => string = generateTokenKey,
): DemoPlan {
  const read = (name: string) => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  const port = portOf("PORT", read("PORT"), 8787);
  const sandboxPort = portOf("SANDBOX_PORT", read("SANDBOX_PORT"), 8788);
  const scale = read("SANDBOX_TIME_SCALE") ?? "60";
  const sandboxTimeScale = Number(scale);
  if (!/^\d+(\.\d+)?$/.test(scale) || !(sandboxTimeScale >= 1) || sandboxTimeScale > 100_000) {
    throw new Error(`SANDBOX_TIME_SCALE must be a number from 1 to 100000, got ${JSON.stringify(scale)}`);
  }
  const logLevel = read("DEMO_LOG_LEVEL") ?? "warn";
  if (!LOG_LEVELS.includes(logLevel as DemoPlan["logLevel"])) {
    throw new Error(`DEMO_LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}, got ${JSON.stringify(logLevel)}`);
  }
  const mode: DemoMode = read("MCF_AMAZON_API") === "mws-2010-10-01" ? "private" : "connector";
  const generated: string[] = [];
  const key = (name: string, label: string, make: () => string) => {
    const value = read(name);
    if (value !== undefined) return value;
    generated.push(label);
    return make();
  };
  let stores: Record<StoreId, StoreKeys>;
  if (mode === "private") {
    const shared = {
      secretKey: key("MCF_SECRET_KEY", "secretKey", () => randomKey("sk_dev_", 32)),
      publishableKey: key("MCF_PUBLISHABLE_KEY", "publishableKey", () => randomKey("pk_dev_", 32)),
    };
    stores = { us: shared, jp: shared, eu: shared };
  } else {
    for (const name of MERCHANT_KEYS) {
      if (read(name) === undefined) continue;
      throw new Error(
        `${name} is one merchant's key, and the demo's connector serves a tenant per store: set ` +
          `${STORE_IDS.map((id) => `${id.toUpperCase()}_${name}`).join(", ")} instead ` +
          "(or MCF_AMAZON_API=mws-2010-10-01 for one private app per store)",
      );
    }
    const storeKeys = (id: StoreId): StoreKeys => ({
      secretKey: key(`${id.toUpperCase()}_MCF_SECRET_KEY`, `${id}.secretKey`, () => randomKey(`sk_dev_${id}_`, 32)),
      publishableKey: key(`${id.toUpperCase()}_MCF_PUBLISHABLE_KEY`, `${id}.publishableKey`, () =>
        randomKey(`pk_dev_${id}_`, 32),
      ),
    });
    stores = { us: storeKeys("us"), jp: storeKeys("jp"), eu: storeKeys("eu") };
  }
  const keys: DemoKeys = {
    stores,
    quoteSecret: key("MCF_QUOTE_SECRET", "quoteSecret", () => randomKey("qs_dev_", 48)),
    ...(mode === "connector"
      ? {
          adminKey: key("MCF_ADMIN_KEY", "adminKey", () => randomKey("adm_dev_", 32)),
          tokenKey: key("MCF_TOKEN_KEY", "tokenKey", tokenKey),
        }
      : {}),
    generated,
  };
  const sandboxCredentials = {
    clientId: read("SANDBOX_LWA_CLIENT_ID") ?? DEV_LWA.clientId,
    clientSecret: read("SANDBOX_LWA_CLIENT_SECRET") ?? DEV_LWA.clientSecret,
    refreshToken: read("SANDBOX_LWA_REFRESH_TOKEN") ?? DEV_LWA.refreshToken,
  };
  const seller = (sellerId: string, suffix: string): KnownSeller => ({
    ...sandboxCredentials,
    refreshToken: `${sandboxCredentials.refreshToken}${suffix}`,
    sellerId,
  });
  const first = seller(DEMO_SELLER_IDS.us, "");
  const sellers: DemoSellers =
    mode === "private"
      ? { stores: { us: first, jp: first, eu: first } }
      : {
          stores: { us: first, jp: seller(DEMO_SELLER_IDS.jp, "-jp"), eu: seller(DEMO_SELLER_IDS.eu, "-eu") },
          // Known to the sandbox but not yet authorised: the consent page pre-selects it for /connect.
          unconnected: { ...seller(UNCONNECTED_SELLER_ID, "-unconnected"), authorised: false },
        };
  return {
    port,
    sandboxPort,
    host: read("HOST") ?? "127.0.0.1",
    mode,
    sandboxCredentials,
    sellers,
    sandboxTimeScale,
    keys,
    logLevel: logLevel as DemoPlan["logLevel"],
  };
}

/** The sandbox's own dev credentials (what `npm run sandbox` uses without SANDBOX_LWA_*). */
export const DEV_LWA: LwaCredentials = {
  clientId: DEV_CREDENTIALS.clientId,
  clientSecret: DEV_CREDENTIALS.clientSecret,
  refreshToken: DEV_CREDENTIALS.refreshToken,
};

/**
 * The environment one store's proxy parses with `parseConfig`. Precedence, highest first: `US_MCF_PRICING`-style
 * per-store variables, then the process environment (except the per-store-only marketplace and region), then the
 * demo's defaults (local sandbox, the sandbox's credentials, the run's keys). `MCF_ALLOWED_ORIGINS` is the exception:
 * the storefront's own origins are always allowed, and configured origins are added to them.
 */
export function proxyEnv(store: StoreId, env: Env, plan: DemoPlan, urls: DemoUrls): Env {
  const defaults: Env = {
    MCF_REGION: STORE_REGIONS[store],
    MCF_MARKETPLACE_ID: STORES[store].marketplaceId,
    MCF_UPSTREAM: "sandbox-local",
    MCF_UPSTREAM_URL: urls.sandbox,
    LWA_TOKEN_URL: `${urls.sandbox}/auth/o2/token`,
    LWA_CLIENT_ID: plan.sandboxCredentials.clientId,
    LWA_CLIENT_SECRET: plan.sandboxCredentials.clientSecret,
    LWA_REFRESH_TOKEN: plan.sandboxCredentials.refreshToken,
    // Used only with MCF_AMAZON_API=mws-2010-10-01: the sandbox's dev MWS keys for the same seller.
    MWS_SELLER_ID: DEV_MWS_SELLER_ID,
    MWS_ACCESS_KEY_ID: DEV_MWS_KEYS.accessKeyId,
    MWS_SECRET_KEY: DEV_MWS_KEYS.secretKey,
    MCF_SECRET_KEY: plan.keys.stores[store].secretKey,
    MCF_PUBLISHABLE_KEY: plan.keys.stores[store].publishableKey,
    MCF_QUOTE_SECRET: plan.keys.quoteSecret,
    MCF_ALLOWED_ORIGINS: urls.storefrontOrigins.join(","),
    MCF_PRICING: JSON.stringify(DEMO_PRICING[store]),
    MCF_ORDER_COMMENT: `Thank you for shopping at ${STORES[store].name}.`,
  };
  const global: Env = {};
  for (const [name, value] of Object.entries(env)) {
    if (!/^(MCF_|LWA_|MWS_)/.test(name) || PER_STORE_ONLY.has(name) || !value?.trim()) continue;
    global[name] = value;
  }
  const prefix = `${store.toUpperCase()}_`;
  const scoped: Env = {};
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith(prefix) || !value?.trim()) continue;
    const bare = name.slice(prefix.length);
    if (/^(MCF_|LWA_|MWS_)/.test(bare)) scoped[bare] = value;
  }
  const merged = { ...defaults, ...global, ...scoped };
  // The store pages call their proxies from the storefront's own origins, so a configured allow-list adds to them:
  // replacing them would make every demo page get 403 from its proxy.
  const configuredOrigins = (merged.MCF_ALLOWED_ORIGINS ?? "").split(",").map((origin) => origin.trim());
  const origins = [...new Set([...urls.storefrontOrigins, ...configuredOrigins.filter(Boolean)])];
  // The proxy reads PORT too; each store's proxy is mounted on the storefront's server, so it is the same port.
  return { ...merged, MCF_ALLOWED_ORIGINS: origins.join(","), PORT: String(plan.port) };
}

/** What each tenant has of its own (its store's, from proxyEnv); the connector's environment leaves them out. */
const TENANT_VARIABLES = new Set([
  ...PER_STORE_ONLY,
  ...MERCHANT_KEYS,
  "MCF_ALLOWED_ORIGINS",
  "MCF_PRICING",
  "MCF_BROWSER_ORDERS",
  "MCF_FALLBACK_RATES",
  "LWA_REFRESH_TOKEN",
]);

/**
 * Connector mode: one store's settings (marketplace, region, origins, pricing, browser orders, fallback rates),
 * checked by the proxy's own parser as a private app's would be, so a bad `JP_MCF_PRICING` is named as such.
 */
export function storeSettings(store: StoreId, env: Env, plan: DemoPlan, urls: DemoUrls): Config {
  // Without MCF_ADMIN_KEY the parser reads a private app's settings and none of connector mode's variables.
  const { MCF_ADMIN_KEY: _connector, ...storeEnv } = proxyEnv(store, env, plan, urls);
  return parseConfig(storeEnv);
}

/** The tenant a demo store is, seeded at start with the run's keys (idempotent by id). */
export function storeTenant(store: StoreId, settings: Config, plan: DemoPlan): TenantSeed {
  const seller = plan.sellers.stores[store];
  return {
    id: demoTenantId(store),
    name: STORES[store].name,
    region: settings.region,
    marketplaceIds: settings.marketplaceIds,
    allowedOrigins: settings.allowedOrigins,
    sellingPartnerId: seller.sellerId,
    refreshToken: seller.refreshToken,
    pricing: settings.pricing,
    browserOrders: settings.browserOrders,
    fallbackRates: settings.resilience.fallbackRates ?? [],
    ...plan.keys.stores[store],
  };
}

export type TenantSeed = TenantCreate & { id: string; publishableKey: string; secretKey: string };

export const demoTenantId = (store: StoreId): string => `tn_demo_${store}`;

/**
 * The one connector proxy's environment: the app's LWA client (the sandbox's), the deployment's keys, the sandbox as
 * Amazon and as Seller Central, the callback on the storefront's origin, and the tenant database. Every other
 * MCF_* and LWA_* variable passes through, but those that are each tenant's (marketplace, keys, pricing, …).
 */
export function connectorEnv(env: Env, plan: DemoPlan, urls: DemoUrls & { storefront: string; database: string }): Env {
  const defaults: Env = {
    MCF_UPSTREAM: "sandbox-local",
    MCF_UPSTREAM_URL: urls.sandbox,
    LWA_TOKEN_URL: `${urls.sandbox}/auth/o2/token`,
    LWA_CLIENT_ID: plan.sandboxCredentials.clientId,
    LWA_CLIENT_SECRET: plan.sandboxCredentials.clientSecret,
    MCF_QUOTE_SECRET: plan.keys.quoteSecret,
    MCF_ADMIN_KEY: plan.keys.adminKey,
    MCF_TOKEN_KEY: plan.keys.tokenKey,
    MCF_APP_ID: DEV_APP.applicationId,
    MCF_CONNECT_REDIRECT_URI: `${urls.storefront}/connect/amazon/callback`,
    MCF_SELLER_CENTRAL_URL: urls.sandbox,
    MCF_DATABASE_URL: urls.database,
  };
  const global: Env = {};
  for (const [name, value] of Object.entries(env)) {
    if (!/^(MCF_|LWA_)/.test(name) || TENANT_VARIABLES.has(name) || !value?.trim()) continue;
    global[name] = value;
  }
  return { ...defaults, ...global, PORT: String(plan.port) };
}

/** The order value from which Standard shipping is free under these rules, if a `freeOver` rule makes it so. */
export function freeStandardOver(pricing: PricingRules): string | undefined {
  const rule = ruleFor(pricing, "Standard");
  return rule.type === "freeOver" ? rule.threshold : undefined;
}

/** Origins a browser on this machine may use for the storefront. */
export function storefrontOrigins(host: string, port: number): string[] {
  const hosts = host === "127.0.0.1" || host === "0.0.0.0" || host === "::" ? ["localhost", "127.0.0.1"] : [host];
  return hosts.map((name) => `http://${name}:${port}`);
}

function portOf(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) > 65_535) throw new Error(`${name} must be a port number, got ${value}`);
  return Number(value);
}
