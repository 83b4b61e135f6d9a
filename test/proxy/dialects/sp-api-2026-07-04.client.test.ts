// The 2026-07-04 client against MSW-mocked Amazon endpoints: paths, methods, bodies, headers, and how answers and
// failures come back (202, errors, malformed bodies, refusals that never reach Amazon).
import assert from "node:assert/strict";
import { after, afterEach, before, describe, test } from "node:test";
import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import type { TokenProvider } from "../../../proxy/dialects/lwa.ts";
import { createSpApi20260704 } from "../../../proxy/dialects/sp-api-2026-07-04/index.ts";
import {
  MALFORMED_ANSWER,
  type NewOrder,
  OPERATIONS,
  type Order,
  UnsupportedByDialect,
} from "../../../proxy/fulfillment/model.ts";
import { US, US_ADDRESS } from "../fixtures.ts";
import { upstreamError } from "./sp-api-2026-07-04.support.ts";

const AMAZON = "http://127.0.0.1:3";
const BASE = `${AMAZON}/fulfillment/outbound/2026-07-04`;

const server = setupServer();
before(() => server.listen());
afterEach(() => server.resetHandlers());
after(() => server.close());

const tokens: TokenProvider = { getAccessToken: async () => "Atza|test", invalidate: async () => {} };
const dialect = createSpApi20260704({ baseUrl: AMAZON, tokens });

interface Seen {
  method: string;
  path: string;
  token: string | null;
  body: unknown;
}

/** Answers every call with `reply` and records what was sent. */
function amazon(reply: (seen: Seen) => Response): Seen[] {
  const seen: Seen[] = [];
  server.use(
    http.all(`${BASE}/*`, async ({ request }) => {
      const text = await request.text();
      const entry = {
        method: request.method,
        path: new URL(request.url).pathname.replace("/fulfillment/outbound/2026-07-04", ""),
        token: request.headers.get("x-amz-access-token"),
        body: text ? JSON.parse(text) : undefined,
      };
      seen.push(entry);
      return reply(entry);
    }),
  );
  return seen;
}

const order: NewOrder = {
  orderId: "mcf-1",
  marketplaceId: US,
  displayableOrderId: "SHOP-1",
  orderDate: "2026-12-01T10:00:00Z",
  comment: "",
  speed: "Standard",
  address: US_ADDRESS,
  action: "Ship",
  policy: "FillOrKill",
  items: [{ sku: "MUG", lineId: "1", quantity: 1 }],
};
const wireOrder = {
  orderId: "mcf-1",
  receiveTime: "2026-12-01T10:00:00Z",
  status: "PROCESSING",
  destination: {
    deliveryAddress: { name: "Jo", addressLine1: "1 Pike St", postalCode: "98101", countryCode: "US" },
  },
  lineItems: [{ lineItemId: "1", product: { productIdentifier: { amazonSku: "MUG" } }, amount: { value: "1" } }],
};
const json = (body: unknown, status = 200) =>
  HttpResponse.json(body as Record<string, unknown>, { status, headers: { "x-amzn-RequestId": "req-1" } });

