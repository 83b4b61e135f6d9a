// The proxy environment every benchmark uses: the local sandbox as Amazon, throwaway keys.
export interface SandboxCredentials {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
}

export function proxyEnv(
  sandboxUrl: string,
  credentials: SandboxCredentials,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    MCF_REGION: "na",
    MCF_MARKETPLACE_ID: "ATVPDKIKX0DER",
    MCF_UPSTREAM: "sandbox-local",
    MCF_UPSTREAM_URL: sandboxUrl,
    LWA_TOKEN_URL: `${sandboxUrl}/auth/o2/token`,
    LWA_CLIENT_ID: credentials.clientId,
    LWA_CLIENT_SECRET: credentials.clientSecret,
    LWA_REFRESH_TOKEN: credentials.refreshToken,
    MCF_SECRET_KEY: "sk_bench_0123456789abcdef0123456789",
    MCF_QUOTE_SECRET: "bench-quote-secret-0123456789abcdef0123456789",
    MCF_ALLOWED_ORIGINS: "https://shop.example",
    ...extra,
  };
}

/** A cart of the demo catalog, in the proxy's request shape. */
export function deliveryOptionsBody(items: { sku: string; quantity: number }[], postalCode: string): string {
  return JSON.stringify({ items, address: { countryCode: "US", postalCode } });
}
