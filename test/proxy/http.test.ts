// The proxy over real HTTP against the local sandbox: every route and every rule of the v1 contract.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { US_ADDRESS as ADDRESS, JP, SECRETS } from "./fixtures.ts";
import { type Harness, type Json, secretsOf, startHarness } from "./harness.ts";

const CART = [
  { sku: "MUG-CERAMIC-BLUE", quantity: 2, declaredValue: "12.00" },
  { sku: "TEE-ORGANIC-M", quantity: 1, declaredValue: "20.00" },
];
const PREVIEW = { items: CART, address: { countryCode: "US", postalCode: "98101", stateOrRegion: "WA" } };
const ORDER_ITEMS = CART.map(({ sku, quantity }) => ({ sku, quantity }));
const PRICING = JSON.stringify({
  speeds: {
    Standard: { type: "freeOver", threshold: "50.00", otherwise: { type: "flat", amount: "5.99" } },
    Expedited: { type: "flat", amount: "12.99" },
    Priority: { type: "markup", percent: "10" },
  },
});

function assertProblem(
  seen: { status: number; headers: Record<string, string>; body: Json },
  status: number,
  path?: string,
) {
  assert.equal(seen.status, status, JSON.stringify(seen.body));
  assert.equal(seen.headers["content-type"], "application/problem+json");
  assert.equal(seen.body.status, status);
  for (const field of ["type", "title", "detail"]) assert.equal(typeof seen.body[field], "string", field);
  if (path !== undefined) {
    assert.ok(
      seen.body.errors?.some((error: { path: string }) => error.path === path),
      `expected an error at ${path}, got ${JSON.stringify(seen.body.errors)}`,
    );
  }
}

async function optionsFor(h: Harness, body: object = PREVIEW, key: "secret" | "publishable" = "publishable") {
  const seen = await h.request("/v1/delivery-options", { json: body, key });
  assert.equal(seen.status, 200, seen.text);
  return seen.body as { options: Json[]; unfulfillable: Json[]; reasons: string[]; source: string };
}

