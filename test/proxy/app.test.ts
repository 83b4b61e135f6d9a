// createApp in-process with a scripted upstream: the order paths a live sandbox cannot easily produce.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createApp } from "../../proxy/app.ts";
import { type FulfillmentDialect, type Order, UpstreamError } from "../../proxy/fulfillment/model.ts";
import { createMemoryStore } from "../../proxy/stores/memory.ts";
import { fakeDialect, manualClock, ONE_SPEED_PREVIEW, SECRETS, testConfig } from "./fixtures.ts";

function existing(orderId: string, sku = "A"): Order {
  return {
    orderId,
    marketplaceId: "ATVPDKIKX0DER",
    displayableOrderId: orderId,
    speed: "Standard",
    action: "Ship",
    status: "Planning",
    receivedAt: "2026-03-02T10:00:00Z",
    statusUpdatedAt: "2026-03-02T10:00:00Z",
    address: { name: "Jo", line1: "1 Main", city: "Seattle", postalCode: "98101", countryCode: "US" },
    cashOnDelivery: false,
    items: [{ sku, lineId: "1", quantity: 1, cancelledQuantity: 0, unfulfillableQuantity: 0 }],
    shipments: [],
  };
}

/** A dialect whose create "times out" after Amazon stored the order; reads find it. */
function scripted(options: { createError: UpstreamError; stored?: (id: string) => Order | undefined }) {
  const calls: string[] = [];
  const dialect = fakeDialect({
    async preview() {
      calls.push("preview");
      return { data: ONE_SPEED_PREVIEW, meta: { status: 200 } };
    },
    async createOrder(order) {
      calls.push(`create ${order.orderId}`);
      throw options.createError;
    },
    async getOrder(id) {
      calls.push(`get ${id}`);
      const found = options.stored?.(id);
      if (!found) {
        throw new UpstreamError({
          operation: "getOrder",
          status: 400,
          message: "not found",
          errors: [{ code: "InvalidInput", message: "Requested order not found" }],
        });
      }
      return { data: found, meta: { status: 200 } };
    },
  });
  return { dialect, calls };
}

async function orderFlow(dialect: FulfillmentDialect) {
  const config = testConfig();
  // No retries of the create: the read-back path itself is under test.
  config.resilience = { ...config.resilience, policies: { createOrder: { maxRetries: 0 } } };

  const app = createApp(config, {
    dialect,
    clock: manualClock(),
    logger: { log() {} },
    stores: { idempotency: createMemoryStore({ maxEntries: 100 }) },
  });
  const headers = { "content-type": "application/json", authorization: `Bearer ${SECRETS.secretKey}` };
  const items = [{ sku: "A", quantity: 1 }];
  const options = await app.request("/v1/delivery-options", {
    method: "POST",
    headers,
    body: JSON.stringify({ items, address: { countryCode: "US", postalCode: "98101" } }),
  });
  const { options: list } = (await options.json()) as { options: { quote: string }[] };
  assert.ok(list, "delivery options answered");
  return app.request("/v1/orders", {
    method: "POST",
    headers,
    body: JSON.stringify({
      quote: list[0]!.quote,
      items,
      address: { name: "Jo", line1: "1 Main", city: "Seattle", postalCode: "98101", countryCode: "US" },
    }),
  });
}

describe("order creation when Amazon's answer is lost", () => {
  test("a timed-out create whose order Amazon stored is read back and succeeds", async () => {
    const { dialect, calls } = scripted({
      createError: new UpstreamError({ operation: "createOrder", status: 0, message: "Amazon timed out" }),
      stored: (id) => existing(id),
    });
    const response = await orderFlow(dialect);
    assert.equal(response.status, 201, await response.clone().text());
    const body = (await response.json()) as { orderId: string; status: string };
    assert.equal(body.status, "Planning");
    assert.deepEqual(calls.slice(1), [`create ${body.orderId}`, `get ${body.orderId}`]);
  });

  test("a timed-out create that Amazon never stored fails as a gateway timeout", async () => {
    const { dialect } = scripted({
      createError: new UpstreamError({
        operation: "createOrder",
        status: 0,
        message: "Amazon timed out after 10 ms",
      }),
    });
    const response = await orderFlow(dialect);
    assert.equal(response.status, 504);
    assert.equal(response.headers.get("content-type"), "application/problem+json");
  });

  test("Amazon's other 4xx are not read back but reported with Amazon's messages", async () => {
    const { dialect, calls } = scripted({
      createError: new UpstreamError({
        operation: "createOrder",
        status: 400,
        message: "x",
        errors: [{ code: "InvalidInput", message: "Invalid postalCode for US" }],
        amznRequestId: "amzn-7",
      }),
      stored: (id) => existing(id),
    });
    const response = await orderFlow(dialect);
    const problem = (await response.json()) as { status: number; amznRequestId: string; errors: { path: string }[] };
    assert.equal(problem.status, 422);
    assert.equal(problem.amznRequestId, "amzn-7");
    assert.equal(problem.errors[0]?.path, "address.postalCode");
    assert.equal(calls.filter((call) => call.startsWith("get")).length, 0);
  });
});

describe("idempotency store", () => {
  test("records expire and the store stays bounded", async () => {
    const clock = manualClock();
    const store = createMemoryStore({ clock, maxEntries: 2 });
    const record = { state: "done", digest: "d", status: 201, body: {} };
    await store.set("a", record, 1000);
    assert.deepEqual(await store.get("a"), record);
    clock.advance(1000);
    assert.equal(await store.get("a"), undefined);
    await store.set("b", record, 1000);
    await store.set("c", record, 1000);
    await store.set("d", record, 1000);
    assert.equal(await store.get("b"), undefined, "oldest entry evicted");
    assert.deepEqual(await store.get("d"), record);
  });

  test("an in-flight marker is put only once; a second request sees it until it is replaced", async () => {
    const store = createMemoryStore({ maxEntries: 10 });
    type IdempotencyRecord = { state: string; digest: string; status?: number; body?: object };
    const marker: IdempotencyRecord = { state: "in-flight", digest: "d" };
    assert.equal(await store.putIfAbsent("k", marker, 1000), undefined);
    assert.deepEqual(await store.putIfAbsent("k", { state: "in-flight", digest: "other" }, 1000), marker);
    const done: IdempotencyRecord = { state: "done", digest: "d", status: 201, body: {} };
    const other: IdempotencyRecord = { state: "in-flight", digest: "other" };
    assert.equal(await store.compareAndSet("k", other, done, 1000), false);
    assert.equal(await store.compareAndSet("k", marker, done, 1000), true);
    assert.deepEqual(await store.get("k"), done);
  });
});
