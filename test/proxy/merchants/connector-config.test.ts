// Connector mode's configuration and the pure pieces of per-tenant serving: the settings a tenant is served with,
// the quote keys derived for it, and the dialect of a tenant that cannot reach Amazon.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseConfig } from "../../../proxy/config/index.ts";
import { UpstreamError } from "../../../proxy/fulfillment/model.ts";
import {
  assertConnected,
  createMerchants,
  disconnectedDialect,
  type Merchant,
} from "../../../proxy/merchants/index.ts";
import { tenantQuoteKeys, tenantSettings } from "../../../proxy/merchants/settings.ts";
import { Problem } from "../../../proxy/problems/index.ts";
import { issueOrderToken, issueQuote, verifyOrderToken, verifyQuote } from "../../../proxy/quotes/index.ts";
import { systemClock } from "../../../proxy/shared/clock.ts";
import { createMemoryStores } from "../../../proxy/stores/memory.ts";
import type { Tenant } from "../../../proxy/tenants/model.ts";
import { configProblems, SECRETS, testEnv } from "../fixtures.ts";

const CONNECTOR = {
  MCF_ADMIN_KEY: "operator-key-0123456789",
  MCF_APP_ID: "amzn1.sellerapps.app.0123-abcd",
  MCF_CONNECT_REDIRECT_URI: "https://proxy.example/connect/amazon/callback",
  MCF_TOKEN_KEY: "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
};

/** A connector's environment: the app's LWA client and the quote secret, no merchant of its own. */
const connectorEnv = (overrides: Record<string, string | undefined> = {}) =>
  testEnv({
    ...CONNECTOR,
    MCF_MARKETPLACE_ID: undefined,
    MCF_SECRET_KEY: undefined,
    MCF_PUBLISHABLE_KEY: undefined,
    LWA_REFRESH_TOKEN: undefined,
    MCF_ALLOWED_ORIGINS: undefined,
    ...overrides,
  });

const tenant = (overrides: Partial<Tenant> = {}): Tenant => ({
  id: "tn_a",
  name: "Shop A",
  region: "eu",
  marketplaceIds: ["A1PA6795UKMFR9"],
  sellingPartnerId: "A2SELLERA",
  publishableKey: "pk_a",
  allowedOrigins: ["https://a.example"],
  pricing: { default: { type: "free" } },
  browserOrders: "ship",
  fallbackRates: [{ speed: "Standard", amount: "4.90", currency: "EUR", shipDays: 1, arrivalDays: 3 }],
  status: "active",
  connected: true,
  authorisedAt: "2026-12-01T00:00:00.000Z",
  authorisationExpiresAt: "2027-12-01T00:00:00.000Z",
  createdAt: "2026-12-01T00:00:00.000Z",
  updatedAt: "2026-12-01T00:00:00.000Z",
  ...overrides,
});

describe("connector mode's configuration", () => {
  test("MCF_ADMIN_KEY turns it on; the merchant's own variables are then not needed", () => {
    const config = parseConfig(connectorEnv());
    assert.deepEqual(config.connector, {
      adminKey: CONNECTOR.MCF_ADMIN_KEY,
      applicationId: CONNECTOR.MCF_APP_ID,
      draft: false,
      redirectUri: CONNECTOR.MCF_CONNECT_REDIRECT_URI,
    });
    assert.deepEqual(config.marketplaceIds, []);
    assert.equal(config.lwa.refreshToken, "");
    assert.equal(parseConfig(connectorEnv({ MCF_APP_DRAFT: "true" })).connector?.draft, true);
    assert.equal(parseConfig(testEnv()).connector, undefined, "a private app is not a connector");
  });

  test("every bad connector variable is named at once", () => {
    const message = configProblems(
      connectorEnv({
        MCF_ADMIN_KEY: "short",
        MCF_APP_ID: "my-app",
        MCF_CONNECT_REDIRECT_URI: "https://proxy.example/callback",
        MCF_TOKEN_KEY: undefined,
        MCF_APP_DRAFT: "yes",
        MCF_SELLER_CENTRAL_URL: "ftp://x",
        LWA_CLIENT_ID: undefined,
      }),
    );
    for (const name of [
      "MCF_ADMIN_KEY",
      "MCF_APP_ID",
      "MCF_CONNECT_REDIRECT_URI",
      "MCF_TOKEN_KEY",
      "MCF_APP_DRAFT",
      "MCF_SELLER_CENTRAL_URL",
      "LWA_CLIENT_ID",
    ]) {
      assert.match(message, new RegExp(`${name}:`), name);
    }
    assert.match(
      configProblems(connectorEnv({ MCF_CONNECT_REDIRECT_URI: undefined })),
      /MCF_CONNECT_REDIRECT_URI: is required/,
    );
    assert.match(
      configProblems(
        connectorEnv({
          MCF_AMAZON_API: "mws-2010-10-01",
          MWS_SELLER_ID: "A1",
          MWS_ACCESS_KEY_ID: "k",
          MWS_SECRET_KEY: "s",
        }),
      ),
      /MCF_AMAZON_API: connector mode needs an SP-API dialect/,
    );
  });
});