describe("proxy over HTTP (US marketplace)", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ MCF_PRICING: PRICING });
  });
  after(() => h.close());

  test("delivery options: speeds with customer prices, Amazon fees, dates, quotes, source", async () => {
    const result = await optionsFor(h);
    assert.equal(result.source, "live");
    assert.deepEqual(result.unfulfillable, []);
    const speeds = result.options.map((option) => option.speed);
    assert.ok(speeds.includes("Standard") && speeds.includes("Expedited"), speeds.join());
    for (const option of result.options) {
      assert.equal(option.fulfillable, true);
      assert.match(option.price.amount, /^\d+\.\d{2}$/);
      assert.equal(option.price.currency, "USD");
      assert.match(option.fees.total, /^\d+\.\d{2}$/);
      assert.ok(option.fees.lines.length > 0);
      assert.ok(Date.parse(option.ship.earliest) <= Date.parse(option.arrival.earliest));
      assert.equal(option.timeZone, "America/Los_Angeles");
      assert.match(option.quote, /^[\w-]+\.[\w-]+\.[\w-]+$/);
      assert.ok(Date.parse(option.expiresAt) > Date.now());
    }
    const standard = result.options.find((option) => option.speed === "Standard");
    const expedited = result.options.find((option) => option.speed === "Expedited");
    assert.equal(standard.price.amount, "5.99", "cart of 44.00 is under the free-shipping threshold");
    assert.equal(expedited.price.amount, "12.99");
    const priority = result.options.find((option) => option.speed === "Priority");
    if (priority) {
      const fee = Math.round(Number(priority.fees.total) * 100);
      assert.equal(Math.round(Number(priority.price.amount) * 100), Math.round(fee * 1.1));
    }
    // Free over 50.00 only on the cart value the merchant's server signed: a browser's declared value never counts.
    const cart = [{ sku: "MUG-CERAMIC-BLUE", quantity: 5 }];
    const declared = await optionsFor(h, { ...PREVIEW, items: [{ ...cart[0], declaredValue: "999.00" }] });
    assert.equal(declared.options.find((option) => option.speed === "Standard").price.amount, "5.99");
    const signed = await h.request("/v1/cart-values", { json: { items: [{ ...cart[0], unitPrice: "12.00" }] } });
    assert.equal(signed.status, 200, signed.text);
    assert.deepEqual(signed.body.value, { amount: "60.00", currency: "USD" });
    const free = await optionsFor(h, { ...PREVIEW, items: cart, cartValue: signed.body.cartValue });
    assert.equal(free.options.find((option) => option.speed === "Standard").price.amount, "0.00");
    // A cart value is the server's to state, and binds its cart.
    const fromBrowser = await h.request("/v1/cart-values", {
      key: "publishable",
      json: { items: [{ ...cart[0], unitPrice: "12.00" }] },
    });
    assert.equal(fromBrowser.status, 403);
    const otherCart = await h.request("/v1/delivery-options", {
      key: "publishable",
      json: { ...PREVIEW, items: [{ sku: "MUG-CERAMIC-BLUE", quantity: 6 }], cartValue: signed.body.cartValue },
    });
    assert.equal(otherCart.status, 422, otherCart.text);
    assert.deepEqual(
      otherCart.body.errors.map((error: { path: string }) => error.path),
      ["cartValue"],
    );
    const tampered = await h.request("/v1/delivery-options", {
      key: "publishable",
      json: { ...PREVIEW, items: cart, cartValue: `${signed.body.cartValue.slice(0, -2)}xx` },
    });
    assert.equal(tampered.status, 422, tampered.text);
  });

  test("unfulfillable items and reasons are reported", async () => {
    const result = await optionsFor(h, { ...PREVIEW, items: [{ sku: "NO-SUCH-SKU", quantity: 1 }] });
    assert.ok(result.options.every((option) => !option.fulfillable && option.quote === undefined));
    assert.equal(result.unfulfillable[0]?.sku, "NO-SUCH-SKU");
    assert.ok(result.unfulfillable[0].reasons.length > 0);
  });

  test("invalid bodies: problem+json naming each field, and zero upstream calls", async () => {
    const before = h.calls.length;
    const cases: [string, object | string, number, string][] = [
      ["missing items", { address: PREVIEW.address }, 400, "items"],
      ["empty items", { ...PREVIEW, items: [] }, 400, "items"],
      ["sku too long", { ...PREVIEW, items: [{ sku: "X".repeat(51), quantity: 1 }] }, 400, "items[0].sku"],
      ["quantity 0", { ...PREVIEW, items: [{ sku: "A", quantity: 0 }] }, 400, "items[0].quantity"],
      ["quantity 251", { ...PREVIEW, items: [{ sku: "A", quantity: 251 }] }, 400, "items[0].quantity"],
      ["fractional quantity", { ...PREVIEW, items: [{ sku: "A", quantity: 1.5 }] }, 400, "items[0].quantity"],
      [
        "101 lines",
        { ...PREVIEW, items: Array.from({ length: 101 }, (_, i) => ({ sku: `S${i}`, quantity: 1 })) },
        400,
        "items",
      ],
      [
        "bad declared value",
        { ...PREVIEW, items: [{ sku: "A", quantity: 1, declaredValue: "ten" }] },
        400,
        "items[0].declaredValue",
      ],
      ["bad country", { ...PREVIEW, address: { countryCode: "USA", postalCode: "98101" } }, 400, "address.countryCode"],
      ["missing postal code", { ...PREVIEW, address: { countryCode: "US" } }, 400, "address.postalCode"],
      ["unknown field", { ...PREVIEW, coupon: "FREE" }, 400, "coupon"],
      ["unknown speed", { ...PREVIEW, speeds: ["Teleport"] }, 400, "speeds[0]"],
      ["other marketplace", { ...PREVIEW, marketplaceId: JP }, 400, "marketplaceId"],
      ["COD outside Japan", { ...PREVIEW, cashOnDelivery: true }, 400, "cashOnDelivery"],
      ["Scheduled Delivery outside Japan", { ...PREVIEW, speeds: ["Standard", "ScheduledDelivery"] }, 400, "speeds[1]"],
      ["not JSON", "{items:", 400, "body"],
    ];
    for (const [name, body, status, path] of cases) {
      const seen = await h.request("/v1/delivery-options", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: typeof body === "string" ? body : JSON.stringify(body),
      });
      assertProblem(seen, status, path);
      assert.ok(seen.body.detail.includes(path), `${name}: detail names the field`);
    }
    const wrongType = await h.request("/v1/delivery-options", {
      method: "POST",
      body: JSON.stringify(PREVIEW),
      headers: { "content-type": "text/plain" },
    });
    assertProblem(wrongType, 415, "header Content-Type");
    const badOrders: [object, string][] = [
      [{ quote: "q", items: ORDER_ITEMS, address: { ...ADDRESS, line1: undefined } }, "address.line1"],
      [{ quote: "q", items: ORDER_ITEMS, address: { ...ADDRESS, name: "" } }, "address.name"],
      [{ items: ORDER_ITEMS, address: ADDRESS }, "quote"],
      [{ quote: "q", items: ORDER_ITEMS, address: ADDRESS, orderId: "has spaces" }, "orderId"],
      [{ quote: "q", items: ORDER_ITEMS, address: ADDRESS, action: "Now" }, "action"],
      [{ quote: "q", items: ORDER_ITEMS, address: ADDRESS, policy: "Sometimes" }, "policy"],
      [{ quote: "q", items: ORDER_ITEMS, address: ADDRESS, notificationEmails: ["nope"] }, "notificationEmails[0]"],
      [{ quote: "q", items: ORDER_ITEMS, address: ADDRESS, comment: "x".repeat(751) }, "comment"],
      [
        { quote: "q", items: [{ sku: "A", quantity: 1, giftMessage: "x".repeat(513) }], address: ADDRESS },
        "items[0].giftMessage",
      ],
      [{ quote: "q", items: ORDER_ITEMS, address: ADDRESS, orderDate: "yesterday" }, "orderDate"],
    ];
    for (const [body, path] of badOrders) assertProblem(await h.request("/v1/orders", { json: body }), 400, path);
    assertProblem(await h.request("/v1/orders/bad%20id", {}), 400, "orderId");
    assertProblem(await h.request("/v1/orders/mcf-1/packages/zero", {}), 400, "packageNumber");
    assertProblem(
      await h.request("/v1/orders", { json: { quote: "not-a-token", items: ORDER_ITEMS, address: ADDRESS } }),
      422,
      "quote",
    );
    assert.equal(h.calls.length, before, `upstream calls made: ${h.calls.slice(before).join(", ")}`);
  });

  test("body size is limited", async () => {
    const before = h.calls.length;
    const huge = { ...PREVIEW, items: [{ sku: "A", quantity: 1 }], padding: "x".repeat(70 * 1024) };
    assertProblem(await h.request("/v1/delivery-options", { json: huge }), 413, "body");
    assert.equal(h.calls.length, before);
  });

  test("CORS: allowed origin is granted, a foreign origin is refused before any work", async () => {
    const before = h.calls.length;
    const preflight = await h.request("/v1/delivery-options", {
      method: "OPTIONS",
      key: "none",
      headers: { origin: "https://shop.example", "access-control-request-method": "POST" },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers["access-control-allow-origin"], "https://shop.example");
    assert.match(preflight.headers["access-control-allow-headers"] ?? "", /authorization/);
    assert.match(preflight.headers["access-control-allow-headers"] ?? "", /idempotency-key/);
    const foreignPreflight = await h.request("/v1/delivery-options", {
      method: "OPTIONS",
      key: "none",
      headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
    });
    // A foreign page's preflight is answered so that the refusal of its request is readable: the element can then
    // tell its developer which origin to allow. The request itself is refused before any work (below).
    assert.equal(foreignPreflight.status, 204);
    const foreign = await h.request("/v1/delivery-options", {
      json: PREVIEW,
      headers: { origin: "https://evil.example" },
    });
    assertProblem(foreign, 403, "header Origin");
    assert.equal(h.calls.length, before);
    const allowed = await h.request("/v1/delivery-options", {
      json: PREVIEW,
      key: "publishable",
      headers: { origin: "https://shop.example" },
    });
    assert.equal(allowed.status, 200);
    assert.equal(allowed.headers["access-control-allow-origin"], "https://shop.example");
    assert.match(allowed.headers["access-control-expose-headers"] ?? "", /x-request-id/);
    const problem = await h.request("/v1/delivery-options", {
      json: { ...PREVIEW, items: [] },
      key: "publishable",
      headers: { origin: "https://shop.example" },
    });
    assertProblem(problem, 400, "items");
    assert.equal(problem.headers["access-control-allow-origin"], "https://shop.example", "browsers can read problems");
  });

  test("keys: unknown or malformed keys and a missing publishable key are refused", async () => {
    const before = h.calls.length;
    assertProblem(await h.request("/v1/delivery-options", { json: PREVIEW, key: "none" }), 401, "header Authorization");
    // An order token opens only its order's routes, not the rest of the API.
    assertProblem(
      await h.request("/v1/delivery-options", { json: PREVIEW, key: "none", headers: { "x-order-token": "x" } }),
      401,
      "header Authorization",
    );
    assertProblem(
      await h.request("/v1/delivery-options", {
        json: PREVIEW,
        headers: { authorization: "Bearer sk_guess_0123456789abcdef" },
      }),
      401,
      "header Authorization",
    );
    assertProblem(
      await h.request("/v1/delivery-options", { json: PREVIEW, headers: { authorization: "Basic abc" } }),
      401,
      "header Authorization",
    );
    assertProblem(
      await h.request("/v1/orders/mcf-1/ship", { method: "POST", key: "publishable" }),
      403,
      "header Authorization",
    );
    assert.equal(h.calls.length, before);
  });

  test("server flow: secret key creates a Ship order; status and tracking as it ships", async () => {
    const { options } = await optionsFor(h);
    const standard = options.find((option) => option.speed === "Standard");
    const created = await h.request("/v1/orders", {
      json: { quote: standard.quote, items: ORDER_ITEMS, address: ADDRESS, displayableOrderId: "1001" },
      headers: { "idempotency-key": "server-flow-1" },
    });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.action, "Ship");
    assert.equal(created.body.speed, "Standard");
    assert.match(created.body.orderId, /^mcf-[0-9a-f]{32}$/);
    assert.equal(typeof created.body.orderToken, "string");
    const orderId = created.body.orderId;

    const fresh = await h.request(`/v1/orders/${orderId}`);
    assert.equal(fresh.status, 200);
    assert.equal(fresh.body.orderId, orderId);
    assert.equal(fresh.body.displayableOrderId, "1001");
    assert.equal(fresh.body.address.name, "Jo Doe");

    await h.advanceSandbox(5 * 24 * 3600 * 1000);
    const shipped = await h.request(`/v1/orders/${orderId}`);
    assert.equal(shipped.status, 200);
    assert.ok(shipped.body.packages.length > 0, JSON.stringify(shipped.body));
    assert.ok(shipped.body.trackingNumbers.length > 0);
    const packageNumber = shipped.body.packages[0].packageNumber;
    const tracking = await h.request(`/v1/orders/${orderId}/packages/${packageNumber}`);
    assert.equal(tracking.status, 200, tracking.text);
    assert.equal(tracking.body.packageNumber, packageNumber);
    assert.ok(Array.isArray(tracking.body.events));

    const asBrowser = await h.request(`/v1/orders/${orderId}/packages/${packageNumber}`, {
      key: "none",
      headers: { "x-order-token": created.body.orderToken },
    });
    assert.equal(asBrowser.status, 200);
    assertProblem(await h.request(`/v1/orders/${orderId}/packages/999999`), 404, "packageNumber");
  });

  test("Idempotency-Key: retries create exactly one order; another body with the key is 409", async () => {
    const { options } = await optionsFor(h);
    const body = { quote: options[0].quote, items: ORDER_ITEMS, address: ADDRESS };
    const creates = h.countOf("POST /fba/outbound/2020-07-01/fulfillmentOrders");
    const headers = { "idempotency-key": "retry-key-1" };
    const [first, second, third] = await Promise.all([
      h.request("/v1/orders", { json: body, headers }),
      h.request("/v1/orders", { json: body, headers }),
      h.request("/v1/orders", { json: body, headers }),
    ]);
    const later = await h.request("/v1/orders", { json: body, headers });
    for (const seen of [first, second, third, later]) {
      assert.equal(seen?.status, 201, seen?.text);
      assert.equal(seen?.body.orderId, first?.body.orderId);
    }
    assert.equal(h.countOf("POST /fba/outbound/2020-07-01/fulfillmentOrders") - creates, 1);
    assert.equal(later.headers["idempotent-replayed"], "true");
    const conflict = await h.request("/v1/orders", { json: { ...body, comment: "changed" }, headers });
    assertProblem(conflict, 409, "header Idempotency-Key");
    assert.equal(h.countOf("POST /fba/outbound/2020-07-01/fulfillmentOrders") - creates, 1);
  });

  test("without a key the order id is derived: a retried body finds Amazon's order instead of failing", async () => {
    const { options } = await optionsFor(h);
    const body = { quote: options[0].quote, items: ORDER_ITEMS, address: ADDRESS };
    const first = await h.request("/v1/orders", { json: body });
    const retry = await h.request("/v1/orders", { json: body });
    assert.equal(first.status, 201);
    assert.equal(retry.status, 201, retry.text);
    assert.equal(retry.body.orderId, first.body.orderId);
    assert.ok(h.logs.some((line) => line.includes("order already existed")));
  });

  test("a caller-chosen order id already used by a different order is a 409", async () => {
    const { options } = await optionsFor(h);
    const first = await h.request("/v1/orders", {
      json: { quote: options[0].quote, items: ORDER_ITEMS, address: ADDRESS, orderId: "shop-order-77" },
    });
    assert.equal(first.status, 201, first.text);
    assert.equal(first.body.orderId, "shop-order-77");
    const other = await optionsFor(h, { ...PREVIEW, items: [{ sku: "MUG-CERAMIC-BLUE", quantity: 1 }] });
    const clash = await h.request("/v1/orders", {
      json: {
        quote: other.options[0].quote,
        items: [{ sku: "MUG-CERAMIC-BLUE", quantity: 1 }],
        address: ADDRESS,
        orderId: "shop-order-77",
      },
    });
    assertProblem(clash, 409, "orderId");
  });

  test("tampered, expired and mismatched quotes are refused without calling Amazon", async () => {
    const { options } = await optionsFor(h);
    const quote: string = options[0].quote;
    const [header, payload, signature] = quote.split(".") as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString());
    const cheaper = Buffer.from(JSON.stringify({ ...claims, amt: "0.00" })).toString("base64url");
    const before = h.countOf("/fulfillmentOrders");
    const attempts: [object, string, string][] = [
      [{ quote: `${header}.${cheaper}.${signature}` }, "quote", "quote-signature"],
      [{ quote: `${header}.${payload}.${signature.slice(0, -4)}AAAA` }, "quote", "quote-signature"],
      [{ items: [{ sku: "MUG-CERAMIC-BLUE", quantity: 3 }, ORDER_ITEMS[1]] }, "items", "quote-mismatch"],
      [{ items: [ORDER_ITEMS[0]] }, "items", "quote-mismatch"],
      [{ address: { ...ADDRESS, postalCode: "10001" } }, "address.postalCode", "quote-mismatch"],
      [{ address: { ...ADDRESS, countryCode: "CA", postalCode: "98101" } }, "address.countryCode", "quote-mismatch"],
      [{ address: { ...ADDRESS, stateOrRegion: "OR" } }, "address.stateOrRegion", "quote-mismatch"],
    ];
    for (const [change, path, type] of attempts) {
      const seen = await h.request("/v1/orders", { json: { quote, items: ORDER_ITEMS, address: ADDRESS, ...change } });
      assertProblem(seen, 422, path);
      assert.match(seen.body.type, new RegExp(`${type}$`));
    }
    h.clock.advance(15 * 60 * 1000 + 1000);
    const expired = await h.request("/v1/orders", { json: { quote, items: ORDER_ITEMS, address: ADDRESS } });
    assertProblem(expired, 422, "quote");
    assert.match(expired.body.type, /quote-expired$/);
    h.clock.advance(-(15 * 60 * 1000 + 1000));
    assert.equal(h.countOf("/fulfillmentOrders"), before);
    const ok = await h.request("/v1/orders", {
      json: { quote, items: [...ORDER_ITEMS].reverse(), address: { ...ADDRESS, postalCode: "98101 " } },
    });
    assert.equal(ok.status, 201, "line order and spacing do not matter");
  });

  test("browser flow: publishable key → Hold; order token reads and cancels while on Hold", async () => {
    const { options } = await optionsFor(h);
    const created = await h.request("/v1/orders", {
      key: "publishable",
      json: { quote: options[0].quote, items: ORDER_ITEMS, address: ADDRESS },
      headers: { origin: "https://shop.example" },
    });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.action, "Hold");
    const { orderId, orderToken } = created.body;

    assertProblem(
      await h.request("/v1/orders", {
        key: "publishable",
        json: { quote: options[0].quote, items: ORDER_ITEMS, address: ADDRESS, action: "Ship" },
      }),
      403,
      "action",
    );
    assertProblem(await h.request(`/v1/orders/${orderId}`, { key: "publishable" }), 401, "header X-Order-Token");
    const read = await h.request(`/v1/orders/${orderId}`, { key: "none", headers: { "x-order-token": orderToken } });
    assert.equal(read.status, 200);
    assert.equal(read.body.action, "Hold");
    assert.equal(read.body.address, undefined, "the browser does not get the address back");
    const other = await optionsFor(h);
    const second = await h.request("/v1/orders", {
      key: "publishable",
      json: { quote: other.options[0].quote, items: ORDER_ITEMS, address: ADDRESS },
    });
    assertProblem(
      await h.request(`/v1/orders/${second.body.orderId}`, { key: "none", headers: { "x-order-token": orderToken } }),
      403,
      "header X-Order-Token",
    );
    assertProblem(
      await h.request(`/v1/orders/${second.body.orderId}/ship`, { method: "POST", key: "publishable" }),
      403,
      "header Authorization",
    );

    const cancelled = await h.request(`/v1/orders/${orderId}/cancel`, {
      method: "POST",
      key: "none",
      headers: { "x-order-token": orderToken },
    });
    assert.equal(cancelled.status, 200, cancelled.text);
    assert.equal(cancelled.body.status, "Cancelled");
    assert.equal((await h.request(`/v1/orders/${orderId}`)).body.status, "Cancelled");

    const shipped = await h.request(`/v1/orders/${second.body.orderId}/ship`, { method: "POST" });
    assert.equal(shipped.status, 200, shipped.text);
    assert.equal((await h.request(`/v1/orders/${second.body.orderId}`)).body.action, "Ship");
    const late = await h.request(`/v1/orders/${second.body.orderId}/cancel`, {
      method: "POST",
      key: "none",
      headers: { "x-order-token": second.body.orderToken },
    });
    assertProblem(late, 409, "orderId");
    assert.equal((await h.request(`/v1/orders/${second.body.orderId}/cancel`, { method: "POST" })).status, 200);
  });

  test("Amazon's errors become problems carrying x-amzn-RequestId", async () => {
    const missing = await h.request("/v1/orders/mcf-00000000000000000000000000000000");
    assertProblem(missing, 404, "orderId");
    assert.equal(typeof missing.body.amznRequestId, "string");
  });

  test("health, OpenAPI, unknown routes", async () => {
    const health = await h.request("/v1/health", { key: "none", headers: { origin: "https://evil.example" } });
    assert.equal(health.status, 200);
    assert.equal(health.body.status, "ok");
    assert.equal(health.body.upstream.status, "ok");
    assert.equal(health.body.upstream.dialect, "2020-07-01");
    const openapi = await h.request("/openapi.json", { key: "none" });
    assert.equal(openapi.status, 200);
    assert.equal(openapi.body.openapi, "3.1.0");
    assert.equal(openapi.headers["access-control-allow-origin"], "*");
    const request = openapi.body.components.schemas.DeliveryOptionsRequest;
    assert.equal(request.properties.items.maxItems, 100);
    assert.equal(request.properties.items.items.properties.sku.maxLength, 50);
    for (const path of [
      "/v1/delivery-options",
      "/v1/orders",
      "/v1/orders/{orderId}",
      "/v1/orders/{orderId}/ship",
      "/v1/orders/{orderId}/cancel",
      "/v1/orders/{orderId}/packages/{packageNumber}",
      "/v1/health",
    ]) {
      assert.ok(openapi.body.paths[path], path);
    }
    assertProblem(await h.request("/v2/nothing", { key: "none" }), 404, "url");
  });

  test("every response carries x-request-id; an incoming one is kept", async () => {
    const echoed = await h.request("/v1/health", { key: "none", headers: { "x-request-id": "trace-abc-123" } });
    assert.equal(echoed.headers["x-request-id"], "trace-abc-123");
    for (const seen of h.responses)
      assert.match(seen.headers["x-request-id"] ?? "", /^[\w.:-]+$/, seen.text.slice(0, 80));
  });

  test("no secret in any response or log line", () => {
    assert.ok(h.accessTokens.length > 0);
    assert.ok(h.responses.length > 30 && h.logs.length > 30);
    const haystacks = [...h.responses.map((seen) => JSON.stringify(seen)), ...h.logs];
    for (const secret of secretsOf(h)) {
      for (const text of haystacks) assert.ok(!text.includes(secret), `secret leaked: ${text.slice(0, 200)}`);
    }
  });
});

