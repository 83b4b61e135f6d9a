// One typed, validated configuration. Every runtime entry maps its environment through parseConfig, which fails
// with one message naming every missing or bad variable.

import type { ResilienceOptions } from "../admission/options.ts";
import { mwsHost } from "../dialects/mws-2010-10-01/index.ts";
import { amazonHost, findMarketplace, LWA_TOKEN_URL, type Region } from "../marketplaces/index.ts";
import { type FallbackRate, validateFallbackRates } from "../previews/fallback.ts";
import { type PricingRules, parsePricingRules } from "../pricing/index.ts";
import { type FieldProblem, InvalidSettings, problemCollector } from "../shared/invalid.ts";

export type UpstreamKind = "sandbox-local" | "amazon-sandbox" | "amazon";
/** Which Amazon API the merchant's proxy speaks (MCF_AMAZON_API). */
export const AMAZON_APIS = ["2020-07-01", "2026-07-04", "mws-2010-10-01"] as const;
export type AmazonApi = (typeof AMAZON_APIS)[number];
export type BrowserOrders = "hold" | "ship" | "off";

export interface QuoteKey {
  kid: string;
  secret: string;
}

export interface Config {
  region: Region;
  /** Marketplaces this seller may quote for; the first is the default. */
  marketplaceIds: string[];
  upstream: {
    kind: UpstreamKind;
    /** SP-API base URL, no trailing slash. */
    baseUrl: string;
    tokenUrl: string;
    timeoutMs: number;
  };
  /** The Amazon dialect; SP-API 2020-07-01 by default. */
  amazonApi: AmazonApi;
  /** SP-API credentials (empty for MWS). */
  lwa: { clientId: string; clientSecret: string; refreshToken: string };
  /** MWS credentials, for `mws-2010-10-01` only. */
  mws?: { sellerId: string; accessKeyId: string; secretKey: string; authToken?: string };
  secretKey: string;
  /** Absent: browsers call without a key (single-tenant). */
  publishableKey?: string;
  /** The first key signs; all verify (rotation). */
  quoteKeys: QuoteKey[];
  quoteTtlSeconds: number;
  orderTokenTtlSeconds: number;
  /** Exact origins allowed to call from a browser; `*` allows any. */
  allowedOrigins: string[];
  pricing: PricingRules;
  browserOrders: BrowserOrders;
  /** Browser Hold orders not released within this long are cancelled (MCF_HOLD_TTL_MINUTES; 0: never). */
  holdTtlMs: number;
  maxBodyBytes: number;
  /** Comment printed on packing slips when the order gives none (Amazon requires one). */
  defaultOrderComment: string;
  port: number;
  resilience: ResilienceOptions;
  /** Entry bounds of the in-memory stores. */
  memory: { previews: number };
  /** Where state shared by a fleet lives (MCF_STORE; memory when unset) and how many instances share the quota. */
  store: { url?: string; instances?: number };
  /**
   * Connector mode (MCF_ADMIN_KEY set): merchants are tenants in a database, each authorising this SP-API app in
   * Seller Central; the environment's own merchant variables are not used.
   */
  connector?: ConnectorConfig;
}

export interface ConnectorConfig {
  /** MCF_ADMIN_KEY: the operator API's key. */
  adminKey: string;
  /** MCF_APP_ID: the SP-API application id sellers authorise. */
  applicationId: string;
  /** MCF_APP_DRAFT=true: the app is in Draft, so consent URLs carry version=beta. */
  draft: boolean;
  /** MCF_CONNECT_REDIRECT_URI: the callback registered with the app. */
  redirectUri: string;
  /** MCF_SELLER_CENTRAL_URL: replaces Seller Central's host (the local sandbox's consent page). */
  sellerCentralUrl?: string;
}

/** Every variable parseConfig reads, with its meaning; docs/proxy.md mirrors this table. */
export const CONFIG_VARIABLES = [
  "MCF_REGION",
  "MCF_MARKETPLACE_ID",
  "MCF_UPSTREAM",
  "MCF_UPSTREAM_URL",
  "MCF_UPSTREAM_TIMEOUT_MS",
  "MCF_AMAZON_API",
  "LWA_CLIENT_ID",
  "LWA_CLIENT_SECRET",
  "LWA_REFRESH_TOKEN",
  "LWA_TOKEN_URL",
  "MWS_SELLER_ID",
  "MWS_ACCESS_KEY_ID",
  "MWS_SECRET_KEY",
  "MWS_AUTH_TOKEN",
  "MCF_SECRET_KEY",
  "MCF_PUBLISHABLE_KEY",
  "MCF_QUOTE_SECRET",
  "MCF_QUOTE_TTL_SECONDS",
  "MCF_ORDER_TOKEN_TTL_SECONDS",
  "MCF_ALLOWED_ORIGINS",
  "MCF_PRICING",
  "MCF_BROWSER_ORDERS",
  "MCF_HOLD_TTL_MINUTES",
  "MCF_MAX_BODY_BYTES",
  "MCF_ORDER_COMMENT",
  "MCF_CACHE_TTL_SECONDS",
  "MCF_STALE_TTL_SECONDS",
  "MCF_CACHE_MAX_ENTRIES",
  "MCF_FALLBACK_RATES",
  "MCF_STORE",
  "MCF_INSTANCES",
  "MCF_ADMIN_KEY",
  "MCF_APP_ID",
  "MCF_APP_DRAFT",
  "MCF_CONNECT_REDIRECT_URI",
  "MCF_SELLER_CENTRAL_URL",
  "MCF_TOKEN_KEY",
  "MCF_DATABASE_URL",
  "PORT",
] as const;

