import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  connectorEnv,
  DEMO_PRICING,
  DEMO_SELLER_IDS,
  DEV_LWA,
  freeStandardOver,
  planDemo,
  proxyEnv,
  storefrontOrigins,
  storeSettings,
  storeTenant,
  UNCONNECTED_SELLER_ID,
} from "../../demo/env.ts";
import { parseConfig } from "../../proxy/config/index.ts";
import type { PricingRules } from "../../proxy/pricing/index.ts";
import { parseTokenKeys } from "../../proxy/tenants/crypto.ts";

const counter = () => {
  let n = 0;
  return (prefix: string, length: number) => `${prefix}${String(++n).padStart(length, "x")}`;
};
const URLS = {
  sandbox: "http://127.0.0.1:8788",
  storefrontOrigins: ["http://localhost:8787", "http://127.0.0.1:8787"],
};

describe("planDemo", () => {
  it("needs no environment: connector mode, default ports, loopback, generated keys, the sandbox's dev credentials", async () => {
    const plan = planDemo({}, counter());
    assert.equal(plan.mode, "connector");
    assert.equal(plan.port, 8787);
    assert.equal(plan.sandboxPort, 8788);
    assert.equal(plan.host, "127.0.0.1");
    assert.equal(plan.sandboxTimeScale, 60);
    assert.equal(plan.logLevel, "warn");
    assert.deepEqual(plan.sandboxCredentials, DEV_LWA);
    assert.equal(plan.keys.stores.us.secretKey, `sk_dev_us_${"1".padStart(32, "x")}`);
    for (const id of ["us", "jp", "eu"] as const) {
      assert.match(plan.keys.stores[id].publishableKey, new RegExp(`^pk_dev_${id}_`));
      assert.match(plan.keys.stores[id].secretKey, new RegExp(`^sk_dev_${id}_`));
    }
    assert.equal(new Set(Object.values(plan.keys.stores).flatMap((keys) => Object.values(keys))).size, 6, "unique");
    assert.match(plan.keys.quoteSecret, /^qs_dev_/);
    assert.match(plan.keys.adminKey ?? "", /^adm_dev_/);
    await parseTokenKeys(plan.keys.tokenKey);
    assert.deepEqual(plan.keys.generated, [
      "us.secretKey",
      "us.publishableKey",
      "jp.secretKey",
      "jp.publishableKey",
      "eu.secretKey",
      "eu.publishableKey",
      "quoteSecret",
      "adminKey",
      "tokenKey",
    ]);
  });

  it("gives each store its own sandbox seller and refresh token, plus one seller no store uses", () => {
    const { sellers } = planDemo({ SANDBOX_LWA_REFRESH_TOKEN: "Atzr|mine" }, counter());
    assert.deepEqual(
      Object.fromEntries(Object.entries(sellers.stores).map(([id, seller]) => [id, seller.sellerId])),
      DEMO_SELLER_IDS,
    );
    assert.equal(sellers.stores.us.refreshToken, "Atzr|mine");
    const tokens = [...Object.values(sellers.stores), sellers.unconnected!].map((seller) => seller.refreshToken);
    assert.equal(new Set(tokens).size, 4);
    assert.equal(sellers.unconnected?.sellerId, UNCONNECTED_SELLER_ID);
    for (const seller of Object.values(sellers.stores)) assert.equal(seller.clientId, DEV_LWA.clientId);
  });

  it("keeps keys, ports and sandbox credentials given by the environment", () => {
    const plan = planDemo(
      {
        PORT: "9000",
        SANDBOX_PORT: "0",
        HOST: "0.0.0.0",
        SANDBOX_TIME_SCALE: "1",
        DEMO_LOG_LEVEL: "info",
        US_MCF_SECRET_KEY: "sk_fixed_0123456789abcdef",
        JP_MCF_PUBLISHABLE_KEY: "pk_fixed_jp_0123456789abcdef",
        MCF_QUOTE_SECRET: "q".repeat(40),
        MCF_ADMIN_KEY: "adm_fixed_0123456789abcdef",
        SANDBOX_LWA_CLIENT_ID: "client",
        SANDBOX_LWA_CLIENT_SECRET: "secret",
        SANDBOX_LWA_REFRESH_TOKEN: "Atzr|refresh",
      },
      counter(),
    );
    assert.equal(plan.port, 9000);
    assert.equal(plan.sandboxPort, 0);
    assert.equal(plan.host, "0.0.0.0");
    assert.equal(plan.sandboxTimeScale, 1);
    assert.equal(plan.logLevel, "info");
    assert.equal(plan.keys.stores.us.secretKey, "sk_fixed_0123456789abcdef");
    assert.equal(plan.keys.stores.jp.publishableKey, "pk_fixed_jp_0123456789abcdef");
    assert.equal(plan.keys.quoteSecret, "q".repeat(40));
    assert.equal(plan.keys.adminKey, "adm_fixed_0123456789abcdef");
    assert.deepEqual(plan.keys.generated, [
      "us.publishableKey",
      "jp.secretKey",
      "eu.secretKey",
      "eu.publishableKey",
      "tokenKey",
    ]);
    assert.deepEqual(plan.sandboxCredentials, {
      clientId: "client",
      clientSecret: "secret",
      refreshToken: "Atzr|refresh",
    });
  });

  it("MWS: one private app per store, sharing MCF_SECRET_KEY and MCF_PUBLISHABLE_KEY and one seller", () => {
    const plan = planDemo({ MCF_AMAZON_API: "mws-2010-10-01", MCF_SECRET_KEY: "sk_fixed_0123456789abcdef" }, counter());
    assert.equal(plan.mode, "private");
    assert.equal(plan.keys.adminKey, undefined);
    assert.equal(plan.keys.tokenKey, undefined);
    for (const id of ["us", "jp", "eu"] as const) {
      assert.equal(plan.keys.stores[id].secretKey, "sk_fixed_0123456789abcdef");
      assert.equal(plan.keys.stores[id].publishableKey, plan.keys.stores.us.publishableKey);
      assert.equal(plan.sellers.stores[id], plan.sellers.stores.us);
    }
    assert.deepEqual(plan.keys.generated, ["publishableKey", "quoteSecret"]);
  });

  it("refuses one merchant's key for the connector's three tenants, naming the store-scoped ones", () => {
    for (const name of ["MCF_SECRET_KEY", "MCF_PUBLISHABLE_KEY"]) {
      assert.throws(
        () => planDemo({ [name]: "sk_fixed_0123456789abcdef" }, counter()),
        new RegExp(`^Error: ${name} is one merchant's key.*US_${name}, JP_${name}, EU_${name}.*mws-2010-10-01`),
      );
    }
  });

  it("names the bad variable", () => {
    assert.throws(() => planDemo({ PORT: "http" }, counter()), /PORT must be a port number/);
    assert.throws(() => planDemo({ SANDBOX_PORT: "70000" }, counter()), /SANDBOX_PORT must be a port number/);
    assert.throws(() => planDemo({ SANDBOX_TIME_SCALE: "0" }, counter()), /SANDBOX_TIME_SCALE/);
    assert.throws(() => planDemo({ SANDBOX_TIME_SCALE: "fast" }, counter()), /SANDBOX_TIME_SCALE/);
    assert.throws(() => planDemo({ DEMO_LOG_LEVEL: "loud" }, counter()), /DEMO_LOG_LEVEL must be one of/);
  });
});

