// Property-based fuzzing of every route over real HTTP against the real sandbox (issue 17): bodies, headers, path
// parameters, methods, content types, oversized and malformed JSON. Fixed seeds and bounded runs, so a failure
// reproduces exactly and the whole file takes a few seconds. For every answer:
// - never a 5xx (the sandbox is healthy, so nothing here may fail on the proxy's side);
// - every error is application/problem+json {type, title, status, detail} and, for a 4xx, `errors[]` names where
//   (a body field, `header …`, `url` for a route that does not exist);
// - a refusal decided from the request alone (validation, keys, origin, quote, size, media type, unknown route) made
//   no upstream call at all, LWA included; `h.calls` counts what reached the sandbox.
// Then Amazon's faults are fuzzed (sandbox fault plans with counts, seeded) under valid requests: a preview or an order
// is answered, or refused with a retryable 502/503/504 problem, never a 4xx or a 500; once Amazon recovers the same
// request succeeds, and the sandbox's order book holds exactly one order for it, the one the client was told.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import fc from "fast-check";
import { seededRandom } from "../../bench/lib/stats.ts";
import { everyOperation, type RatePlan } from "../../proxy/fulfillment/model.ts";
import { systemClock } from "../../proxy/shared/clock.ts";
import { devAccessToken } from "../helpers/sandbox-server.ts";
import { SECRETS, US_ADDRESS } from "./fixtures.ts";
import { type Harness, type Json, startHarness } from "./harness.ts";

const SEED = 20261201;
const CART = [{ sku: "MUG-CERAMIC-BLUE", quantity: 1 }];
const PREVIEW = { items: CART, address: { countryCode: "US", postalCode: "98101", stateOrRegion: "WA" } };
const MAX_BODY = 64 * 1024;

/** No proxy-side throttling: every fuzzed request that is valid may reach the sandbox at once. */
const WIDE: RatePlan = { ratePerSecond: 10_000, burst: 10_000 };
const RATE_PLANS = everyOperation(WIDE);

interface Sent {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  upstreamCalls: string[];
}

let h: Harness;
/** A real quote, a real order and its token: fuzzed requests mix them with garbage. */
let quote = "";
let orderId = "";
let orderToken = "";

async function send(request: Sent, harness: Harness = h): Promise<Answer> {
  const before = harness.calls.length;
  const response = await fetch(`${harness.proxyUrl}${request.path}`, {
    method: request.method,
    headers: request.headers,
    ...(request.body !== undefined && request.method !== "GET" && request.method !== "HEAD"
      ? { body: request.body }
      : {}),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, upstreamCalls: harness.calls.slice(before) };
}

/**
 * Refusals decided from the request alone (its shape, keys, origin, quote, size, media type): nothing may reach
 * Amazon or LWA for them. Others may rightly ask Amazon first (an unknown order id is 404 from Amazon; a browser's
 * cancel reads the order to see whether it is still on Hold, then may be 409).
 */
const DECIDED_ON_INPUT =
  /^(validation|bad-request|unauthorized|forbidden|origin-not-allowed|secret-key-in-browser|browser-orders-off|payload-too-large|unsupported-media-type|method-not-allowed|quote-[a-z-]+|scheduled-delivery-hold|cod-needs-server|unsupported-by-amazon-api|idempotency-key-reused)$/;

/** The invariants every answer keeps; throws (with the request) when one does not hold. */
function check(request: Sent, answer: Answer): void {
  const what = () =>
    `${request.method} ${request.path} ${JSON.stringify(request.headers)} ${JSON.stringify(request.body?.slice(0, 300))} → ${answer.status} ${answer.text.slice(0, 400)}`;
  assert.ok(answer.status < 500, `a 5xx: ${what()}`);
  assert.ok(answer.headers.get("x-request-id"), `no x-request-id: ${what()}`);
  if (answer.status < 400 || request.method === "HEAD") return;
  assert.match(answer.headers.get("content-type") ?? "", /^application\/problem\+json/, `not problem+json: ${what()}`);
  let problem: Json;
  try {
    problem = JSON.parse(answer.text);
  } catch {
    assert.fail(`a problem that is not JSON: ${what()}`);
  }
  assert.equal(typeof problem.type, "string", `problem.type: ${what()}`);
  assert.equal(typeof problem.title, "string", `problem.title: ${what()}`);
  assert.equal(typeof problem.detail, "string", `problem.detail: ${what()}`);
  assert.equal(problem.status, answer.status, `problem.status: ${what()}`);
  assert.ok(Array.isArray(problem.errors) && problem.errors.length > 0, `a 4xx naming no field: ${what()}`);
  for (const error of problem.errors) {
    assert.ok(typeof error.path === "string" && error.path.length > 0, `errors[].path: ${what()}`);
    assert.equal(typeof error.message, "string", `errors[].message: ${what()}`);
  }
  const slug = String(problem.type).split("/").at(-1) ?? "";
  if (DECIDED_ON_INPUT.test(slug) || (answer.status === 404 && problem.errors[0].path === "url")) {
    assert.deepEqual(answer.upstreamCalls, [], `refused for its input, yet Amazon was called: ${what()}`);
  }
}

/** Which answers the fuzzing reached, as "route status": it must get past the first checks, not only be refused. */
const reached = new Set<string>();

function routeOf(path: string): string {
  if (path.startsWith("/v1/delivery-options")) return "delivery-options";
  if (path.startsWith("/v1/orders")) return "orders";
  return "other";
}

async function roundTrip(request: Sent): Promise<Answer> {
  const answer = await send(request);
  check(request, answer);
  reached.add(`${routeOf(request.path)} ${answer.status}`);
  return answer;
}

// ---- generators ----------------------------------------------------------------------------------------------------

/** Printable ASCII: what a header value may carry (fetch refuses control characters before sending). */
const headerText = fc.string({
  maxLength: 40,
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
});

const text = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.string({ unit: "grapheme", maxLength: 30 }),
  fc.constantFrom(
    "",
    " ",
    "\u0000",
    "\u0085x",
    "a".repeat(300),
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "💥",
    "null",
    "１２３",
  ),
);