describe("proxy over HTTP (Japan: Scheduled Delivery, COD)", () => {
  const JP_PREVIEW = {
    items: [{ sku: "MUG-CERAMIC-BLUE", quantity: 1 }],
    address: { countryCode: "JP", postalCode: "100-0001" },
  };
  const JP_ADDRESS = {
    name: "山田 太郎",
    line1: "千代田1-1",
    postalCode: "100-0001",
    countryCode: "JP",
    stateOrRegion: "東京都",
  };
  let h: Harness;
  before(async () => {
    h = await startHarness({ MCF_MARKETPLACE_ID: JP });
  });
  after(() => h.close());

  test("each delivery window has its own quote; browser hold refused, server order gets the window", async () => {
    const { options } = await optionsFor(h, JP_PREVIEW);
    const scheduled = options.find((option) => option.speed === "ScheduledDelivery");
    assert.ok(scheduled, JSON.stringify(options.map((option) => option.speed)));
    assert.equal(scheduled.timeZone, "Asia/Tokyo");
    assert.ok(scheduled.deliveryWindows.length >= 2);
    const quotes = new Set(scheduled.deliveryWindows.map((window: { quote: string }) => window.quote));
    assert.equal(quotes.size, scheduled.deliveryWindows.length);
    const window = scheduled.deliveryWindows[1];

    const before = h.countOf("/fulfillmentOrders");
    const browser = await h.request("/v1/orders", {
      key: "publishable",
      json: { quote: window.quote, items: JP_PREVIEW.items, address: JP_ADDRESS },
    });
    assertProblem(browser, 422, "quote");
    assert.match(browser.body.detail, /MCF_BROWSER_ORDERS=ship/);
    const held = await h.request("/v1/orders", {
      json: { quote: window.quote, items: JP_PREVIEW.items, address: JP_ADDRESS, action: "Hold" },
    });
    assertProblem(held, 422, "action");
    assert.equal(h.countOf("/fulfillmentOrders"), before);

    const server = await h.request("/v1/orders", {
      json: { quote: window.quote, items: JP_PREVIEW.items, address: JP_ADDRESS },
    });
    assert.equal(server.status, 201, server.text);
    assert.deepEqual(server.body.deliveryWindow, { start: window.start, end: window.end });
    const read = await h.request(`/v1/orders/${server.body.orderId}`);
    assert.deepEqual(read.body.deliveryWindow, { start: window.start, end: window.end });
    assert.equal(read.body.speed, "ScheduledDelivery");
    // Delivered in its window: Amazon's tracking then carries the window too (as a DateRange).
    await h.advanceSandbox(10 * 24 * 3600 * 1000);
    const delivered = await h.request(`/v1/orders/${server.body.orderId}`);
    const packageNumber = delivered.body.packages[0]?.packageNumber;
    assert.ok(packageNumber, JSON.stringify(delivered.body));
    const tracking = await h.request(`/v1/orders/${server.body.orderId}/packages/${packageNumber}`);
    assert.equal(tracking.status, 200, tracking.text);
  });

  test("cash on delivery options in Japan, ordered with COD settings", async () => {
    const { options } = await optionsFor(h, { ...JP_PREVIEW, cashOnDelivery: true });
    const cod = options.find((option) => option.cashOnDelivery === true);
    assert.ok(cod);
    assert.ok(cod.fees.lines.some((line: { name: string }) => line.name === "FBAFulfillmentCODFee"));
    const created = await h.request("/v1/orders", {
      json: { quote: cod.quote, items: JP_PREVIEW.items, address: JP_ADDRESS },
    });
    assert.equal(created.status, 201, created.text);
  });
});