describe("proxyEnv", () => {
  const plan = planDemo({}, counter());

  it("gives each store a proxy the proxy's own parser accepts, in that store's marketplace and region", () => {
    const expected = { us: ["na", "ATVPDKIKX0DER"], jp: ["fe", "A1VC38T7YXB528"], eu: ["eu", "A1PA6795UKMFR9"] };
    for (const [store, [region, marketplace]] of Object.entries(expected)) {
      const env = proxyEnv(store as "us", {}, plan, URLS);
      const config = parseConfig(env);
      assert.equal(config.region, region);
      assert.deepEqual(config.marketplaceIds, [marketplace]);
      assert.equal(config.upstream.kind, "sandbox-local");
      assert.equal(config.upstream.baseUrl, "http://127.0.0.1:8788");
      assert.equal(config.upstream.tokenUrl, "http://127.0.0.1:8788/auth/o2/token");
      assert.deepEqual(config.lwa, DEV_LWA);
      assert.equal(config.secretKey, plan.keys.stores[store as "us"].secretKey);
      assert.equal(config.publishableKey, plan.keys.stores[store as "us"].publishableKey);
      assert.deepEqual(config.allowedOrigins, URLS.storefrontOrigins);
      assert.deepEqual(config.pricing, DEMO_PRICING[store as "us"]);
    }
  });

  it("LWA_* default to the sandbox's credentials, so SANDBOX_LWA_* alone changes both sides", () => {
    const custom = planDemo({ SANDBOX_LWA_CLIENT_ID: "my-client" }, counter());
    assert.equal(proxyEnv("us", {}, custom, URLS).LWA_CLIENT_ID, "my-client");
  });

  it("honours every MCF_* and LWA_* variable from the environment, for every store", () => {
    const env = {
      MCF_ALLOWED_ORIGINS: "https://shop.example",
      MCF_PRICING: '{"default":{"type":"free"}}',
      MCF_BROWSER_ORDERS: "ship",
      LWA_CLIENT_ID: "outside-client",
      MCF_UPSTREAM_URL: "http://127.0.0.1:9999",
      MCF_CACHE_TTL_SECONDS: "5",
      UNRELATED: "x",
    };
    for (const store of ["us", "jp", "eu"] as const) {
      const result = proxyEnv(store, env, plan, URLS);
      assert.equal(result.MCF_ALLOWED_ORIGINS, [...URLS.storefrontOrigins, "https://shop.example"].join(","));
      assert.equal(result.MCF_PRICING, '{"default":{"type":"free"}}');
      assert.equal(result.MCF_BROWSER_ORDERS, "ship");
      assert.equal(result.LWA_CLIENT_ID, "outside-client");
      assert.equal(result.MCF_UPSTREAM_URL, "http://127.0.0.1:9999");
      assert.equal(result.MCF_CACHE_TTL_SECONDS, "5");
      assert.equal(result.UNRELATED, undefined);
    }
  });

  it("keeps each store's marketplace unless a store-scoped variable changes it; scoped variables win", () => {
    const env = {
      MCF_MARKETPLACE_ID: "A1F83G8C2ARO7P",
      MCF_REGION: "eu",
      MCF_PRICING: '{"default":{"type":"free"}}',
      JP_MCF_PRICING: '{"default":{"type":"passThrough"}}',
      EU_MCF_MARKETPLACE_ID: "A13V1IB3VIYZZH",
    };
    assert.equal(proxyEnv("us", env, plan, URLS).MCF_MARKETPLACE_ID, "ATVPDKIKX0DER");
    assert.equal(proxyEnv("us", env, plan, URLS).MCF_REGION, "na");
    assert.equal(proxyEnv("eu", env, plan, URLS).MCF_MARKETPLACE_ID, "A13V1IB3VIYZZH");
    assert.equal(proxyEnv("jp", env, plan, URLS).MCF_PRICING, '{"default":{"type":"passThrough"}}');
    assert.equal(proxyEnv("us", env, plan, URLS).MCF_PRICING, '{"default":{"type":"free"}}');
  });

  it("adds configured origins (global or store-scoped) to the storefront's own, without duplicates", () => {
    const own = URLS.storefrontOrigins;
    const env = { MCF_ALLOWED_ORIGINS: ` https://a.example,${own[0]},,`, JP_MCF_ALLOWED_ORIGINS: "https://b.example" };
    assert.equal(proxyEnv("us", env, plan, URLS).MCF_ALLOWED_ORIGINS, [...own, "https://a.example"].join(","));
    assert.equal(proxyEnv("jp", env, plan, URLS).MCF_ALLOWED_ORIGINS, [...own, "https://b.example"].join(","));
    assert.deepEqual(parseConfig(proxyEnv("us", env, plan, URLS)).allowedOrigins, [...own, "https://a.example"]);
  });

  it("ignores empty values, as if unset", () => {
    assert.equal(proxyEnv("us", { MCF_SECRET_KEY: "  " }, plan, URLS).MCF_SECRET_KEY, plan.keys.stores.us.secretKey);
  });
});

