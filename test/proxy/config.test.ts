import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseConfig, parseFallbackRates, parseQuoteKeys } from "../../proxy/config/index.ts";
import { configProblems, JP, SECRETS, testEnv, US } from "./fixtures.ts";

describe("parseConfig", () => {
  test("a complete environment gives a typed config with defaults", () => {
    const config = parseConfig(testEnv({ MCF_UPSTREAM_URL: undefined }));
    assert.equal(config.region, "na");
    assert.deepEqual(config.marketplaceIds, [US]);
    assert.deepEqual(config.upstream, {
      kind: "sandbox-local",
      baseUrl: "http://127.0.0.1:8788",
      tokenUrl: "http://127.0.0.1:8788/auth/o2/token",
      timeoutMs: 10_000,
    });
    assert.equal(config.browserOrders, "hold");
    assert.equal(config.quoteTtlSeconds, 900);
    assert.deepEqual(config.quoteKeys, [{ kid: "k1", secret: SECRETS.quoteSecret }]);
    assert.deepEqual(config.allowedOrigins, ["https://shop.example"]);
    assert.equal(config.resilience.cacheTtlMs, 60_000);
    assert.equal(config.resilience.upstreamTimeoutMs, undefined, "per-operation policies decide unless overridden");
    assert.equal(config.port, 8787);
  });
  test("every missing variable is named at once", () => {
    const message = configProblems({});
    for (const name of [
      "MCF_MARKETPLACE_ID",
      "LWA_CLIENT_ID",
      "LWA_CLIENT_SECRET",
      "LWA_REFRESH_TOKEN",
      "MCF_SECRET_KEY",
      "MCF_QUOTE_SECRET",
    ]) {
      assert.match(message, new RegExp(`${name}: is required`));
    }
  });
  test("bad values are named with what is expected", () => {
    const message = configProblems(
      testEnv({
        MCF_REGION: "asia",
        MCF_UPSTREAM: "prod",
        MCF_UPSTREAM_URL: "ftp://x",
        MCF_BROWSER_ORDERS: "maybe",
        MCF_QUOTE_SECRET: "short",
        MCF_ALLOWED_ORIGINS: "https://shop.example/path",
        MCF_PRICING: "{",
        PORT: "http",
        MCF_UPSTREAM_TIMEOUT_MS: "5",
        MCF_FALLBACK_RATES: "[{}]",
        MCF_SECRET_KEY: "short",
      }),
    );
    for (const name of [
      "MCF_REGION",
      "MCF_UPSTREAM",
      "MCF_UPSTREAM_URL",
      "MCF_BROWSER_ORDERS",
      "MCF_QUOTE_SECRET",
      "MCF_ALLOWED_ORIGINS",
      "MCF_PRICING",
      "PORT",
      "MCF_UPSTREAM_TIMEOUT_MS",
      "MCF_FALLBACK_RATES",
      "MCF_SECRET_KEY",
    ]) {
      assert.match(message, new RegExp(`  ${name}: `), name);
    }
  });
  test("the message never echoes a secret", () => {
    const message = configProblems(
      testEnv({ MCF_QUOTE_SECRET: "tooshort-secret", MCF_PUBLISHABLE_KEY: SECRETS.secretKey }),
    );
    assert.doesNotMatch(message, /tooshort-secret/);
    assert.ok(!message.includes(SECRETS.secretKey));
    assert.match(message, /MCF_PUBLISHABLE_KEY: must differ/);
  });
  test("region is inferred from the marketplace and must agree with it", () => {
    const jp = parseConfig(testEnv({ MCF_MARKETPLACE_ID: JP, MCF_UPSTREAM: "amazon", MCF_UPSTREAM_URL: undefined }));
    assert.equal(jp.region, "fe");
    assert.equal(jp.upstream.baseUrl, "https://sellingpartnerapi-fe.amazon.com");
    assert.equal(jp.upstream.tokenUrl, "https://api.amazon.com/auth/o2/token");
    assert.match(
      configProblems(testEnv({ MCF_MARKETPLACE_ID: JP, MCF_REGION: "eu" })),
      /MCF_MARKETPLACE_ID: A1VC38T7YXB528 \(JP\) is not in region eu/,
    );
  });
  test("Amazon's sandbox hosts, explicit overrides", () => {
    const sandbox = parseConfig(
      testEnv({ MCF_UPSTREAM: "amazon-sandbox", MCF_UPSTREAM_URL: undefined, MCF_REGION: "na" }),
    );
    assert.equal(sandbox.upstream.baseUrl, "https://sandbox.sellingpartnerapi-na.amazon.com");
    const overridden = parseConfig(
      testEnv({
        MCF_UPSTREAM: "amazon",
        MCF_UPSTREAM_URL: "http://127.0.0.1:4000/",
        LWA_TOKEN_URL: "http://127.0.0.1:4001/token",
      }),
    );
    assert.equal(overridden.upstream.baseUrl, "http://127.0.0.1:4000");
    assert.equal(overridden.upstream.tokenUrl, "http://127.0.0.1:4001/token");
  });
  test("several marketplaces, first is default; publishable key optional", () => {
    const config = parseConfig(
      testEnv({ MCF_MARKETPLACE_ID: `${US}, A2EUQ1WTGCTBG2`, MCF_PUBLISHABLE_KEY: undefined }),
    );
    assert.deepEqual(config.marketplaceIds, [US, "A2EUQ1WTGCTBG2"]);
    assert.equal(config.publishableKey, undefined);
  });
  test("resilience options", () => {
    const config = parseConfig(
      testEnv({
        MCF_CACHE_TTL_SECONDS: "30",
        MCF_STALE_TTL_SECONDS: "0",
        MCF_UPSTREAM_TIMEOUT_MS: "2500",
        MCF_FALLBACK_RATES: JSON.stringify([
          { speed: "Standard", amount: "5.99", currency: "USD", shipDays: 1, arrivalDays: 5 },
        ]),
      }),
    );
    assert.equal(config.resilience.cacheTtlMs, 30_000);
    assert.equal(config.resilience.staleTtlMs, 0);
    assert.equal(config.resilience.upstreamTimeoutMs, 2500);
    assert.equal(config.resilience.fallbackRates?.[0]?.amount, "5.99");
  });
});