const scalar = fc.oneof(
  text,
  fc.integer(),
  fc.constantFrom(0, -1, 1.5, 251, 1e21, Number.MAX_SAFE_INTEGER + 2),
  fc.boolean(),
  fc.constant(null),
);
const anyValue = fc.oneof({ weight: 3, arbitrary: scalar }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) });

type Mutation = { path: string; op: "delete" } | { path: string; op: "set"; value: unknown };

function mutations(paths: string[]) {
  return fc.array(
    fc.oneof(
      fc.record({ path: fc.constantFrom(...paths), op: fc.constant("delete" as const) }),
      fc.record({ path: fc.constantFrom(...paths), op: fc.constant("set" as const), value: anyValue }),
    ),
    { maxLength: 3 },
  );
}

/** `template` with each mutation applied at its dotted path (numeric parts index lists). */
function mutate(template: unknown, changes: Mutation[]): unknown {
  const copy = structuredClone(template) as Json;
  for (const change of changes) {
    const parts = change.path.split(".");
    let at = copy;
    for (const part of parts.slice(0, -1)) {
      if (at === null || typeof at !== "object") break;
      at = at[part];
    }
    if (at === null || typeof at !== "object") continue;
    const last = parts.at(-1)!;
    if (change.op === "delete") delete at[last];
    else at[last] = change.value;
  }
  return copy;
}

const PREVIEW_PATHS = [
  "marketplaceId",
  "items",
  "items.0",
  "items.0.sku",
  "items.0.quantity",
  "items.0.declaredValue",
  "items.1",
  "address",
  "address.countryCode",
  "address.postalCode",
  "address.stateOrRegion",
  "address.city",
  "address.line1",
  "address.name",
  "address.phone",
  "speeds",
  "cashOnDelivery",
  "unknownField",
];

const ORDER_PATHS = [
  "quote",
  "orderId",
  "displayableOrderId",
  "orderDate",
  "comment",
  "address",
  "address.countryCode",
  "address.postalCode",
  "address.stateOrRegion",
  "address.city",
  "address.line1",
  "address.line2",
  "address.name",
  "address.phone",
  "items",
  "items.0",
  "items.0.sku",
  "items.0.quantity",
  "items.0.giftMessage",
  "items.0.displayableComment",
  "items.0.perUnitPrice",
  "items.0.perUnitTax",
  "items.1",
  "notificationEmails",
  "policy",
  "action",
  "unknownField",
];

