// A connector-mode proxy as the Node entry starts it (startNodeProxy: tenant store on node:sqlite in a temporary
// folder, MCF_DATABASE_URL=sqlite:<file>) over real HTTP, in front of a real sandbox over HTTP with one seller per
// tenant. Everything the proxy answers and logs is kept for the secret scans; every call the sandbox answers is kept
// with the seller it acted for (the access token's seller, or the refresh token's for LWA).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serveFetch } from "../../bench/lib/servers.ts";
import type { NodeProxyOptions } from "../../proxy/entries/node.ts";
import { generateTokenKey } from "../../proxy/tenants/crypto.ts";
import { createSandbox, DEV_CREDENTIALS, type SandboxOptions } from "../../sandbox/index.ts";
import { type RunningProxy, startProxy } from "../helpers/proxy-server.ts";
import { Browser } from "./harness.ts";

/** JSON bodies under test are read field by field, and each assertion checks what it reads. */
// biome-ignore lint/suspicious/noExplicitAny: see above
export type Json = any;

export const US = "ATVPDKIKX0DER";
export const PREVIEW_CALL = "POST /fba/outbound/2020-07-01/fulfillmentOrders/preview";
export const CREATE_ORDER_CALL = "POST /fba/outbound/2020-07-01/fulfillmentOrders";
export const TOKEN_CALL = "POST /auth/o2/token";

export { US_ADDRESS as ADDRESS } from "../proxy/fixtures.ts";
export const ITEMS = [{ sku: "MUG-CERAMIC-BLUE", quantity: 1 }];
/** A preview for `ITEMS`; `quantity` makes a cart nothing has cached yet. */
export const preview = (quantity = 1) => ({
  items: [{ sku: "MUG-CERAMIC-BLUE", quantity }],
  address: { countryCode: "US", postalCode: "98101", stateOrRegion: "WA" },
});
export const FALLBACK_RATES = [{ speed: "Standard", amount: "7.50", currency: "USD", shipDays: 1, arrivalDays: 5 }];

const random = (bytes = 12) => Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString("hex");

export interface Seller {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  sellerId: string;
}

/** A sandbox seller of the dev app with a refresh token of this run (so scans look for something unguessable). */
export function seller(sellerId: string): Seller {
  return {
    clientId: DEV_CREDENTIALS.clientId,
    clientSecret: DEV_CREDENTIALS.clientSecret,
    refreshToken: `Atzr|${sellerId.toLowerCase()}-${random()}`,
    sellerId,
  };
}

export interface SandboxCall {
  /** The seller the call acted for; undefined when the token named none. */
  seller: string | undefined;
  call: string;
  status: number;
  /** The sandbox's answer (token calls: to find access tokens). */
  body: string;
}

export interface Seen {
  path: string;
  status: number;
  headers: Record<string, string>;
  text: string;
}

export interface Tenant {
  id: string;
  publishableKey: string;
  secretKey: string;
  origin: string;
  body: Json;
}

export interface RequestInit2 extends RequestInit {
  json?: unknown;
  /** The bearer key; none without. */
  key?: string;
  origin?: string;
}

export interface LiveConnector {
  proxy: RunningProxy;
  sandboxUrl: string;
  sandbox: ReturnType<typeof createSandbox>;
  /** The connector's environment as passed (MCF_ADMIN_KEY, MCF_TOKEN_KEY, LWA_CLIENT_SECRET, …). */
  env: Record<string, string>;
  databaseFile: string;
  calls: SandboxCall[];
  logs: string[];
  responses: Seen[];
  request(path: string, init?: RequestInit2): Promise<Seen & { body: Json }>;
  admin(method: string, path: string, json?: unknown): Promise<Seen & { body: Json }>;
  /** POST /v1/admin/tenants for `who` (its seller and refresh token unless overridden); asserts 201. */
  createTenant(name: string, who: Seller | undefined, extra?: Record<string, unknown>): Promise<Tenant>;
  /** A live preview's options (asserts 200). */
  previewFor(tenant: Tenant, quantity?: number, key?: "secret" | "publishable"): Promise<Json>;
  /** The sandbox's own view of one seller (GET /_sandbox/sellers/{id}/state): its orders and stock. */
  sellerState(sellerId: string): Promise<Json>;
  callsOf(sellerId: string | undefined, call: string): SandboxCall[];
  close(): Promise<void>;
}