describe("SP-API 2026-07-04 client", () => {
  test("names itself and has a rate plan for every model operation, as the model states them", () => {
    assert.equal(dialect.name, "2026-07-04");
    assert.deepEqual(Object.keys(dialect.ratePlans).sort(), [...OPERATIONS].sort());
    for (const plan of Object.values(dialect.ratePlans)) assert.deepEqual(plan, { ratePerSecond: 2, burst: 30 });
  });

  test("preview: POST /previews with the access token, no payload envelope either way", async () => {
    const seen = amazon(() =>
      json({
        plannedShipments: [
          {
            items: [{ productIdentifier: { amazonSku: "MUG" }, amount: { unit: "EACHES", value: "1.0" } }],
            offers: [{ fulfillmentConfiguration: { serviceLevel: { serviceTier: "STANDARD" } } }],
          },
        ],
      }),
    );
    const result = await dialect.preview({
      marketplaceId: US,
      address: US_ADDRESS,
      items: [{ sku: "MUG", quantity: 1 }],
    });
    assert.deepEqual(
      seen.map((s) => [s.method, s.path, s.token]),
      [["POST", "/previews", "Atza|test"]],
    );
    assert.deepEqual((seen[0]?.body as { origin?: unknown } | undefined)?.origin, { countryCode: "US" });
    assert.equal(result.meta.amznRequestId, "req-1");
    assert.deepEqual(
      result.data.previews.map((p) => [p.speed, p.fulfillable]),
      [["Standard", true]],
    );
  });

  test("createOrder: 200 is confirmed, 202 is accepted only", async () => {
    let status = 200;
    const seen = amazon(() =>
      status === 200 ? json({ order: wireOrder }) : json({ orderId: "mcf-1", status: "PROCESSING" }, 202),
    );
    assert.deepEqual((await dialect.createOrder(order)).data, { confirmed: true });
    status = 202;
    assert.deepEqual((await dialect.createOrder(order)).data, { confirmed: false });
    assert.deepEqual(
      seen.map((s) => [s.method, s.path]),
      [
        ["POST", "/orders"],
        ["POST", "/orders"],
      ],
    );
    assert.equal((seen[0]?.body as { orderId?: string } | undefined)?.orderId, "mcf-1");
  });

  test("a 2xx body that does not fit the model is a 502 MalformedAnswer, retryable", async () => {
    for (const [reply, operation] of [
      [() => json({ orderId: "mcf-1" }, 202), () => dialect.createOrder(order)],
      [() => json({ order: { ...wireOrder, status: "DONE" } }), () => dialect.getOrder("mcf-1")],
      [
        () => new HttpResponse('{"plannedShipments": [', { status: 200 }),
        () => dialect.preview({ marketplaceId: US, address: US_ADDRESS, items: [{ sku: "MUG", quantity: 1 }] }),
      ],
    ] as const) {
      server.resetHandlers();
      amazon(reply);
      const error = await upstreamError(operation());
      assert.equal(error.status, 502);
      assert.equal(error.retryable, true);
      assert.equal(error.errors[0]?.code, MALFORMED_ANSWER);
    }
  });

  test("Amazon's errors come back as UpstreamErrors with its codes and request id", async () => {
    amazon(() => json({ errors: [{ code: "InvalidInput", message: "lineItems[0] is bad", details: "" }] }, 400));
    const error = await upstreamError(dialect.getOrder("mcf-1"));
    assert.deepEqual(
      [error.status, error.operation, error.retryable, error.amznRequestId],
      [400, "getOrder", false, "req-1"],
    );
    assert.equal(error.errors[0]?.code, "InvalidInput");
  });

  test("releaseHold, cancelOrder: PUT with the action, 202 with no body needed", async () => {
    const seen = amazon(() => json({}, 202));
    await dialect.releaseHold("mcf 1");
    await dialect.cancelOrder("mcf 1");
    assert.deepEqual(
      seen.map((s) => [s.method, s.path, s.body]),
      [
        ["PUT", "/orders/mcf%201", { fulfillmentConfiguration: { action: "SHIP" } }],
        ["PUT", "/orders/mcf%201/cancel", undefined],
      ],
    );
  });

  test("getOrder maps the order; getTracking reads it again for its package", async () => {
    const shipped = {
      ...wireOrder,
      shipments: [
        {
          amazonShipmentId: "S1",
          amazonFacility: { facilityId: "PHX7" },
          status: "SHIPPED",
          items: [{ productIdentifier: { amazonSku: "MUG" }, lineItemId: "1", amount: { value: "1" }, packageId: "4" }],
          packages: [{ packageId: "4", status: "IN_TRANSIT", tracking: { carrier: { carrierCode: "UPS" } } }],
        },
      ],
    };
    const seen = amazon(() => json({ order: shipped }));
    const result: Order = (await dialect.getOrder("mcf-1")).data;
    assert.equal(result.shipments[0]?.packages[0]?.packageNumber, 4);
    const tracking = await dialect.getTracking(result, 4);
    assert.deepEqual([tracking.data.status, tracking.data.carrier, tracking.data.events], ["IN_TRANSIT", "UPS", []]);
    assert.match(tracking.data.eventsUnavailable ?? "", /no carrier tracking events/);
    const missing = await upstreamError(dialect.getTracking(result, 5));
    assert.deepEqual([missing.status, missing.retryable, missing.operation], [404, false, "getTracking"]);
    assert.deepEqual(
      seen.map((s) => [s.method, s.path]),
      [
        ["GET", "/orders/mcf-1"],
        ["GET", "/orders/mcf-1"],
        ["GET", "/orders/mcf-1"],
      ],
    );
  });

  test("what 2026-07-04 cannot do is refused before anything is sent", async () => {
    const seen = amazon(() => json({}));
    await assert.rejects(
      dialect.createOrder({ ...order, notificationEmails: ["a@example.com"] }),
      (error: unknown) => error instanceof UnsupportedByDialect && error.path === "notificationEmails",
    );
    await assert.rejects(
      dialect.preview({
        marketplaceId: US,
        address: US_ADDRESS,
        items: [{ sku: "MUG", quantity: 1 }],
        cashOnDelivery: true,
      }),
      (error: unknown) => error instanceof UnsupportedByDialect && error.path === "cashOnDelivery",
    );
    assert.equal(seen.length, 0);
  });

  test("checkHealth is an LWA token", async () => {
    assert.deepEqual(await dialect.checkHealth(), { status: "ok" });
    const failing = createSpApi20260704({
      baseUrl: AMAZON,
      tokens: {
        getAccessToken: async () => {
          throw new Error("LWA rejected the credentials");
        },
        invalidate: async () => {},
      },
    });
    assert.deepEqual(await failing.checkHealth(), { status: "down", reason: "LWA rejected the credentials" });
  });
});
