// Input validation through the real request path (HTTP → readJson → schemas → problem+json), what /openapi.json says
// about it, and the public routes' preflights and health. Nothing invalid may reach Amazon.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { DEV_CREDENTIALS } from "../../sandbox/index.ts";
import { JP } from "./fixtures.ts";
import { type Harness, type Json, startHarness } from "./harness.ts";

const CART = [{ sku: "MUG-CERAMIC-BLUE", quantity: 1 }];
const PREVIEW = { items: CART, address: { countryCode: "US", postalCode: "98101" } };
const ADDRESS = { name: "Jo Doe", line1: "1 Pike St", city: "Seattle", postalCode: "98101", countryCode: "US" };
const ORDER = { quote: "q.q.q", items: CART, address: ADDRESS };

function errorsOf(seen: { status: number; body: Json }): string[] {
  assert.equal(seen.status, 400, JSON.stringify(seen.body));
  return seen.body.errors.map((error: { path: string; message: string }) => `${error.path}: ${error.message}`);
}

describe("validation over HTTP", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  const preview = (json: unknown) => h.request("/v1/delivery-options", { json, key: "publishable" });
  const order = (json: unknown) => h.request("/v1/orders", { json });

  test("a wrong type is named as such, a missing field as required", async () => {
    const cases: [unknown, string][] = [
      [{ ...PREVIEW, items: [{ sku: "A", quantity: "3" }] }, "items[0].quantity: must be a number"],
      [{ ...PREVIEW, items: [{ sku: "A", quantity: 1.5 }] }, "items[0].quantity: must be a whole number"],
      [{ ...PREVIEW, items: [{ sku: 5, quantity: 1 }] }, "items[0].sku: must be a string"],
      [{ ...PREVIEW, items: [{ quantity: 1 }] }, "items[0].sku: is required"],
      [{ ...PREVIEW, items: [{ sku: "A", quantity: null }] }, "items[0].quantity: must be a number"],
      [{ ...PREVIEW, cashOnDelivery: "yes" }, "cashOnDelivery: must be a boolean"],
      [{ ...PREVIEW, address: "x" }, "address: must be an object"],
      [{ ...PREVIEW, items: null }, "items: must be a list"],
      [{ address: PREVIEW.address }, "items: is required"],
      [[1, 2], "body: must be an object"],
    ];
    for (const [body, expected] of cases) assert.deepEqual(errorsOf(await preview(body)), [expected]);
    assert.equal(h.calls.length, 0, "nothing reached Amazon or LWA");
  });

  test("at most 250 units per order, on both routes, at path items", async () => {
    const heavy = [
      { sku: "MUG-CERAMIC-BLUE", quantity: 200 },
      { sku: "TEE-ORGANIC-M", quantity: 51 },
    ];
    const message = "items: must add up to at most 250 units (Amazon's limit per order)";
    assert.deepEqual(errorsOf(await preview({ ...PREVIEW, items: heavy })), [message]);
    assert.deepEqual(errorsOf(await order({ ...ORDER, items: heavy })), [message]);
    const full = await preview({ ...PREVIEW, items: [{ ...heavy[0], quantity: 199 }, heavy[1]] });
    assert.equal(full.status, 200, full.text);
  });

  test("addresses: ISO country codes, a city outside Japan, no control characters", async () => {
    assert.deepEqual(errorsOf(await preview({ ...PREVIEW, address: { countryCode: "ZZ", postalCode: "1" } })), [
      "address.countryCode: must be an ISO 3166-1 alpha-2 country code like US",
    ]);
    assert.equal((await preview({ ...PREVIEW, address: { countryCode: "us", postalCode: "98101" } })).status, 200);
    const { city: _city, ...cityless } = ADDRESS;
    assert.deepEqual(errorsOf(await order({ ...ORDER, address: cityless })), [
      "address.city: is required (in every country but Japan)",
    ]);
    assert.deepEqual(errorsOf(await order({ ...ORDER, address: { ...ADDRESS, line1: "1 Pike St\r\nX-Evil: 1" } })), [
      "address.line1: must not contain control characters",
    ]);
    assert.deepEqual(errorsOf(await order({ ...ORDER, address: { ...ADDRESS, name: " \t " } })), [
      "address.name: must not contain control characters",
      "address.name: must not be empty",
    ]);
    assert.deepEqual(errorsOf(await order({ ...ORDER, address: { ...ADDRESS, name: "   " } })), [
      "address.name: must not be empty",
    ]);
    assert.deepEqual(errorsOf(await preview({ ...PREVIEW, items: [{ sku: "A\u0000B", quantity: 1 }] })), [
      "items[0].sku: must not contain control characters",
    ]);
    // Lengths count what was sent, surrounding spaces included, as /openapi.json's maxLength does.
    assert.deepEqual(errorsOf(await preview({ ...PREVIEW, items: [{ sku: `${"X".repeat(50)}  `, quantity: 1 }] })), [
      "items[0].sku: must be at most 50 characters",
    ]);
  });

  test("displayableOrderId follows Amazon's model: 1-40 Latin-1 characters, never two spaces in a row", async () => {
    const paths = async (displayableOrderId: string) => errorsOf(await order({ ...ORDER, displayableOrderId }));
    const rule = "displayableOrderId: must be 1-40 ISO 8859-1 (Latin-1) characters, without two spaces in a row";
    assert.deepEqual(await paths("SHOP  1"), [rule]);
    assert.deepEqual(await paths("注文-1"), [rule]);
    assert.deepEqual(await paths("   "), [rule]);
    assert.deepEqual(await paths("X".repeat(41)), ["displayableOrderId: must be at most 40 characters"]);
    // Valid ones get past validation and stop at the (fake) quote.
    for (const valid of ["CL-482913", "Bestellung Nr. 12 für Jörg"]) {
      const seen = await order({ ...ORDER, displayableOrderId: valid });
      assert.equal(seen.status, 422, seen.text);
      assert.equal(seen.body.errors[0].path, "quote");
    }
  });

  test("notification e-mails: addresses of at most 64 characters, at most 10", async () => {
    const long = `jo@${"a".repeat(50)}.example.com`;
    assert.deepEqual(errorsOf(await order({ ...ORDER, notificationEmails: [long] })), [
      "notificationEmails[0]: must be at most 64 characters",
    ]);
    const many = Array.from({ length: 11 }, (_, index) => `jo${index}@example.com`);
    assert.deepEqual(errorsOf(await order({ ...ORDER, notificationEmails: many })), [
      "notificationEmails: must be at most 10 entries",
    ]);
    assert.ok(!h.calls.includes("POST /fba/outbound/2020-07-01/fulfillmentOrders"), "no order reached Amazon");
  });

  test("a Japanese order address needs no city", async () => {
    const jp = await startHarness({ MCF_MARKETPLACE_ID: JP });
    try {
      const seen = await jp.request("/v1/orders", {
        json: {
          ...ORDER,
          address: { name: "山田 太郎", line1: "千代田1-1", postalCode: "100-0001", countryCode: "JP" },
        },
      });
      assert.equal(seen.status, 422, seen.text);
      assert.equal(seen.body.errors[0].path, "quote");
    } finally {
      await jp.close();
    }
  });

  test("/openapi.json says what is enforced", async () => {
    const document = (await h.request("/openapi.json", { key: "none" })).body;
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    const check = (name: string, body: unknown) => ajv.compile(document.components.schemas[name])(body);
    const heavy = [
      { sku: "A", quantity: 200 },
      { sku: "B", quantity: 51 },
    ];
    // Where JSON Schema can say it, the document refuses what the proxy refuses.
    const cases: [string, unknown, boolean][] = [
      ["DeliveryOptionsRequest", PREVIEW, true],
      ["DeliveryOptionsRequest", { ...PREVIEW, items: [{ sku: "   ", quantity: 1 }] }, false],
      ["DeliveryOptionsRequest", { ...PREVIEW, items: [{ sku: `${"X".repeat(50)}  `, quantity: 1 }] }, false],
      ["DeliveryOptionsRequest", { ...PREVIEW, items: [{ sku: "A\u0007", quantity: 1 }] }, false],
      ["DeliveryOptionsRequest", { ...PREVIEW, address: { countryCode: "ZZ", postalCode: "1" } }, false],
      ["DeliveryOptionsRequest", { ...PREVIEW, address: { countryCode: "jp", postalCode: "1" } }, true],
      ["CreateOrderRequest", ORDER, true],
      ["CreateOrderRequest", { ...ORDER, address: { ...ADDRESS, city: undefined } }, false],
      ["CreateOrderRequest", { ...ORDER, address: { ...ADDRESS, city: undefined, countryCode: "JP" } }, true],
      ["CreateOrderRequest", { ...ORDER, displayableOrderId: "A  B" }, false],
      ["CreateOrderRequest", { ...ORDER, displayableOrderId: "Jörg 1" }, true],
    ];
    for (const [name, body, valid] of cases) {
      const input = JSON.parse(JSON.stringify(body));
      assert.equal(check(name, input), valid, `${name} ${JSON.stringify(body)}`);
      const seen = await h.request(name === "CreateOrderRequest" ? "/v1/orders" : "/v1/delivery-options", {
        json: input,
        key: "publishable",
      });
      assert.equal(seen.status !== 400, valid, `proxy: ${seen.text}`);
    }
    // The unit total is stated for readers and tools (a custom keyword: JSON Schema cannot sum).
    for (const name of ["DeliveryOptionsRequest", "CreateOrderRequest"]) {
      const items = document.components.schemas[name].properties.items;
      assert.equal(items["x-maxTotalQuantity"], 250);
      assert.match(items.description, /250 units/);
    }
    assert.equal((await preview({ ...PREVIEW, items: heavy })).status, 400);
    // Responses and security as enforced.
    const post = document.paths["/v1/orders"].post;
    for (const status of ["400", "401", "403", "409", "413", "415", "422", "502", "503", "504"]) {
      assert.ok(post.responses[status], `POST /v1/orders documents ${status}`);
    }
    assert.deepEqual(document.components.securitySchemes.orderToken, {
      type: "apiKey",
      in: "header",
      name: "X-Order-Token",
      description: document.components.securitySchemes.orderToken.description,
    });
    for (const [path, method] of [
      ["/v1/orders/{orderId}", "get"],
      ["/v1/orders/{orderId}/cancel", "post"],
      ["/v1/orders/{orderId}/packages/{packageNumber}", "get"],
    ] as const) {
      assert.deepEqual(document.paths[path][method].security, [{ secretKey: [] }, { orderToken: [] }], path);
    }
    assert.match(document.info.description, /trimmed/);
  });
});