const previewBody = mutations(PREVIEW_PATHS).map((changes) => mutate(PREVIEW, changes));
const orderBody = mutations(ORDER_PATHS).map((changes) =>
  mutate({ quote, items: CART, address: US_ADDRESS, action: "Hold" }, changes),
);

/** Near-valid JSON, any JSON, text that is not JSON, truncated JSON, too much of it. */
function bodyOf(kind: "preview" | "order") {
  const near = kind === "preview" ? previewBody : orderBody;
  return fc.oneof(
    { weight: 6, arbitrary: near.map((value) => JSON.stringify(value)) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 80 }) },
    {
      weight: 1,
      arbitrary: fc.tuple(near, fc.nat()).map(([value, cut]) => {
        const full = JSON.stringify(value);
        return full.slice(0, cut % Math.max(full.length, 1));
      }),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        "",
        "null",
        "[]",
        '"items"',
        "\ufeff{}",
        `{"items":${"[".repeat(5_000)}${"]".repeat(5_000)}}`,
        `{"__proto__":{"items":[]},"constructor":{"prototype":{}}}`,
        JSON.stringify({ ...PREVIEW, pad: "x".repeat(MAX_BODY) }),
        `{"items":[{"sku":"MUG-CERAMIC-BLUE","quantity":1}],"items":"again"}`,
      ),
    },
  );
}

/** Mostly the key the route wants (so fuzzed bodies get past authentication), sometimes anything. */
const authorization = (usual: "secret" | "publishable") =>
  fc.oneof(
    { weight: 16, arbitrary: fc.constant(`Bearer ${usual === "secret" ? SECRETS.secretKey : SECRETS.publishableKey}`) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        undefined,
        `Bearer ${SECRETS.secretKey}`,
        `Bearer ${SECRETS.publishableKey}`,
        `bearer ${SECRETS.secretKey}`,
        `Bearer  ${SECRETS.secretKey}`,
        `Bearer ${SECRETS.secretKey}x`,
        `Bearer ${SECRETS.secretKey.slice(0, -1)}`,
        `Bearer ${SECRETS.publishableKey},Bearer ${SECRETS.secretKey}`,
        "Bearer",
        "Bearer ",
        "Basic c2s6",
        SECRETS.secretKey,
        `Bearer ${quote}`,
      ),
    },
    { weight: 1, arbitrary: headerText },
    { weight: 1, arbitrary: headerText.map((value) => `Bearer ${value}`) },
  );

const contentType = fc.oneof(
  { weight: 10, arbitrary: fc.constant("application/json") },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      undefined,
      "application/json; charset=utf-8",
      "APPLICATION/JSON",
      "application/problem+json",
      "application/merge-patch+json",
      "application/jsonp",
      "text/plain",
      "text/json",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=xyz",
      "application/json; charset=utf-16",
      "",
    ),
  },
  { weight: 1, arbitrary: headerText },
);

const idempotencyKey = fc.oneof(
  fc.constant(undefined),
  fc.nat({ max: 20 }).map((n) => `fuzz-${n}`),
  fc.constantFrom("", " ", "x".repeat(255), "x".repeat(256), "a b", "café", "\t"),
  headerText,
);

const orderTokenHeader = () =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(undefined, orderToken) },
    { weight: 1, arbitrary: fc.constantFrom(`${orderToken}x`, orderToken.slice(0, -2), quote, "", "null") },
    { weight: 1, arbitrary: headerText },
  );

/** Mostly none (a server) or the allowed page (a browser), sometimes anything. */
const origin = (usual: "server" | "browser") =>
  fc.oneof(
    { weight: 12, arbitrary: fc.constant(usual === "server" ? undefined : "https://shop.example") },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        "https://shop.example",
        "https://shop.example/",
        "https://SHOP.example",
        "http://shop.example",
        "https://evil.example",
        "https://shop.example.evil.example",
        "null",
        "",
        "*",
      ),
    },
    { weight: 1, arbitrary: headerText },
  );

