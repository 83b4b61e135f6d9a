// One test seller for the tests that start a proxy process against a sandbox and place an order through it: its
// LWA credentials and proxy keys (random per run), the cart and address, the proxy's environment and its API. And a
// connector (testConnector): one public app, two sellers who authorised it, the operator's keys.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import type { ProxyEnv, RunningProxy } from "./harness.ts";

const token = (prefix: string) => `${prefix}${randomBytes(18).toString("base64url")}`;

export const CART = [{ sku: "MUG-CERAMIC-BLUE", quantity: 1 }];

export const address = (name: string) => ({
  name,
  line1: "410 Terry Ave N",
  city: "Seattle",
  stateOrRegion: "WA",
  postalCode: "98109",
  countryCode: "US",
});

export function testSeller(tag: string) {
  const lwa = {
    clientId: token(`amzn1.application-oa2-client.${tag}`),
    clientSecret: token(tag),
    refreshToken: token(`Atzr|${tag}`),
  };
  const keys = { secret: token(`sk_${tag}_`), quote: token(`quote_${tag}_`) + token("") };
  return {
    lwa,
    keys,
    /** The proxy's environment against the sandbox at `sandboxUrl` (US marketplace), plus `extra`. */
    env: (sandboxUrl: string, extra: ProxyEnv): ProxyEnv => ({
      MCF_MARKETPLACE_ID: "ATVPDKIKX0DER",
      MCF_UPSTREAM: "sandbox-local",
      MCF_UPSTREAM_URL: sandboxUrl,
      LWA_TOKEN_URL: `${sandboxUrl}/auth/o2/token`,
      LWA_CLIENT_ID: lwa.clientId,
      LWA_CLIENT_SECRET: lwa.clientSecret,
      LWA_REFRESH_TOKEN: lwa.refreshToken,
      MCF_SECRET_KEY: keys.secret,
      MCF_QUOTE_SECRET: keys.quote,
      ...extra,
    }),
    /** A POST to the proxy with the secret key (and an Idempotency-Key when given). */
    post: poster(keys.secret),
  };
}

/** POSTs to the proxy with `key` (and an Idempotency-Key, and more headers, when given). */
export const poster =
  (key: string) =>
  (proxy: RunningProxy, path: string, body: unknown, idempotencyKey?: string, headers: Record<string, string> = {}) =>
    fetch(`${proxy.url}${path}`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${key}`,
        "content-type": "application/json",
        ...(idempotencyKey ? { "idempotency-key": idempotencyKey } : {}),
        ...headers,
      },
      body: JSON.stringify(body),
    });

export type Post = ReturnType<typeof poster>;

/**
 * Connector mode against the sandbox: one public app (its LWA client), two sellers who authorised it (each with its
 * own refresh token and stock in the sandbox), the operator's admin key and the token key sealing refresh tokens.
 */
export function testConnector(tag: string) {
  const client = {
    clientId: token(`amzn1.application-oa2-client.${tag}`),
    clientSecret: token(tag),
  };
  const sellers = [1, 2].map((n) => ({
    sellerId: `A${tag.toUpperCase()}SELLER${n}`,
    refreshToken: token(`Atzr|${tag}${n}`),
  }));
  const keys = {
    admin: token(`admin_${tag}_`),
    token: randomBytes(32).toString("base64"),
    quote: token("q") + token(""),
  };
  return {
    sellers,
    keys,
    /** The sandbox's credentials: the app's client for each seller. */
    credentials: sellers.map((seller) => ({ ...client, ...seller })),
    /** The proxy's environment in connector mode against the sandbox at `sandboxUrl`, plus `extra`. */
    env: (sandboxUrl: string, extra: ProxyEnv): ProxyEnv => ({
      MCF_ADMIN_KEY: keys.admin,
      MCF_APP_ID: `amzn1.sellerapps.app.${tag}-test-app`,
      MCF_CONNECT_REDIRECT_URI: "http://127.0.0.1/connect/amazon/callback",
      MCF_TOKEN_KEY: keys.token,
      MCF_UPSTREAM: "sandbox-local",
      MCF_UPSTREAM_URL: sandboxUrl,
      LWA_TOKEN_URL: `${sandboxUrl}/auth/o2/token`,
      LWA_CLIENT_ID: client.clientId,
      LWA_CLIENT_SECRET: client.clientSecret,
      MCF_QUOTE_SECRET: keys.quote,
      ...extra,
    }),
    /** Creates a tenant for `seller` through the operator API (201); its keys and a POST with its secret key. */
    async createTenant(proxy: RunningProxy, seller: (typeof sellers)[number], allowedOrigins: string[]) {
      const answer = await poster(keys.admin)(proxy, "/v1/admin/tenants", {
        name: `Shop of ${seller.sellerId}`,
        region: "na",
        marketplaceIds: ["ATVPDKIKX0DER"],
        allowedOrigins,
        sellingPartnerId: seller.sellerId,
        refreshToken: seller.refreshToken,
      });
      const text = await answer.text();
      assert.equal(answer.status, 201, text);
      const tenant = JSON.parse(text) as { id: string; status: string; publishableKey: string; secretKey: string };
      return { ...tenant, post: poster(tenant.secretKey) };
    },
  };
}

/** The Standard quote for CART to `to`. */
export async function standardQuote(
  post: Post,
  proxy: RunningProxy,
  to: ReturnType<typeof address>,
): Promise<string | undefined> {
  const answer = await post(proxy, "/v1/delivery-options", { items: CART, address: to });
  if (answer.status !== 200) throw new Error(`delivery options: ${answer.status} ${await answer.text()}`);
  const { options } = (await answer.json()) as { options: { speed: string; quote: string }[] };
  return options.find((option) => option.speed === "Standard")?.quote;
}
