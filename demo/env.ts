// How `npm start` turns its environment into the sandbox's options and one proxy environment per store. Pure: the
// random dev keys come from an injected generator, so tests see exactly what a run would use.
import { type PricingRules, ruleFor } from "../proxy/pricing/index.ts";
import { DEV_MWS_KEYS, DEV_MWS_SELLER_ID } from "../sandbox/auth/mws.ts";
import { DEV_CREDENTIALS } from "../sandbox/index.ts";
import { STORES, type StoreId } from "./stores.ts";

export type Env = Record<string, string | undefined>;

/** The sandbox's dev LWA credentials, used on both sides unless SANDBOX_LWA_* / LWA_* say otherwise. */
export interface LwaCredentials {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
}

export interface DemoKeys {
  secretKey: string;
  publishableKey: string;
  quoteSecret: string;
  /** Which keys were generated for this run (and so must be printed) rather than taken from the environment. */
  generated: ("secretKey" | "publishableKey" | "quoteSecret")[];
}

export interface DemoPlan {
  /** Storefront and proxies (PORT, default 8787; 0 picks a free port). */
  port: number;
  /** The local sandbox (SANDBOX_PORT, default 8788; 0 picks a free port). */
  sandboxPort: number;
  /** Interface both servers listen on (HOST, default 127.0.0.1: the demo is for this machine). */
  host: string;
  sandboxCredentials: LwaCredentials;
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

/** Variables that describe one store's marketplace; a global value would break the other stores. */
const PER_STORE_ONLY = new Set(["MCF_MARKETPLACE_ID", "MCF_REGION"]);

const REGIONS: Record<StoreId, string> = { us: "na", jp: "fe", eu: "eu" };

export function planDemo(env: Env, randomKey: (prefix: string, length: number) => string): DemoPlan {
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
  const generated: DemoKeys["generated"] = [];
  const key = (name: string, field: DemoKeys["generated"][number], make: () => string) => {
    const value = read(name);
    if (value !== undefined) return value;
    generated.push(field);
    return make();
  };
  const keys: DemoKeys = {
    secretKey: key("MCF_SECRET_KEY", "secretKey", () => randomKey("sk_dev_", 32)),
    publishableKey: key("MCF_PUBLISHABLE_KEY", "publishableKey", () => randomKey("pk_dev_", 32)),
    quoteSecret: key("MCF_QUOTE_SECRET", "quoteSecret", () => randomKey("qs_dev_", 48)),
    generated,
  };
  return {
    port,
    sandboxPort,
    host: read("HOST") ?? "127.0.0.1",
    sandboxCredentials: {
      clientId: read("SANDBOX_LWA_CLIENT_ID") ?? DEV_LWA.clientId,
      clientSecret: read("SANDBOX_LWA_CLIENT_SECRET") ?? DEV_LWA.clientSecret,
      refreshToken: read("SANDBOX_LWA_REFRESH_TOKEN") ?? DEV_LWA.refreshToken,
    },
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
export function proxyEnv(
  store: StoreId,
  env: Env,
  plan: DemoPlan,
  urls: { sandbox: string; storefrontOrigins: string[] },
): Env {
  const defaults: Env = {
    MCF_REGION: REGIONS[store],
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
    MCF_SECRET_KEY: plan.keys.secretKey,
    MCF_PUBLISHABLE_KEY: plan.keys.publishableKey,
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
