// The pure pieces: token sealing, key generation and hashing, the consent URL, tenant input checks.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Problem } from "../../proxy/problems/index.ts";
import {
  consentUrl,
  generateMerchantKeys,
  generateTokenKey,
  hashSecretKey,
  openToken,
  parseTenantCreate,
  parseTenantUpdate,
  parseTokenKeys,
  SELLER_CENTRAL_HOSTS,
  sealToken,
  type TenantValidators,
} from "../../proxy/tenants/index.ts";
import { KEY_A, KEY_B, US_TENANT } from "./suite.ts";

test("MCF_TOKEN_KEY: one or more 32-byte base64 keys, errors name the variable and the key", async () => {
  const ring = await parseTokenKeys(`${KEY_A}, ${KEY_B}`);
  assert.equal(ring.all.size, 2);
  assert.match(ring.current.id, /^[A-Za-z0-9_-]{8}$/);
  assert.equal((await parseTokenKeys(KEY_A)).current.id, ring.current.id, "the key id is derived from the key");
  assert.notEqual((await parseTokenKeys(KEY_B)).current.id, ring.current.id);
  assert.equal((await parseTokenKeys(generateTokenKey())).all.size, 1);
  await assert.rejects(parseTokenKeys(undefined), /MCF_TOKEN_KEY is required/);
  await assert.rejects(parseTokenKeys(""), /MCF_TOKEN_KEY is required/);
  await assert.rejects(parseTokenKeys("c2hvcnQ="), /MCF_TOKEN_KEY must be 32 bytes, base64 \(got 5 bytes\)/);
  await assert.rejects(parseTokenKeys("not base64!"), /MCF_TOKEN_KEY is not base64/);
  await assert.rejects(parseTokenKeys(`${KEY_A},nope!`), /MCF_TOKEN_KEY key 2 is not base64/);
});

test("sealed tokens open with their key and context only; tampering is detected", async () => {
  const ring = await parseTokenKeys(KEY_A);
  const sealed = await sealToken(ring, "Atzr|secret-token", "tn_1");
  assert.match(sealed, new RegExp(`^v1\\.${ring.current.id}\\.[A-Za-z0-9_-]{16}\\.[A-Za-z0-9_-]+$`));
  assert.ok(!sealed.includes("secret-token"));
  assert.notEqual(await sealToken(ring, "Atzr|secret-token", "tn_1"), sealed, "a fresh IV every time");
  assert.equal(await openToken(ring, sealed, "tn_1"), "Atzr|secret-token");
  await assert.rejects(openToken(ring, sealed, "tn_2"), /another tenant/);
  const parts = sealed.split(".");
  const flipped = `${parts[3]!.slice(0, -2)}${parts[3]!.at(-2) === "A" ? "B" : "A"}${parts[3]!.at(-1)}`;
  await assert.rejects(openToken(ring, [...parts.slice(0, 3), flipped].join("."), "tn_1"), /tampered/);
  await assert.rejects(openToken(ring, "v2.x.y.z", "tn_1"), /malformed/);
  await assert.rejects(openToken(ring, `${sealed}.extra`, "tn_1"), /malformed/);
  await assert.rejects(openToken(await parseTokenKeys(KEY_B), sealed, "tn_1"), /no longer holds/);
});

test("merchant keys are random, prefixed, and secret keys hash to a stable lookup value", async () => {
  const a = generateMerchantKeys();
  const b = generateMerchantKeys();
  assert.match(a.publishableKey, /^pk_[A-Za-z0-9_-]{32}$/);
  assert.match(a.secretKey, /^sk_[A-Za-z0-9_-]{43}$/);
  assert.notEqual(a.secretKey, b.secretKey);
  assert.notEqual(a.publishableKey, b.publishableKey);
  assert.equal(await hashSecretKey(a.secretKey), await hashSecretKey(a.secretKey));
  assert.notEqual(await hashSecretKey(a.secretKey), await hashSecretKey(b.secretKey));
  assert.match(await hashSecretKey(a.secretKey), /^[A-Za-z0-9_-]{43}$/);
  // SHA-256("abc"), base64url.
  assert.equal(await hashSecretKey("abc"), "ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0");
});

