// Shared test configuration for the proxy suites: obviously fake but well-formed secrets, so scans can find them.
import assert from "node:assert/strict";
import type { Config } from "../../proxy/config/index.ts";
import { ConfigError, parseConfig } from "../../proxy/config/index.ts";
import { RATE_PLANS_2020_07_01 } from "../../proxy/dialects/sp-api-2020-07-01/index.ts";
import type { FulfillmentDialect, PreviewResult } from "../../proxy/fulfillment/model.ts";

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

/** A one-speed preview in the fulfillment model (Standard, 4.00 USD fee) for in-process app tests with a fake dialect. */
export const ONE_SPEED_PREVIEW: PreviewResult = {
  previews: [
    {
      speed: "Standard",
      fulfillable: true,
      cashOnDelivery: false,
      fees: [{ name: "FBAPerUnitFulfillmentFee", amount: { amount: "4.00", currency: "USD" } }],
      shipments: [],
      reasons: [],
      unfulfillable: [],
    },
  ],
};

/**
 * A fake Amazon dialect speaking the fulfillment model: every operation not given fails the test loudly, so a test
 * states exactly which calls it expects.
 */
export function fakeDialect(
  operations: Partial<Omit<FulfillmentDialect, "name" | "ratePlans">> = {},
): FulfillmentDialect {
  const missing = (name: string) => async () => {
    throw new Error(`the fake dialect was not asked to ${name}`);
  };
  return {
    name: "fake",
    ratePlans: RATE_PLANS_2020_07_01,
    preview: missing("preview"),
    createOrder: missing("createOrder"),
    releaseHold: missing("releaseHold"),
    getOrder: missing("getOrder"),
    cancelOrder: missing("cancelOrder"),
    getTracking: missing("getTracking"),
    checkHealth: async () => ({ status: "ok" }),
    ...operations,
  };
}

/** parseConfig's message for an environment it refuses (failing the test when it accepts it). */
export function configProblems(env: Record<string, string | undefined>): string {
  try {
    parseConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.message;
  }
  assert.fail("expected a ConfigError");
}