describe("proxy over HTTP: configuration rules", () => {
  test("MCF_BROWSER_ORDERS=ship lets browsers order Scheduled Delivery (shipping at once)", async () => {
    const h = await startHarness({ MCF_MARKETPLACE_ID: JP, MCF_BROWSER_ORDERS: "ship" });
    try {
      const { options } = await optionsFor(h, {
        items: [{ sku: "MUG-CERAMIC-BLUE", quantity: 1 }],
        address: { countryCode: "JP", postalCode: "100-0001" },
        speeds: ["ScheduledDelivery"],
      });
      const window = options[0].deliveryWindows[0];
      const created = await h.request("/v1/orders", {
        key: "publishable",
        json: {
          quote: window.quote,
          items: [{ sku: "MUG-CERAMIC-BLUE", quantity: 1 }],
          address: { name: "A", line1: "B", postalCode: "100-0001", countryCode: "JP" },
        },
      });
      assert.equal(created.status, 201, created.text);
      assert.equal(created.body.action, "Ship");
    } finally {
      await h.close();
    }
  });

  test("MCF_BROWSER_ORDERS=off refuses browser orders; no publishable key means single-tenant browsers", async () => {
    const h = await startHarness({ MCF_BROWSER_ORDERS: "off", MCF_PUBLISHABLE_KEY: undefined });
    try {
      const { options } = await optionsFor(h, PREVIEW, "secret");
      const anonymous = await h.request("/v1/delivery-options", { key: "none", json: PREVIEW });
      assert.equal(anonymous.status, 200);
      const before = h.countOf("/fulfillmentOrders");
      const refused = await h.request("/v1/orders", {
        key: "none",
        json: { quote: options[0].quote, items: ORDER_ITEMS, address: ADDRESS },
      });
      assertProblem(refused, 403, "header Authorization");
      assert.match(refused.body.type, /browser-orders-off$/);
      assert.equal(h.countOf("/fulfillmentOrders"), before);
    } finally {
      await h.close();
    }
  });

  test("rejected LWA credentials: clear 502, degraded health, no secret anywhere", async () => {
    const h = await startHarness({ LWA_CLIENT_SECRET: "wrong-client-secret-0123456789" });
    try {
      const seen = await h.request("/v1/delivery-options", { json: PREVIEW, key: "publishable" });
      assertProblem(seen, 502);
      assert.match(seen.body.title, /credentials/);
      assert.match(seen.body.detail, /LWA_CLIENT_ID, LWA_CLIENT_SECRET and LWA_REFRESH_TOKEN/);
      const health = await h.request("/v1/health", { key: "none" });
      assert.equal(health.body.status, "degraded");
      assert.equal(health.body.upstream.status, "down");
      for (const text of [...h.responses.map((r) => JSON.stringify(r)), ...h.logs]) {
        assert.ok(!text.includes("wrong-client-secret-0123456789"));
        assert.ok(!text.includes(SECRETS.secretKey));
      }
    } finally {
      await h.close();
    }
  });

  test("Amazon failures after retries become 5xx problems with Amazon's request id", async () => {
    const h = await startHarness({}, { sandbox: { faults: { getFulfillmentOrder: { errorRate: 1 } } } });
    try {
      const seen = await h.request("/v1/orders/mcf-00000000000000000000000000000001");
      assert.ok(seen.status === 502 || seen.status === 503, seen.text);
      assert.equal(seen.headers["content-type"], "application/problem+json");
      assert.equal(typeof seen.body.amznRequestId, "string");
    } finally {
      await h.close();
    }
  });

  test("/widget.js: served with caching, CORS for any origin, ETag revalidation; 404 when not built", async () => {
    const script = "customElements.define('mcf-delivery-options', class extends HTMLElement {});";
    const h = await startHarness({}, { deps: { widgetScript: async () => script } });
    try {
      const seen = await h.request("/widget.js", { key: "none", headers: { origin: "https://anywhere.example" } });
      assert.equal(seen.status, 200);
      assert.equal(seen.text, script);
      assert.equal(seen.headers["content-type"], "text/javascript; charset=utf-8");
      assert.equal(seen.headers["access-control-allow-origin"], "*");
      assert.match(seen.headers["cache-control"] ?? "", /public, max-age=\d+/);
      const etag = seen.headers.etag ?? "";
      assert.ok(etag);
      const again = await h.request("/widget.js", { key: "none", headers: { "if-none-match": etag } });
      assert.equal(again.status, 304);
    } finally {
      await h.close();
    }
    const missing = await startHarness({}, { deps: { widgetScript: async () => null } });
    try {
      assertProblem(await missing.request("/widget.js", { key: "none" }), 404);
    } finally {
      await missing.close();
    }
  });
});