function headersOf(parts: {
  authorization?: string | undefined;
  contentType?: string | undefined;
  idempotencyKey?: string | undefined;
  orderToken?: string | undefined;
  origin?: string | undefined;
  requestId?: string | undefined;
}): Record<string, string> {
  const headers: Record<string, string> = {};
  const put = (name: string, value: string | undefined) => {
    if (value !== undefined) headers[name] = value;
  };
  put("authorization", parts.authorization);
  put("content-type", parts.contentType);
  put("idempotency-key", parts.idempotencyKey);
  put("x-order-token", parts.orderToken);
  put("origin", parts.origin);
  put("x-request-id", parts.requestId);
  return headers;
}

/** One path segment: the real order id, near misses, encodings that trip decoders, anything. */
const segment = () =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constant(orderId) },
    fc.constantFrom(
      `${orderId}x`,
      "mcf-0123456789abcdef0123456789abcdef",
      "x".repeat(40),
      "x".repeat(41),
      "..",
      ".",
      "%",
      "%zz",
      "%00",
      "%2F",
      "a%2Fb",
      "%E0%A4%A",
      "%C0%AF",
      "%F0%9F%92%A5",
      "😀",
      "0",
      "-1",
      "1e3",
      "01",
      "1",
      "9999999999",
      "99999999999",
      "a b",
      "a;b",
      "a?b=c",
    ),
    fc.string({ maxLength: 24 }).map(encodeURIComponent),
    fc.string({ maxLength: 24, unit: "grapheme" }).map(encodeURIComponent),
  );

const path = () =>
  fc
    .tuple(
      fc.oneof(
        fc.constantFrom("/v1/delivery-options", "/v1/orders"),
        segment().map((id) => `/v1/orders/${id}`),
        segment().map((id) => `/v1/orders/${id}/ship`),
        segment().map((id) => `/v1/orders/${id}/cancel`),
        fc.tuple(segment(), segment()).map(([id, n]) => `/v1/orders/${id}/packages/${n}`),
        fc.constantFrom(
          "/",
          "/v1",
          "/v1/",
          "/v2/orders",
          "/v1/orders/",
          "/v1/delivery-options/",
          "/V1/ORDERS",
          "/v1//orders",
          "/v1/orders/x/unknown",
          "/v1/admin/tenants",
          "/v1/health",
          "/openapi.json",
          "/widget.js",
          "/.env",
          "/%2e%2e/%2e%2e/etc/passwd",
        ),
        fc.string({ maxLength: 30 }).map((value) => `/${encodeURIComponent(value)}`),
      ),
      fc.oneof(
        { weight: 4, arbitrary: fc.constant("") },
        { weight: 1, arbitrary: fc.constantFrom("?", "?a=1&a=2", "?orderId=x", "?%zz", "#frag") },
      ),
    )
    .map(([route, query]) => route + query);

const method = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom("GET", "POST") },
  { weight: 1, arbitrary: fc.constantFrom("PUT", "PATCH", "DELETE", "HEAD", "OPTIONS") },
);

const RUN = { seed: SEED, numRuns: 200 } as const;

// ---- properties ----------------------------------------------------------------------------------------------------

