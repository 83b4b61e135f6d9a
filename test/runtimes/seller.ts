// One test seller for the tests that start a proxy process against a sandbox and place an order through it: its
// LWA credentials and proxy keys (random per run), the cart and address, the proxy's environment and its API.
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
    post: (proxy: RunningProxy, path: string, body: unknown, idempotencyKey?: string) =>
      fetch(`${proxy.url}${path}`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${keys.secret}`,
          "content-type": "application/json",
          ...(idempotencyKey ? { "idempotency-key": idempotencyKey } : {}),
        },
        body: JSON.stringify(body),
      }),
  };
}

/** The Standard quote for CART to `to`. */
export async function standardQuote(
  post: ReturnType<typeof testSeller>["post"],
  proxy: RunningProxy,
  to: ReturnType<typeof address>,
): Promise<string | undefined> {
  const answer = await post(proxy, "/v1/delivery-options", { items: CART, address: to });
  if (answer.status !== 200) throw new Error(`delivery options: ${answer.status} ${await answer.text()}`);
  const { options } = (await answer.json()) as { options: { speed: string; quote: string }[] };
  return options.find((option) => option.speed === "Standard")?.quote;
}