/** Every bad variable at once; each problem's path is the variable's name. */
export class ConfigError extends InvalidSettings {
  constructor(problems: FieldProblem[]) {
    super(problems, "Invalid proxy configuration");
    this.name = "ConfigError";
  }
}

/** A JSON setting's own problems, told under its variable: `MCF_PRICING: speeds.Standard.amount must be …`. */
function nested(variable: string, error: unknown): FieldProblem[] {
  if (!(error instanceof InvalidSettings)) throw error;
  return error.problems.map((problem) => ({ path: variable, message: `${problem.path} ${problem.message}`.trim() }));
}

const DEFAULT_SANDBOX_URL = "http://127.0.0.1:8788";
const KEY = /^[A-Za-z0-9_-]{16,200}$/;

export function parseConfig(env: Record<string, string | undefined>): Config {
  const collector = problemCollector();
  const bad = (variable: string, message: string) => collector.add(variable, message);
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === "" ? undefined : value;
  };
  const required = (name: string): string => {
    const value = read(name);
    if (value === undefined) bad(name, "is required");
    return value ?? "";
  };
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const value = read(name);
    if (value === undefined) return fallback;
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      bad(name, `must be a whole number from ${min} to ${max}`);
      return fallback;
    }
    return Number(value);
  };
  const oneOf = <T extends string>(name: string, values: readonly T[], fallback: T): T => {
    const value = read(name);
    if (value === undefined) return fallback;
    if (!values.includes(value as T)) bad(name, `must be one of ${values.join(", ")}`);
    return values.includes(value as T) ? (value as T) : fallback;
  };
  const url = (name: string): string | undefined => {
    const value = read(name);
    if (value === undefined) return undefined;
    try {
      const parsed = new URL(value);
      if (parsed.protocol !== "https:" && parsed.protocol !== "http:") throw new Error("scheme");
      return value.replace(/\/+$/, "");
    } catch {
      bad(name, "must be an http(s) URL");
      return undefined;
    }
  };

  // Connector mode: the tenants bring their marketplaces, keys and refresh tokens; the app's LWA client stays here.
  const connectorMode = read("MCF_ADMIN_KEY") !== undefined;
  const merchantSetting = (name: string): string => (connectorMode ? (read(name) ?? "") : required(name));

  // Marketplaces and region.
  const marketplaceIds = merchantSetting("MCF_MARKETPLACE_ID")
    .split(",")
    .map((id) => id.trim())
    .filter(Boolean);
  for (const id of marketplaceIds) {
    if (!/^[A-Z0-9]{8,20}$/.test(id)) bad("MCF_MARKETPLACE_ID", `${JSON.stringify(id)} is not a marketplace id`);
  }
  const inferredRegion = marketplaceIds.map((id) => findMarketplace(id)?.region).find(Boolean);
  const region = oneOf<Region>("MCF_REGION", ["na", "eu", "fe"], inferredRegion ?? "na");
  for (const id of marketplaceIds) {
    const known = findMarketplace(id);
    if (known && known.region !== region)
      bad("MCF_MARKETPLACE_ID", `${id} (${known.country}) is not in region ${region}`);
  }

  // Upstream.
  const amazonApi = oneOf<AmazonApi>("MCF_AMAZON_API", AMAZON_APIS, "2020-07-01");
  const isMws = amazonApi === "mws-2010-10-01";
  const kind = oneOf<UpstreamKind>("MCF_UPSTREAM", ["sandbox-local", "amazon-sandbox", "amazon"], "sandbox-local");
  if (isMws && kind === "amazon-sandbox")
    bad("MCF_UPSTREAM", "amazon-sandbox has no MWS endpoint: use amazon or sandbox-local");
  const upstreamUrl = url("MCF_UPSTREAM_URL");
  const country = marketplaceIds.map((id) => findMarketplace(id)?.country).find(Boolean);
  const amazonUrl = isMws ? mwsHost(region, country) : amazonHost(region, kind === "amazon-sandbox");
  const baseUrl = upstreamUrl ?? (kind === "sandbox-local" ? DEFAULT_SANDBOX_URL : amazonUrl);
  const tokenUrl = url("LWA_TOKEN_URL") ?? (kind === "sandbox-local" ? `${baseUrl}/auth/o2/token` : LWA_TOKEN_URL);
  const timeoutMs = integer("MCF_UPSTREAM_TIMEOUT_MS", 10_000, 100, 120_000);

  // SP-API dialects sign in through LWA; MWS signs each request with the seller's MWS keys.
  const lwa = isMws
    ? { clientId: "", clientSecret: "", refreshToken: "" }
    : {
        clientId: required("LWA_CLIENT_ID"),
        clientSecret: required("LWA_CLIENT_SECRET"),
        refreshToken: merchantSetting("LWA_REFRESH_TOKEN"),
      };
  const mwsAuthToken = read("MWS_AUTH_TOKEN");
  const mws = isMws
    ? {
        sellerId: required("MWS_SELLER_ID"),
        accessKeyId: required("MWS_ACCESS_KEY_ID"),
        secretKey: required("MWS_SECRET_KEY"),
        ...(mwsAuthToken ? { authToken: mwsAuthToken } : {}),
      }
    : undefined;

  // Keys.
  const secretKey = merchantSetting("MCF_SECRET_KEY");
  if (secretKey && !KEY.test(secretKey)) bad("MCF_SECRET_KEY", "must be 16-200 characters of A-Z a-z 0-9 _ -");
  const publishableKey = read("MCF_PUBLISHABLE_KEY");
  if (publishableKey !== undefined && !KEY.test(publishableKey)) {
    bad("MCF_PUBLISHABLE_KEY", "must be 16-200 characters of A-Z a-z 0-9 _ -");
  }
  if (publishableKey !== undefined && publishableKey === secretKey) {
    bad("MCF_PUBLISHABLE_KEY", "must differ from MCF_SECRET_KEY");
  }
  const quoteKeys = parseQuoteKeys(required("MCF_QUOTE_SECRET"), (message) => bad("MCF_QUOTE_SECRET", message));
  if (quoteKeys.some((key) => key.secret === secretKey || key.secret === publishableKey)) {
    bad("MCF_QUOTE_SECRET", "must differ from the API keys");
  }

  const allowedOrigins = (read("MCF_ALLOWED_ORIGINS") ?? "")
    .split(",")
    .map((origin) => origin.trim())
    .filter(Boolean)
    .map((origin) => {
      if (origin === "*") return origin;
      try {
        const parsed = new URL(origin);
        if (parsed.origin !== origin.replace(/\/$/, "")) throw new Error("not an origin");
        return parsed.origin;
      } catch {
        bad("MCF_ALLOWED_ORIGINS", `${JSON.stringify(origin)} is not an origin like https://shop.example`);
        return origin;
      }
    });

  let pricing: PricingRules = {};
  const pricingJson = read("MCF_PRICING");
  if (pricingJson !== undefined) {
    try {
      pricing = parsePricingRules(pricingJson);
    } catch (error) {
      collector.merge(nested("MCF_PRICING", error));
    }
  }

  const resilience: ResilienceOptions = {
    // Only an explicit MCF_UPSTREAM_TIMEOUT_MS overrides the per-operation timeouts of the resilience policies.
    ...(read("MCF_UPSTREAM_TIMEOUT_MS") !== undefined ? { upstreamTimeoutMs: timeoutMs } : {}),
    cacheTtlMs: integer("MCF_CACHE_TTL_SECONDS", 60, 0, 86_400) * 1000,
    staleTtlMs: integer("MCF_STALE_TTL_SECONDS", 600, 0, 604_800) * 1000,
  };
  const fallbackJson = read("MCF_FALLBACK_RATES");
  if (fallbackJson !== undefined) {
    try {
      resilience.fallbackRates = parseFallbackRates(fallbackJson);
    } catch (error) {
      collector.merge(nested("MCF_FALLBACK_RATES", error));
    }
  }

  const config: Config = {
    region,
    marketplaceIds,
    upstream: { kind, baseUrl, tokenUrl, timeoutMs },
    amazonApi,
    lwa,
    ...(mws ? { mws } : {}),
    secretKey,
    quoteKeys,
    quoteTtlSeconds: integer("MCF_QUOTE_TTL_SECONDS", 900, 30, 86_400),
    orderTokenTtlSeconds: integer("MCF_ORDER_TOKEN_TTL_SECONDS", 30 * 86_400, 60, 365 * 86_400),
    allowedOrigins,
    pricing,
    browserOrders: oneOf<BrowserOrders>("MCF_BROWSER_ORDERS", ["hold", "ship", "off"], "hold"),
    holdTtlMs: integer("MCF_HOLD_TTL_MINUTES", 24 * 60, 0, 30 * 24 * 60) * 60_000,
    maxBodyBytes: integer("MCF_MAX_BODY_BYTES", 64 * 1024, 1024, 10 * 1024 * 1024),
    defaultOrderComment: read("MCF_ORDER_COMMENT") ?? "Thank you for your order.",
    port: integer("PORT", 8787, 0, 65_535),
    resilience,
    memory: { previews: integer("MCF_CACHE_MAX_ENTRIES", 5_000, 0, 1_000_000) },
    store: {},
  };
  const storeUrl = read("MCF_STORE");
  if (storeUrl !== undefined) {
    if (!/^(memory|deno-kv(:.*)?|sqlite:.+|rediss?:\/\/[^/].*)$/.test(storeUrl)) {
      bad("MCF_STORE", "must be redis://host:port/db, rediss://…, deno-kv[:path], sqlite:<file> or memory");
    } else config.store.url = storeUrl;
  }
  if (read("MCF_INSTANCES") !== undefined) config.store.instances = integer("MCF_INSTANCES", 1, 1, 10_000);
  if (publishableKey !== undefined) config.publishableKey = publishableKey;
  if (connectorMode) {
    const adminKey = read("MCF_ADMIN_KEY") ?? "";
    if (!KEY.test(adminKey)) bad("MCF_ADMIN_KEY", "must be 16-200 characters of A-Z a-z 0-9 _ -");
    if (isMws) bad("MCF_AMAZON_API", "connector mode needs an SP-API dialect: sellers authorise SP-API apps");
    const applicationId = required("MCF_APP_ID");
    if (applicationId && !/^amzn1\.(sellerapps|sp)\.app\.[A-Za-z0-9._-]+$/.test(applicationId))
      bad("MCF_APP_ID", "must be an SP-API application id (amzn1.sellerapps.app.…)");
    const redirectUri = url("MCF_CONNECT_REDIRECT_URI");
    if (redirectUri === undefined) bad("MCF_CONNECT_REDIRECT_URI", "is required: https://…/connect/amazon/callback");
    else if (!redirectUri.endsWith("/connect/amazon/callback"))
      bad("MCF_CONNECT_REDIRECT_URI", "must end in /connect/amazon/callback (this proxy's callback)");
    if (read("MCF_TOKEN_KEY") === undefined) bad("MCF_TOKEN_KEY", "is required in connector mode: 32 bytes, base64");
    const sellerCentralUrl = url("MCF_SELLER_CENTRAL_URL");
    config.connector = {
      adminKey,
      applicationId,
      draft: oneOf("MCF_APP_DRAFT", ["true", "false"], "false") === "true",
      redirectUri: redirectUri ?? "",
      ...(sellerCentralUrl ? { sellerCentralUrl } : {}),
    };
  }
  if (config.defaultOrderComment.length > 750) bad("MCF_ORDER_COMMENT", "must be at most 750 characters");
  if (collector.problems.length > 0) throw new ConfigError(collector.problems);
  return config;
}