describe("quote keys", () => {
  test("kid:secret lists rotate; a bare secret gets kid k1", () => {
    const errors: string[] = [];
    const keys = parseQuoteKeys(`new:${"n".repeat(32)},old:${"o".repeat(32)}`, (message) => errors.push(message));
    assert.deepEqual(errors, []);
    assert.deepEqual(
      keys.map((key) => key.kid),
      ["new", "old"],
    );
    assert.deepEqual(
      parseQuoteKeys("x".repeat(40), assert.fail).map((key) => key.kid),
      ["k1"],
    );
  });
  test("errors: too short, duplicate kid, missing kid in a list", () => {
    const errors: string[] = [];
    parseQuoteKeys(`a:${"a".repeat(32)},a:${"b".repeat(32)},${"c".repeat(40)},b:short`, (message) =>
      errors.push(message),
    );
    assert.equal(errors.length, 3);
    assert.match(errors.join("\n"), /twice/);
    assert.match(errors.join("\n"), /needs a key id/);
    assert.match(errors.join("\n"), /at least 32/);
  });
});

describe("fallback rates", () => {
  test("validated field by field", () => {
    assert.throws(() => parseFallbackRates("{}"), /array/);
    assert.throws(() => parseFallbackRates('[{"speed":"Fast"}]'), /\[0\]\.speed/);
    assert.throws(() => parseFallbackRates('[{"speed":"Standard","amount":"x"}]'), /\[0\]\.amount/);
    assert.throws(
      () => parseFallbackRates('[{"speed":"Standard","amount":"1","currency":"USD","shipDays":1,"arrivalDays":-1}]'),
      /arrivalDays/,
    );
    assert.throws(
      () =>
        parseFallbackRates(
          '[{"speed":"Standard","amount":"1","currency":"USD","shipDays":1,"arrivalDays":2,"countries":["usa"]}]',
        ),
      /countries/,
    );
  });
});