describe("fuzzing the proxy over HTTP against the sandbox", () => {
  before(async () => {
    h = await startHarness({}, { deps: { clock: systemClock, resilience: { ratePlans: RATE_PLANS } } });
    const options = await h.request("/v1/delivery-options", { json: PREVIEW, key: "publishable" });
    assert.equal(options.status, 200, options.text);
    quote = options.body.options.find((option: Json) => option.speed === "Standard").quote;
    const order = await h.request("/v1/orders", { json: { quote, items: CART, address: US_ADDRESS, action: "Hold" } });
    assert.equal(order.status, 201, order.text);
    orderId = order.body.orderId;
    orderToken = order.body.orderToken;
  });
  after(() => h.close());

  test("POST /v1/delivery-options: fuzzed bodies, keys, content types and origins", async () => {
    await fc.assert(
      fc.asyncProperty(
        bodyOf("preview"),
        authorization("publishable"),
        contentType,
        origin("browser"),
        async (body, auth, type, from) => {
          await roundTrip({
            method: "POST",
            path: "/v1/delivery-options",
            headers: headersOf({ authorization: auth, contentType: type, origin: from }),
            body,
          });
        },
      ),
      RUN,
    );
  });

  test("POST /v1/orders: fuzzed bodies around a real quote, keys, Idempotency-Keys, origins", async () => {
    await fc.assert(
      fc.asyncProperty(
        bodyOf("order"),
        authorization("secret"),
        contentType,
        idempotencyKey,
        origin("server"),
        async (body, auth, type, key, from) => {
          await roundTrip({
            method: "POST",
            path: "/v1/orders",
            headers: headersOf({ authorization: auth, contentType: type, idempotencyKey: key, origin: from }),
            body,
          });
        },
      ),
      RUN,
    );
  });

  test("every route and none: fuzzed methods, paths, path parameters, order tokens and request ids", async () => {
    await fc.assert(
      fc.asyncProperty(
        method,
        path(),
        fc.oneof(authorization("secret"), authorization("publishable")),
        orderTokenHeader(),
        fc.oneof(origin("server"), origin("browser")),
        fc.option(headerText, { nil: undefined }),
        fc.option(bodyOf("order"), { nil: undefined }),
        async (verb, where, auth, token, from, requestId, body) => {
          await roundTrip({
            method: verb,
            path: where,
            headers: headersOf({
              authorization: auth,
              orderToken: token,
              origin: from,
              requestId,
              contentType: body === undefined ? undefined : "application/json",
            }),
            ...(body === undefined ? {} : { body }),
          });
        },
      ),
      { ...RUN, numRuns: 300 },
    );
  });

  test("valid-shaped previews and orders with edge values (unicode, limits, other countries) go all the way", async () => {
    const textOf = (max: number) =>
      fc.oneof(
        fc.string({ minLength: 1, maxLength: max }),
        fc.string({ minLength: 1, maxLength: max, unit: "grapheme" }),
        fc.constantFrom("x".repeat(max), " a ", "Ä", "東京都", "O'Brien & Sons <b>", "😀"),
      );
    const items = fc.array(
      fc.record({
        sku: fc.oneof(
          { weight: 4, arbitrary: fc.constantFrom("MUG-CERAMIC-BLUE", "TEE-ORGANIC-M", "LIMITED-PRINT-A3") },
          { weight: 1, arbitrary: fc.constantFrom("SOLDOUT-SNEAKER-42", "mug-ceramic-blue") },
          { weight: 1, arbitrary: textOf(50) },
        ),
        quantity: fc.integer({ min: 1, max: 60 }),
      }),
      { minLength: 1, maxLength: 4 },
    );
    const address = fc.record(
      {
        countryCode: fc.oneof(
          { weight: 5, arbitrary: fc.constant("US") },
          { weight: 1, arbitrary: fc.constantFrom("us", "JP", "GB", "DE", "CA", "AU", "FR", "ZZ", "AQ") },
        ),
        postalCode: fc.oneof(
          { weight: 3, arbitrary: fc.constantFrom("98101", "10001", "94105-1234") },
          { weight: 1, arbitrary: textOf(20) },
        ),
        stateOrRegion: textOf(50),
        city: textOf(50),
        line1: textOf(60),
        name: textOf(50),
      },
      { requiredKeys: ["countryCode", "postalCode"] },
    );
    const speeds = fc.option(fc.subarray(["Standard", "Expedited", "Priority"], { minLength: 1 }), { nil: undefined });
    await fc.assert(
      fc.asyncProperty(items, address, speeds, async (lines, to, wanted) => {
        const preview = { items: lines, address: to, ...(wanted ? { speeds: wanted } : {}) };
        const options = await roundTrip({
          method: "POST",
          path: "/v1/delivery-options",
          headers: headersOf({ authorization: `Bearer ${SECRETS.publishableKey}`, contentType: "application/json" }),
          body: JSON.stringify(preview),
        });
        if (options.status !== 200) return;
        const offered = (JSON.parse(options.text).options as Json[]).find((option) => option.quote);
        if (!offered) return;
        const full = {
          ...US_ADDRESS,
          ...to,
          city: to.city ?? "Somewhere",
          line1: to.line1 ?? "1 Main St",
          name: to.name ?? "Jo",
        };
        await roundTrip({
          method: "POST",
          path: "/v1/orders",
          headers: headersOf({ authorization: `Bearer ${SECRETS.secretKey}`, contentType: "application/json" }),
          body: JSON.stringify({ quote: offered.quote, items: lines, address: full }),
        });
      }),
      { ...RUN, numRuns: 150 },
    );
  });

  test("a body over the limit is 413 naming body, declared or streamed, and reaches nobody", async () => {
    const big = JSON.stringify({ ...PREVIEW, pad: "x".repeat(MAX_BODY) });
    const declared = await roundTrip({
      method: "POST",
      path: "/v1/delivery-options",
      headers: headersOf({ authorization: `Bearer ${SECRETS.publishableKey}`, contentType: "application/json" }),
      body: big,
    });
    assert.equal(declared.status, 413, declared.text);
    const streamed = await fetch(`${h.proxyUrl}/v1/orders`, {
      method: "POST",
      headers: { authorization: `Bearer ${SECRETS.secretKey}`, "content-type": "application/json" },
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(big));
          controller.close();
        },
      }),
      duplex: "half",
    } as RequestInit);
    const text = await streamed.text();
    assert.equal(streamed.status, 413, text);
    assert.equal(JSON.parse(text).errors[0].path, "body");
  });

  test("the fuzzed requests got past every check to real answers, not only to the first refusal", () => {
    const wanted = [
      "delivery-options 200",
      "delivery-options 400",
      "delivery-options 401",
      "delivery-options 403",
      "delivery-options 413",
      "delivery-options 415",
      "orders 201",
      "orders 400",
      "orders 401",
      "orders 403",
      "orders 404",
      "orders 415",
      "orders 422",
      "other 404",
    ];
    assert.deepEqual(
      wanted.filter((label) => !reached.has(label)),
      [],
      `reached: ${[...reached].sort().join(", ")}`,
    );
  });
});