/** `kid1:secret1,kid2:secret2` (first signs) or one bare secret (kid "k1"). Secrets need ≥ 32 characters. */
export function parseQuoteKeys(value: string, bad: (message: string) => void): QuoteKey[] {
  if (!value) return [];
  const entries = value.split(",").map((entry) => entry.trim());
  const keys: QuoteKey[] = [];
  for (const [index, entry] of entries.entries()) {
    const colon = entry.indexOf(":");
    const kid = colon > 0 ? entry.slice(0, colon) : entries.length === 1 ? "k1" : "";
    const secret = colon > 0 ? entry.slice(colon + 1) : entry;
    if (!/^[A-Za-z0-9_.-]{1,32}$/.test(kid)) {
      bad(`entry ${index + 1} needs a key id: write kid:secret (kid of A-Z a-z 0-9 _ . -)`);
      continue;
    }
    if (secret.length < 32) {
      bad(`entry ${index + 1} (kid ${kid}) must be at least 32 characters`);
      continue;
    }
    if (keys.some((key) => key.kid === kid)) bad(`key id ${kid} appears twice`);
    keys.push({ kid, secret });
  }
  return keys;
}

/** MCF_FALLBACK_RATES: a JSON array of FallbackRate, checked by the fallback table's own validation. */
export function parseFallbackRates(json: string): FallbackRate[] {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new InvalidSettings([{ path: "", message: "is not valid JSON" }], "Invalid fallback rates");
  }
  return validateFallbackRates(raw, "");
}