describe("a tenant's settings", () => {
  test("the tenant's marketplaces, region, origins, pricing, policy, fallback rates and token replace the deployment's", () => {
    const base = parseConfig(connectorEnv());
    const keys = [{ kid: "k1", secret: "derived" }];
    const settings = tenantSettings(base, tenant(), "Atzr|tenant-a", keys);
    assert.equal(settings.region, "eu");
    assert.deepEqual(settings.marketplaceIds, ["A1PA6795UKMFR9"]);
    assert.deepEqual(settings.allowedOrigins, ["https://a.example"]);
    assert.deepEqual(settings.pricing, { default: { type: "free" } });
    assert.equal(settings.browserOrders, "ship");
    assert.equal(settings.resilience.fallbackRates?.length, 1);
    assert.equal(settings.lwa.refreshToken, "Atzr|tenant-a");
    assert.equal(settings.lwa.clientId, base.lwa.clientId, "the app's LWA client is the deployment's");
    assert.equal(settings.quoteKeys, keys);
    assert.equal(settings.secretKey, "", "a tenant's secret key lives only hashed in the store");
    assert.equal(settings.upstream.baseUrl, base.upstream.baseUrl, "a fixed URL (the sandbox) stays");
  });

  test("against Amazon, each tenant calls its own region's host", () => {
    const base = parseConfig(connectorEnv({ MCF_UPSTREAM: "amazon", MCF_UPSTREAM_URL: undefined }));
    assert.equal(base.upstream.baseUrl, "https://sellingpartnerapi-na.amazon.com");
    const eu = tenantSettings(base, tenant(), "Atzr|x", []);
    assert.equal(eu.upstream.baseUrl, "https://sellingpartnerapi-eu.amazon.com");
    const fe = tenantSettings(base, tenant({ region: "fe", marketplaceIds: ["A1VC38T7YXB528"] }), "Atzr|x", []);
    assert.equal(fe.upstream.baseUrl, "https://sellingpartnerapi-fe.amazon.com");
    const sandbox = parseConfig(connectorEnv({ MCF_UPSTREAM: "amazon-sandbox", MCF_UPSTREAM_URL: undefined }));
    assert.equal(
      tenantSettings(sandbox, tenant(), "Atzr|x", []).upstream.baseUrl,
      "https://sandbox.sellingpartnerapi-eu.amazon.com",
    );
  });
});

describe("quote keys derived per tenant", () => {
  const deployment = [
    { kid: "k2", secret: SECRETS.quoteSecret },
    { kid: "k1", secret: `${SECRETS.quoteSecret}-old` },
  ];
  const claims = {
    opt: "Standard",
    mkt: "ATVPDKIKX0DER",
    spd: "Standard",
    itm: "a".repeat(43),
    dst: `${"b".repeat(16)}.${"c".repeat(16)}.`,
    amt: "5.99",
    cur: "USD",
  } as const;

  test("are stable, keep the key ids, and differ per tenant and from the deployment's", async () => {
    const a = await tenantQuoteKeys(deployment, "tn_a");
    assert.deepEqual(await tenantQuoteKeys(deployment, "tn_a"), a);
    assert.deepEqual(
      a.map((key) => key.kid),
      ["k2", "k1"],
    );
    const b = await tenantQuoteKeys(deployment, "tn_b");
    for (const [index, key] of a.entries()) {
      assert.notEqual(key.secret, b[index]?.secret);
      assert.notEqual(key.secret, deployment[index]?.secret);
    }
  });

  test("a quote or order token signed for one tenant is refused by another", async () => {
    const now = Date.parse("2026-12-01T12:00:00Z");
    const a = await tenantQuoteKeys(deployment, "tn_a");
    const b = await tenantQuoteKeys(deployment, "tn_b");
    const quote = await issueQuote(a, claims, now, 900);
    assert.equal((await verifyQuote(a, quote.token, now)).opt, "Standard");
    await assert.rejects(verifyQuote(b, quote.token, now), /signature/i);
    await assert.rejects(verifyQuote(deployment, quote.token, now), /signature/i);
    const { token } = await issueOrderToken(a, "order-1", now, 3600);
    assert.equal(await verifyOrderToken(a, token, "order-1", now), true);
    assert.equal(await verifyOrderToken(b, token, "order-1", now), false);
  });
});