// ---- fuzzed Amazon faults -------------------------------------------------------------------------------------------

describe("fuzzing Amazon's faults under valid requests", () => {
  let f: Harness;
  before(async () => {
    f = await startHarness(
      {},
      {
        sandbox: { random: seededRandom(SEED), catalog: BIG_STOCK, pageSize: 1_000 },
        deps: {
          clock: systemClock,
          resilience: {
            ratePlans: RATE_PLANS,
            policies: {
              preview: { timeoutMs: 150, maxRetries: 1 },
              createOrder: { timeoutMs: 150, maxRetries: 1 },
              getOrder: { timeoutMs: 100, maxRetries: 0 },
            },
            backoff: { baseMs: 5, maxMs: 20 },
            breaker: { openMs: 50 },
          },
        },
      },
    );
  });
  after(async () => {
    await setFaults(f, {});
    await f.close();
  });

  const RETRYABLE = new Set([502, 503, 504]);
  const rate = fc.constantFrom(0, 0, 0.25, 0.5, 1);
  const operationFaults = fc
    .record({
      // 200 ms outlasts every attempt's timeout: Amazon completes what the proxy gave up on.
      latencyMs: fc.constantFrom(0, 0, 30, 200),
      hangRate: rate,
      throttleRate: rate,
      unavailableRate: rate,
      errorRate: rate,
      malformedRate: rate,
      count: fc.integer({ min: 1, max: 3 }),
    })
    .map((entry) => {
      // The rates may add up to at most 1: scale them down when they do not.
      const rates = ["hangRate", "throttleRate", "unavailableRate", "errorRate", "malformedRate"] as const;
      const total = rates.reduce((sum, name) => sum + entry[name], 0);
      return total <= 1 ? entry : { ...entry, ...Object.fromEntries(rates.map((name) => [name, entry[name] / total])) };
    });
  const plan = fc.record(
    {
      getFulfillmentPreview: operationFaults,
      createFulfillmentOrder: operationFaults,
      getFulfillmentOrder: operationFaults,
    },
    { requiredKeys: [] },
  );

  test("a valid preview or order is answered, or refused with a retryable 5xx problem, never 4xx or 500; once Amazon recovers the same request succeeds, exactly once", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(plan, fc.constantFrom(1, 2, 3), async (faults, quantity) => {
        run++;
        const zip = `98${String(run % 1000).padStart(3, "0")}`;
        await setFaults(f, {});
        const preview = {
          items: [{ sku: BIG_SKU, quantity }],
          // A postal code of its own: a cache miss, so the preview's faults reach it.
          address: { countryCode: "US", postalCode: zip, name: `Fuzz ${run}` },
        };
        await setFaults(f, faults);
        const options = await faultedRoundTrip(f, "/v1/delivery-options", preview, {});
        assert.ok(
          options.status === 200 || RETRYABLE.has(options.status),
          `preview under ${JSON.stringify(faults)}: ${options.status} ${options.text}`,
        );
        let quote: string | undefined = options.status === 200 ? JSON.parse(options.text).options[0]?.quote : undefined;
        const body = () => ({
          quote,
          displayableOrderId: `FUZZ${SEED % 10_000}R${run}`,
          items: [{ sku: BIG_SKU, quantity }],
          address: { ...US_ADDRESS, postalCode: zip, name: `Fuzz ${run}` },
        });
        const key = { "idempotency-key": `faulted-${run}` };
        if (quote) {
          const order = await faultedRoundTrip(f, "/v1/orders", body(), key);
          assert.ok(
            order.status === 201 || RETRYABLE.has(order.status),
            `order under ${JSON.stringify(faults)}: ${order.status} ${order.text}`,
          );
        }
        // Amazon recovers: the same requests succeed (a breaker may still be open for a moment).
        await setFaults(f, {});
        if (!quote) {
          const again = await retried(() => faultedRoundTrip(f, "/v1/delivery-options", preview, {}), 200);
          quote = JSON.parse(again.text).options[0].quote;
        }
        const placed = await retried(() => faultedRoundTrip(f, "/v1/orders", body(), key), 201);
        const orderId = JSON.parse(placed.text).orderId;
        const book = (await amazonOrders(f)).filter((order) => order.displayableOrderId === body().displayableOrderId);
        assert.deepEqual(
          book.map((order) => order.sellerFulfillmentOrderId),
          [orderId],
          `exactly one Amazon order, the one told, under ${JSON.stringify(faults)}`,
        );
      }),
      { seed: SEED, numRuns: 10 },
    );
  });
});