test("consent URLs: Amazon's Seller Central host per marketplace, state, redirect_uri, version=beta in Draft", () => {
  const expected: Record<string, string> = {
    ATVPDKIKX0DER: "sellercentral.amazon.com",
    A2EUQ1WTGCTBG2: "sellercentral.amazon.ca",
    A1AM78C64UM0Y8: "sellercentral.amazon.com.mx",
    A2Q3Y263D00KWC: "sellercentral.amazon.com.br",
    A1F83G8C2ARO7P: "sellercentral-europe.amazon.com",
    A1PA6795UKMFR9: "sellercentral-europe.amazon.com",
    A13V1IB3VIYZZH: "sellercentral-europe.amazon.com",
    APJ6JRA9NG5V4: "sellercentral-europe.amazon.com",
    A1RKKUPIHCS9HS: "sellercentral-europe.amazon.com",
    A1805IZSGTT6HS: "sellercentral.amazon.nl",
    A2NODRKZP88ZB9: "sellercentral.amazon.se",
    A1C3SOZRARQ6R3: "sellercentral.amazon.pl",
    A33AVAJ2PDY3EV: "sellercentral.amazon.com.tr",
    A2VIGQ35RCS4UG: "sellercentral.amazon.ae",
    A21TJRUUN4KGV: "sellercentral.amazon.in",
    A19VAU5U5O7RUS: "sellercentral.amazon.sg",
    A39IBJ37TRP1C6: "sellercentral.amazon.com.au",
    A1VC38T7YXB528: "sellercentral.amazon.co.jp",
  };
  assert.deepEqual(Object.keys(SELLER_CENTRAL_HOSTS).sort(), Object.keys(expected).sort());
  for (const [marketplaceId, host] of Object.entries(expected)) {
    const url = new URL(consentUrl({ marketplaceId, applicationId: "amzn1.sellerapps.app.x", state: "s t&" }));
    assert.equal(url.origin, `https://${host}`);
    assert.equal(url.pathname, "/apps/authorize/consent");
    assert.deepEqual(
      [...url.searchParams],
      [
        ["application_id", "amzn1.sellerapps.app.x"],
        ["state", "s t&"],
      ],
    );
  }
  const draft = new URL(
    consentUrl({
      marketplaceId: "A1VC38T7YXB528",
      applicationId: "amzn1.sellerapps.app.x",
      state: "abc",
      redirectUri: "https://connector.example/connect/amazon/callback",
      draft: true,
      sellerCentralUrl: "http://127.0.0.1:9999",
    }),
  );
  assert.equal(draft.origin, "http://127.0.0.1:9999");
  assert.equal(draft.searchParams.get("version"), "beta");
  assert.equal(draft.searchParams.get("redirect_uri"), "https://connector.example/connect/amazon/callback");
  assert.throws(() => consentUrl({ marketplaceId: "NOPE", applicationId: "a", state: "s" }), /marketplaceId NOPE/);
  assert.throws(() => consentUrl({ marketplaceId: "ATVPDKIKX0DER", applicationId: "", state: "s" }), /applicationId/);
  assert.throws(() => consentUrl({ marketplaceId: "ATVPDKIKX0DER", applicationId: "a", state: "" }), /state/);
});

const validators: TenantValidators = {
  pricing(raw) {
    if (typeof raw !== "object" || raw === null) throw new Error("must be an object");
    return raw as never;
  },
  fallbackRates(raw) {
    if (!Array.isArray(raw) || raw.some((rate) => typeof rate?.amount !== "string"))
      throw new Error("fallbackRates[0].amount must be a decimal string");
    return raw as never;
  },
};

function fieldErrors(run: () => unknown): { path: string; message: string }[] {
  try {
    run();
  } catch (error) {
    if (error instanceof Problem && error.body.status === 400) return error.body.errors ?? [];
    throw error;
  }
  assert.fail("expected a validation problem");
}

test("tenant input: every bad field is named; region and marketplaces must agree", () => {
  const { refreshToken: _token, ...plain } = US_TENANT;
  assert.deepEqual(parseTenantCreate({ ...plain, name: "  Acme  " }, validators), { ...plain, name: "Acme" });
  assert.deepEqual(
    fieldErrors(() =>
      parseTenantCreate(
        {
          name: "",
          region: "us",
          marketplaceIds: ["NOPE"],
          allowedOrigins: ["https://shop.example/path"],
          sellingPartnerId: "lower",
          refreshToken: "Atza|access",
          colour: "red",
        },
        validators,
      ),
    ).map((error) => error.path),
    ["name", "region", "marketplaceIds[0]", "allowedOrigins[0]", "sellingPartnerId", "refreshToken", "colour"],
  );
  assert.deepEqual(
    fieldErrors(() => parseTenantCreate({ name: "x" }, validators)).map((e) => `${e.path} ${e.message}`),
    ["marketplaceIds is required", "allowedOrigins is required"],
  );
  // The region defaults to the first marketplace's; marketplaces of two regions are refused naming the odd one.
  const { region: _region, ...noRegion } = plain;
  assert.equal(parseTenantCreate({ ...noRegion, marketplaceIds: ["A1VC38T7YXB528"] }, validators).region, "fe");
  assert.deepEqual(
    fieldErrors(() =>
      parseTenantCreate({ ...noRegion, marketplaceIds: ["A1PA6795UKMFR9", "ATVPDKIKX0DER"] }, validators),
    ),
    [{ path: "marketplaceIds[1]", message: "is in region na, not eu" }],
  );
  assert.deepEqual(
    fieldErrors(() => parseTenantCreate({ ...plain, name: 7, region: "us" }, validators)).map((e) => e.path),
    ["name", "region"],
  );
  for (const error of fieldErrors(() => parseTenantCreate({ ...plain, name: 7, region: "us" }, validators)))
    assert.doesNotMatch(error.message, /required/, `${error.path}: ${error.message}`);
  assert.deepEqual(
    fieldErrors(() =>
      parseTenantCreate(
        { ...plain, region: "eu", pricing: 3, fallbackRates: [{ amount: 5 }], marketplaceIds: ["ATVPDKIKX0DER"] },
        validators,
      ),
    ),
    [
      { path: "marketplaceIds[0]", message: "is in region na, not eu" },
      { path: "pricing", message: "must be an object" },
      { path: "fallbackRates[0].amount", message: "must be a decimal string" },
    ],
  );
  assert.deepEqual(parseTenantUpdate({ browserOrders: "ship", allowedOrigins: ["*"] }, "na", validators), {
    browserOrders: "ship",
    allowedOrigins: ["*"],
  });
  assert.deepEqual(
    fieldErrors(() => parseTenantUpdate({ region: "eu", status: "needs-reauthorisation" }, "na", validators)).map(
      (e) => e.path,
    ),
    ["status", "region"],
  );
});