describe("a tenant that cannot reach Amazon", () => {
  test("its dialect fails every call at once as unavailable (previews degrade to estimates on that)", async () => {
    const dialect = disconnectedDialect(tenant({ status: "needs-reauthorisation" }));
    const error = await dialect.preview({} as never).catch((caught: unknown) => caught);
    assert.ok(error instanceof UpstreamError);
    assert.equal(error.status, 503);
    assert.equal(error.retryable, false);
    assert.match(error.message, /Shop A is not connected to Amazon \(needs-reauthorisation\)/);
    await assert.rejects(dialect.createOrder({} as never), UpstreamError);
    assert.equal((await dialect.checkHealth()).status, "down");
  });

  test("its orders are a 503 merchant-not-connected problem naming why", () => {
    const refused = (status: Tenant["status"]) => {
      try {
        assertConnected({ tenant: tenant({ status }), connected: true } as Merchant);
      } catch (error) {
        assert.ok(error instanceof Problem);
        return error;
      }
      return undefined;
    };
    assert.equal(refused("active"), undefined);
    const reauthorise = refused("needs-reauthorisation");
    assert.equal(reauthorise?.body.status, 503);
    assert.match(reauthorise?.body.type ?? "", /merchant-not-connected$/);
    assert.match(reauthorise?.body.detail ?? "", /reconnect the Amazon account/);
    assert.equal(reauthorise?.headers["retry-after"], "3600");
    assert.match(refused("pending")?.body.detail ?? "", /has not connected an Amazon account yet/);
    // Active, but its token cannot be used (it could not be unsealed): refused the same clear way.
    assert.throws(() => assertConnected({ tenant: tenant(), connected: false } as Merchant), /reconnect/);
  });

  test("a token that cannot be unsealed gives a disconnected merchant; a directory failure is a 503", async () => {
    const base = parseConfig(connectorEnv());
    const logged: string[] = [];
    const logger = { log: (_level: string, message: string) => void logged.push(message) };
    const active = tenant();
    const directory = {
      resolveKey: async (kind: string) => (kind === "publishable" ? active : undefined),
      refreshToken: async () => {
        throw new Error("sealed under an unknown key");
      },
      markNeedsReauthorisation: async () => undefined,
    };
    const shared = { config: base, stores: createMemoryStores(), clock: systemClock, logger, onSecret: () => {} };
    const merchants = createMerchants({ ...shared, tenants: directory });
    const { merchant, caller } = await merchants.identify("Bearer pk_a", false);
    assert.equal(caller, "browser");
    assert.equal(merchant.connected, false);
    assert.equal(merchant.dialect.name, "disconnected");
    assert.ok(logged.some((line) => /MCF_TOKEN_KEY/.test(line)));
    const broken = createMerchants({
      ...shared,
      tenants: { ...directory, resolveKey: () => Promise.reject(new Error("database down")) },
    });
    const error = await broken.identify("Bearer pk_a", false).catch((caught: unknown) => caught);
    assert.ok(error instanceof Problem);
    assert.equal(error.body.status, 503);
    assert.equal(error.headers["retry-after"], "5");
    // A key of no shape this proxy issues is refused before any lookup.
    const refusal = await broken.identify(`Bearer ${"x".repeat(300)}`, false).catch((caught: unknown) => caught);
    assert.equal((refusal as Problem).body.status, 401);
  });
});