/** The same request until it gets `status` (at most 40 tries, 50 ms apart): Amazon has recovered by then. */
async function retried(attempt: () => Promise<Answer>, status: number): Promise<Answer> {
  let last: Answer | undefined;
  for (let tries = 0; tries < 40; tries++) {
    last = await attempt();
    if (last.status === status) return last;
    assert.ok(last.status >= 500, `a definite ${last.status} after Amazon recovered: ${last.text}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail(`still ${last?.status} ${last?.text}`);
}

const BIG_SKU = "FUZZ-FAULTS-MUG";
const BIG_STOCK = { products: [{ sku: BIG_SKU, name: "Fuzz mug", stock: { US: 100_000 } }] };

async function setFaults(harness: Harness, plan: object): Promise<void> {
  const response = await fetch(`${harness.sandboxUrl}/_sandbox/faults`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(plan),
  });
  assert.equal(response.status, 200, await response.text());
}

/** A valid request while Amazon may fail: any error is a problem+json whose status is the answer's. */
async function faultedRoundTrip(
  harness: Harness,
  path: string,
  json: unknown,
  headers: Record<string, string>,
): Promise<Answer> {
  const key = path === "/v1/orders" ? SECRETS.secretKey : SECRETS.publishableKey;
  const answer = await send(
    {
      method: "POST",
      path,
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...headers },
      body: JSON.stringify(json),
    },
    harness,
  );
  if (answer.status >= 400) {
    assert.match(answer.headers.get("content-type") ?? "", /^application\/problem\+json/, answer.text);
    assert.equal(JSON.parse(answer.text).status, answer.status, answer.text);
  }
  return answer;
}

/** Every order Amazon (the sandbox) holds for the dev seller, from its list operation. */
async function amazonOrders(
  harness: Harness,
): Promise<{ sellerFulfillmentOrderId: string; displayableOrderId: string }[]> {
  const access_token = await devAccessToken(harness.sandboxUrl);
  const list = await fetch(`${harness.sandboxUrl}/fba/outbound/2020-07-01/fulfillmentOrders`, {
    headers: { "x-amz-access-token": access_token },
  });
  assert.equal(list.status, 200);
  const { payload } = (await list.json()) as Json;
  assert.equal(payload.nextToken, undefined, "one page");
  return payload.fulfillmentOrders;
}