describe("connector mode: the tenants and the one proxy", () => {
  const plan = planDemo({}, counter());
  const CONNECTOR_URLS = { ...URLS, storefront: "http://127.0.0.1:8787", database: "sqlite:/tmp/demo/tenants.db" };

  it("seeds each store as a tenant: its seller, keys, marketplace, region, origins, pricing", () => {
    const env = { JP_MCF_BROWSER_ORDERS: "ship", MCF_ALLOWED_ORIGINS: "https://shop.example" };
    for (const [store, region] of [
      ["us", "na"],
      ["jp", "fe"],
      ["eu", "eu"],
    ] as const) {
      const tenant = storeTenant(store, storeSettings(store, env, plan, URLS), plan);
      assert.equal(tenant.id, `tn_demo_${store}`);
      assert.equal(tenant.region, region);
      assert.deepEqual(tenant.marketplaceIds, [parseConfig(proxyEnv(store, {}, plan, URLS)).marketplaceIds[0]]);
      assert.equal(tenant.sellingPartnerId, DEMO_SELLER_IDS[store]);
      assert.equal(tenant.refreshToken, plan.sellers.stores[store].refreshToken);
      assert.equal(tenant.publishableKey, plan.keys.stores[store].publishableKey);
      assert.equal(tenant.secretKey, plan.keys.stores[store].secretKey);
      assert.deepEqual(tenant.pricing, DEMO_PRICING[store]);
      assert.deepEqual(tenant.allowedOrigins, [...URLS.storefrontOrigins, "https://shop.example"]);
      assert.equal(tenant.browserOrders, store === "jp" ? "ship" : "hold");
    }
  });

  it("names a bad store setting by its variable, and ignores the connector's own variables", () => {
    assert.throws(() => storeSettings("eu", { EU_MCF_PRICING: "{" }, plan, URLS), /MCF_PRICING/);
    const settings = storeSettings("us", { MCF_ADMIN_KEY: "x", MCF_APP_ID: "bad" }, plan, URLS);
    assert.equal(settings.connector, undefined);
  });

  it("runs one connector: the sandbox as Amazon and Seller Central, the callback on the storefront", () => {
    const config = parseConfig(connectorEnv({ MCF_CACHE_TTL_SECONDS: "5", MCF_PRICING: "{" }, plan, CONNECTOR_URLS));
    assert.equal(config.connector?.adminKey, plan.keys.adminKey);
    assert.equal(config.connector?.applicationId, "amzn1.sellerapps.app.sandbox-dev-app");
    assert.equal(config.connector?.redirectUri, "http://127.0.0.1:8787/connect/amazon/callback");
    assert.equal(config.connector?.sellerCentralUrl, URLS.sandbox);
    assert.equal(config.upstream.baseUrl, URLS.sandbox);
    assert.deepEqual(config.lwa, { clientId: DEV_LWA.clientId, clientSecret: DEV_LWA.clientSecret, refreshToken: "" });
    assert.equal(config.resilience.cacheTtlMs, 5000, "deployment settings pass through");
    const env = connectorEnv({ MCF_DATABASE_URL: "sqlite:/elsewhere.db" }, plan, CONNECTOR_URLS);
    assert.equal(env.MCF_DATABASE_URL, "sqlite:/elsewhere.db");
    assert.equal(env.MCF_TOKEN_KEY, plan.keys.tokenKey);
  });
});

describe("storefrontOrigins", () => {
  it("allows both loopback spellings for a loopback or wildcard host", () => {
    assert.deepEqual(storefrontOrigins("127.0.0.1", 8787), ["http://localhost:8787", "http://127.0.0.1:8787"]);
    assert.deepEqual(storefrontOrigins("0.0.0.0", 1), ["http://localhost:1", "http://127.0.0.1:1"]);
    assert.deepEqual(storefrontOrigins("shop.local", 80), ["http://shop.local:80"]);
  });
});

describe("freeStandardOver", () => {
  it("reads the threshold of a freeOver rule for Standard, from its own rule or the default", () => {
    assert.equal(freeStandardOver(DEMO_PRICING.us as PricingRules), "50.00");
    assert.equal(freeStandardOver({ default: { type: "freeOver", threshold: "20" } }), "20");
    assert.equal(freeStandardOver({ speeds: { Expedited: { type: "freeOver", threshold: "20" } } }), undefined);
    assert.equal(freeStandardOver({}), undefined);
  });
});
