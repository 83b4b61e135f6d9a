// A tenant's settings laid over the deployment's configuration, and the quote keys that bind what the proxy signs
// (quotes, order tokens, cart values) to one tenant.
import type { Config, QuoteKey } from "../config/index.ts";
import { amazonHost } from "../marketplaces/index.ts";
import type { FallbackRate } from "../previews/fallback.ts";
import { base64Url } from "../shared/digest.ts";
import type { Tenant } from "../tenants/model.ts";

/**
 * The configuration one tenant is served with: its marketplaces, region (and so Amazon's host), origins, pricing,
 * browser-orders policy, fallback rates, quote keys and refresh token. Pure. The deployment's API keys are not the
 * tenant's: a tenant is named by its own keys, which the directory resolves.
 */
export function tenantSettings(base: Config, tenant: Tenant, refreshToken: string, quoteKeys: QuoteKey[]): Config {
  const { kind, baseUrl } = base.upstream;
  // Against Amazon, each region has its own host; a fixed URL (the local sandbox, MCF_UPSTREAM_URL) stays as it is.
  const regionalUrl =
    kind !== "sandbox-local" && baseUrl === amazonHost(base.region, kind === "amazon-sandbox")
      ? amazonHost(tenant.region, kind === "amazon-sandbox")
      : baseUrl;
  const { publishableKey: _deploymentKey, ...rest } = base;
  return {
    ...rest,
    region: tenant.region,
    marketplaceIds: [...tenant.marketplaceIds],
    upstream: { ...base.upstream, baseUrl: regionalUrl },
    lwa: { ...base.lwa, refreshToken },
    secretKey: "",
    ...(tenant.publishableKey ? { publishableKey: tenant.publishableKey } : {}),
    quoteKeys,
    allowedOrigins: [...tenant.allowedOrigins],
    pricing: tenant.pricing,
    browserOrders: tenant.browserOrders,
    resilience: { ...base.resilience, fallbackRates: tenant.fallbackRates as FallbackRate[] },
  };
}

const encoder = new TextEncoder();

/**
 * The deployment's quote keys, each derived for one tenant (HMAC-SHA-256 of the tenant id under the key). A quote,
 * order token or cart value signed for one tenant therefore fails verification at every other tenant, and rotation
 * works as before: same key ids, the first signs, all verify.
 */
export async function tenantQuoteKeys(keys: readonly QuoteKey[], tenantId: string): Promise<QuoteKey[]> {
  return Promise.all(
    keys.map(async ({ kid, secret }) => {
      const key = await crypto.subtle.importKey(
        "raw",
        encoder.encode(secret),
        { name: "HMAC", hash: "SHA-256" },
        false,
        ["sign"],
      );
      const derived = await crypto.subtle.sign("HMAC", key, encoder.encode(`mcf-tenant-quotes:${tenantId}`));
      return { kid, secret: base64Url(new Uint8Array(derived)) };
    }),
  );
}
