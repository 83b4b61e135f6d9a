// Shared test configuration for the proxy suites: obviously fake but well-formed secrets, so scans can find them.
import type { Config } from "../../proxy/config/index.ts";
import { parseConfig } from "../../proxy/config/index.ts";

export const SECRETS = {
  clientSecret: "lwa-client-secret-0123456789abcdef",
  refreshToken: "Atzr|refresh-token-0123456789abcdef",
  secretKey: "sk_test_secretkey_0123456789abcdef",
  publishableKey: "pk_test_publishable_0123456789abcd",
  quoteSecret: "quote-secret-0123456789abcdef0123456789",
};

export const US = "ATVPDKIKX0DER";
export const JP = "A1VC38T7YXB528";

/** A complete US shipping address, as an order needs it. */
export const US_ADDRESS = {
  name: "Jo Doe",
  line1: "1 Pike St",
  city: "Seattle",
  stateOrRegion: "WA",
  postalCode: "98101",
  countryCode: "US",
};

export function testEnv(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    MCF_MARKETPLACE_ID: US,
    MCF_UPSTREAM: "sandbox-local",
    MCF_UPSTREAM_URL: "http://127.0.0.1:3",
    LWA_CLIENT_ID: "amzn1.application-oa2-client.test",
    LWA_CLIENT_SECRET: SECRETS.clientSecret,
    LWA_REFRESH_TOKEN: SECRETS.refreshToken,
    MCF_SECRET_KEY: SECRETS.secretKey,
    MCF_PUBLISHABLE_KEY: SECRETS.publishableKey,
    MCF_QUOTE_SECRET: `k1:${SECRETS.quoteSecret}`,
    MCF_ALLOWED_ORIGINS: "https://shop.example",
    ...overrides,
  };
}

export function testConfig(overrides: Record<string, string | undefined> = {}): Config {
  return parseConfig(testEnv(overrides));
}

/** A clock tests move by hand. */
export function manualClock(start = Date.parse("2026-03-02T10:00:00Z")) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
    set(ms: number) {
      now = ms;
    },
  };
}

/** A one-speed Amazon preview (Standard, 4.00 USD fee) for in-process app tests with a scripted upstream. */
export const ONE_SPEED_PREVIEW = {
  fulfillmentPreviews: [
    {
      shippingSpeedCategory: "Standard" as const,
      isFulfillable: true,
      isCODCapable: false,
      marketplaceId: "ATVPDKIKX0DER",
      estimatedFees: [{ name: "FBAPerUnitFulfillmentFee" as const, amount: { currencyCode: "USD", value: "4.00" } }],
      fulfillmentPreviewShipments: [],
    },
  ],
};