/** Serves `sandbox`, remembering for each call the seller it acted for. */
async function recordingSandbox(sandbox: ReturnType<typeof createSandbox>, calls: SandboxCall[]) {
  const { lwa } = sandbox.sandbox;
  return serveFetch(async (request) => {
    const url = new URL(request.url);
    const call = `${request.method} ${url.pathname}`;
    let sellerId: string | undefined;
    const accessToken = request.headers.get("x-amz-access-token");
    if (accessToken) {
      try {
        sellerId = lwa.authorize(accessToken);
      } catch {
        sellerId = undefined;
      }
    } else if (call === TOKEN_CALL) {
      const params = new URLSearchParams(await request.clone().text());
      sellerId = lwa.sellers.find((s) => s.refreshToken === params.get("refresh_token"))?.sellerId;
    }
    const response = await sandbox.fetch(request);
    const body = call === TOKEN_CALL ? await response.clone().text() : "";
    calls.push({ seller: sellerId, call, status: response.status, body });
    return response;
  });
}

export async function startLiveConnector(
  sellers: Seller[],
  options: { sandbox?: SandboxOptions; env?: Record<string, string>; deps?: NodeProxyOptions } = {},
): Promise<LiveConnector> {
  const calls: SandboxCall[] = [];
  const logs: string[] = [];
  const responses: Seen[] = [];
  const sandbox = createSandbox({ credentials: [DEV_CREDENTIALS, ...sellers], ...options.sandbox });
  const served = await recordingSandbox(sandbox, calls);
  const dir = await mkdtemp(join(tmpdir(), "mcf-live-connector-"));
  const databaseFile = join(dir, "tenants.db");
  // Only what the test states: nothing from the shell's MCF_*, LWA_* or SANDBOX_*.
  const env: Record<string, string> = {
    MCF_UPSTREAM: "sandbox-local",
    MCF_UPSTREAM_URL: served.url,
    LWA_CLIENT_ID: DEV_CREDENTIALS.clientId,
    LWA_CLIENT_SECRET: DEV_CREDENTIALS.clientSecret,
    MCF_QUOTE_SECRET: `k1:quote-${random(24)}`,
    MCF_ADMIN_KEY: `admin_${random(16)}`,
    MCF_APP_ID: "amzn1.sellerapps.app.sandbox-dev-app",
    MCF_CONNECT_REDIRECT_URI: "http://127.0.0.1:1/connect/amazon/callback",
    MCF_SELLER_CENTRAL_URL: served.url,
    MCF_TOKEN_KEY: generateTokenKey(),
    MCF_DATABASE_URL: `sqlite:${databaseFile}`,
    ...options.env,
  };
  let proxy: RunningProxy;
  try {
    proxy = await withTimeout(
      startProxy(env, {
        logger: { log: (level, message, fields) => logs.push(JSON.stringify({ level, message, ...fields })) },
        ...options.deps,
      }),
      15_000,
      "the connector proxy did not start",
    );
  } catch (error) {
    await served.close();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }

  const request: LiveConnector["request"] = async (path, init = {}) => {
    const { json, key, origin, ...rest } = init;
    const headers = new Headers(rest.headers);
    if (key !== undefined) headers.set("authorization", `Bearer ${key}`);
    if (origin !== undefined) headers.set("origin", origin);
    if (json !== undefined) headers.set("content-type", "application/json");
    const response = await fetch(`${proxy.url}${path}`, {
      ...rest,
      method: rest.method ?? (json === undefined ? "GET" : "POST"),
      headers,
      redirect: "manual",
      signal: AbortSignal.timeout(20_000),
      ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
    });
    const text = await response.text();
    const seen = { path, status: response.status, headers: Object.fromEntries(response.headers), text };
    responses.push(seen);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    return { ...seen, body };
  };
  const admin: LiveConnector["admin"] = (method, path, json) =>
    request(`/v1/admin${path}`, { method, key: env.MCF_ADMIN_KEY, ...(json === undefined ? {} : { json }) });

  return {
    proxy,
    sandboxUrl: served.url,
    sandbox,
    env,
    databaseFile,
    calls,
    logs,
    responses,
    request,
    admin,
    async createTenant(name, who, extra = {}) {
      const origin = `https://${name.toLowerCase()}.example`;
      const created = await admin("POST", "/tenants", {
        name,
        region: "na",
        marketplaceIds: [US],
        allowedOrigins: [origin],
        ...(who ? { sellingPartnerId: who.sellerId, refreshToken: who.refreshToken } : {}),
        fallbackRates: FALLBACK_RATES,
        ...extra,
      });
      if (created.status !== 201) throw new Error(`tenant ${name} not created: ${created.status} ${created.text}`);
      const { id, publishableKey, secretKey } = created.body;
      return { id, publishableKey, secretKey, origin, body: created.body };
    },
    async previewFor(tenant, quantity = 1, key = "secret") {
      const seen = await request("/v1/delivery-options", {
        key: key === "secret" ? tenant.secretKey : tenant.publishableKey,
        ...(key === "publishable" ? { origin: tenant.origin } : {}),
        json: preview(quantity),
      });
      if (seen.status !== 200) throw new Error(`preview for ${tenant.id}: ${seen.status} ${seen.text}`);
      return seen.body;
    },
    async sellerState(sellerId) {
      const response = await fetch(`${served.url}/_sandbox/sellers/${sellerId}/state`);
      if (!response.ok) throw new Error(`sandbox state of ${sellerId}: ${response.status}`);
      return response.json();
    },
    callsOf: (sellerId, call) => calls.filter((c) => c.seller === sellerId && c.call === call),
    async close() {
      try {
        await proxy.close();
      } finally {
        await served.close();
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

export interface Onboarded {
  status: number;
  page: string;
  /** The callback as the browser followed it (state and spapi_oauth_code in its query). */
  callback: URL;
}

/**
 * A seller onboards as a browser would: /connect, the form, Seller Central's consent (the sandbox) approved for
 * `sellerId`, then the callback. The redirect URI is MCF_CONNECT_REDIRECT_URI (an unused port, as an operator's public
 * host would be), so the browser's callback is sent to the proxy under test with the same path and query.
 */
export async function connectSeller(
  h: LiveConnector,
  sellerId: string,
  form: { name: string; origin: string; marketplace?: string },
): Promise<Onboarded> {
  const browser = new Browser();
  const page = await browser.request(`${h.proxy.url}/connect`);
  if (page.status !== 200) throw new Error(`/connect answered ${page.status}`);
  const query = new URLSearchParams({ marketplace: US, ...form });
  const toAmazon = await browser.request(`${h.proxy.url}/connect/amazon?${query}`);
  if (toAmazon.status !== 302) throw new Error(`/connect/amazon answered ${toAmazon.status}: ${await toAmazon.text()}`);
  const consent = new URL(toAmazon.headers.get("location")!);
  await (await browser.request(consent.href)).text();
  const approved = await browser.request(`${h.sandboxUrl}/apps/authorize/consent`, {
    method: "POST",
    body: new URLSearchParams({
      application_id: consent.searchParams.get("application_id")!,
      state: consent.searchParams.get("state")!,
      redirect_uri: consent.searchParams.get("redirect_uri")!,
      decision: "approve",
      new_selling_partner_id: sellerId,
    }),
  });
  if (approved.status !== 302) throw new Error(`consent answered ${approved.status}: ${await approved.text()}`);
  const back = new URL(approved.headers.get("location")!);
  const callback = new URL(`${back.pathname}${back.search}`, h.proxy.url);
  const reply = await browser.request(callback.href);
  const text = await reply.text();
  h.responses.push({
    path: `${callback.pathname}${callback.search}`,
    status: reply.status,
    headers: Object.fromEntries(reply.headers),
    text,
  });
  return { status: reply.status, page: text, callback };
}

/** The orders the sandbox holds for a seller (from its per-seller state). */
export function ordersOf(state: Json, sellerId: string): Json[] {
  return state.sellers.find((s: Json) => s.sellerId === sellerId)?.orders ?? [];
}

/** Polls `check` every 20 ms until it holds or `ms` pass; answers whether it held. */
export async function eventually(check: () => boolean | Promise<boolean>, ms = 3_000): Promise<boolean> {
  const deadline = performance.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${message} within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