describe("public routes", () => {
  test("preflights on /v1/health, /openapi.json and /widget.js are granted to any origin", async () => {
    const h = await startHarness({}, { deps: { widgetScript: async () => "customElements;" } });
    try {
      for (const path of ["/v1/health", "/openapi.json", "/widget.js"]) {
        const seen = await h.request(path, {
          method: "OPTIONS",
          key: "none",
          headers: { origin: "https://any.example", "access-control-request-method": "GET" },
        });
        assert.equal(seen.status, 204, `${path}: ${seen.text}`);
        assert.equal(seen.headers["access-control-allow-origin"], "*", path);
        assert.match(seen.headers["access-control-allow-methods"] ?? "", /GET/, path);
      }
      // The API's preflights are answered too, for the page to read its refusal; the request itself is refused.
      const foreign = await h.request("/v1/orders", {
        method: "OPTIONS",
        key: "none",
        headers: { origin: "https://any.example", "access-control-request-method": "POST" },
      });
      assert.equal(foreign.status, 204);
      const refused = await h.request("/v1/orders", {
        json: {},
        key: "none",
        headers: { origin: "https://any.example" },
      });
      assert.equal(refused.status, 403);
      assert.equal(refused.headers["access-control-allow-origin"], "https://any.example");
      assert.equal(refused.body.type, "https://mcf-checkout.dev/problems/origin-not-allowed");
    } finally {
      await h.close();
    }
  });

  test("with rejected LWA credentials, /v1/health asks LWA once a minute, not once per call", async () => {
    const h = await startHarness({ LWA_CLIENT_SECRET: `${DEV_CREDENTIALS.clientSecret}-wrong` });
    try {
      for (let call = 0; call < 5; call++) {
        const seen = await h.request("/v1/health", { key: "none" });
        assert.equal(seen.body.upstream.status, "down");
        assert.match(seen.body.upstream.reason, /LWA rejected the credentials/);
      }
      assert.equal(h.countOf("/auth/o2/token"), 1);
      h.clock.advance(61_000);
      await h.request("/v1/health", { key: "none" });
      assert.equal(h.countOf("/auth/o2/token"), 2);
    } finally {
      await h.close();
    }
  });
});
