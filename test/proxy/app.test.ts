// createApp in-process with a scripted upstream: the order paths a live sandbox cannot easily produce.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createApp } from "../../proxy/app.ts";
import { memoryIdempotencyStore } from "../../proxy/idempotency/index.ts";
import type { FulfillmentUpstream, GetFulfillmentOrderResult } from "../../proxy/upstream/types.ts";
import { UpstreamError } from "../../proxy/upstream/types.ts";
import { manualClock, ONE_SPEED_PREVIEW, SECRETS, testConfig } from "./fixtures.ts";

const PREVIEW = ONE_SPEED_PREVIEW;

function existing(orderId: string, sku = "A"): GetFulfillmentOrderResult {
  return {
    fulfillmentOrder: {
      sellerFulfillmentOrderId: orderId,
      marketplaceId: "ATVPDKIKX0DER",
      displayableOrderId: orderId,
      displayableOrderDate: "2026-03-02T10:00:00Z",
      displayableOrderComment: "x",
      shippingSpeedCategory: "Standard",
      destinationAddress: {
        name: "Jo",
        addressLine1: "1 Main",
        city: "Seattle",
        postalCode: "98101",
        countryCode: "US",
      },
      fulfillmentAction: "Ship",
      receivedDate: "2026-03-02T10:00:00Z",
      fulfillmentOrderStatus: "Planning",
      statusUpdatedDate: "2026-03-02T10:00:00Z",
    },
    fulfillmentOrderItems: [
      {
        sellerSku: sku,
        sellerFulfillmentOrderItemId: "1",
        quantity: 1,
        cancelledQuantity: 0,
        unfulfillableQuantity: 0,
      },
    ],
    returnItems: [],
    returnAuthorizations: [],
  };
}

/** An upstream whose create "times out" after Amazon stored the order; reads find it. */
function scripted(options: {
  createError: UpstreamError;
  stored?: (id: string) => GetFulfillmentOrderResult | undefined;
}) {
  const calls: string[] = [];
  const upstream: FulfillmentUpstream = {
    dialect: "scripted",
    async getFulfillmentPreview() {
      calls.push("preview");
      return { data: PREVIEW, meta: { status: 200 } };
    },
    async createFulfillmentOrder(body) {
      calls.push(`create ${body.sellerFulfillmentOrderId}`);
      throw options.createError;
    },
    async getFulfillmentOrder(id) {
      calls.push(`get ${id}`);
      const found = options.stored?.(id);
      if (!found) {
        throw new UpstreamError({
          operation: "getFulfillmentOrder",
          status: 400,
          message: "not found",
          errors: [{ code: "InvalidInput", message: "Requested order not found" }],
        });
      }
      return { data: found, meta: { status: 200 } };
    },
    updateFulfillmentOrder: async () => ({ data: null, meta: { status: 200 } }),
    cancelFulfillmentOrder: async () => ({ data: null, meta: { status: 200 } }),
    getPackageTrackingDetails: async () => ({ data: { packageNumber: 1 }, meta: { status: 200 } }),
  };
  return { upstream, calls };
}

async function orderFlow(upstream: FulfillmentUpstream) {
  const config = testConfig();
  // No retries of the create: the read-back path itself is under test.
  config.resilience = { ...config.resilience, policies: { createFulfillmentOrder: { maxRetries: 0 } } };

  const app = createApp(config, {
    upstream,
    clock: manualClock(),
    logger: { log() {} },
    stores: { idempotency: memoryIdempotencyStore() },
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
    const { upstream, calls } = scripted({
      createError: new UpstreamError({ operation: "createFulfillmentOrder", status: 0, message: "Amazon timed out" }),
      stored: (id) => existing(id),
    });
    const response = await orderFlow(upstream);
    assert.equal(response.status, 201, await response.clone().text());
    const body = (await response.json()) as { orderId: string; status: string };
    assert.equal(body.status, "Planning");
    assert.deepEqual(calls.slice(1), [`create ${body.orderId}`, `get ${body.orderId}`]);
  });

  test("a timed-out create that Amazon never stored fails as a gateway timeout", async () => {
    const { upstream } = scripted({
      createError: new UpstreamError({
        operation: "createFulfillmentOrder",
        status: 0,
        message: "Amazon timed out after 10 ms",
      }),
    });
    const response = await orderFlow(upstream);
    assert.equal(response.status, 504);
    assert.equal(response.headers.get("content-type"), "application/problem+json");
  });

  test("Amazon's other 4xx are not read back but reported with Amazon's messages", async () => {
    const { upstream, calls } = scripted({
      createError: new UpstreamError({
        operation: "createFulfillmentOrder",
        status: 400,
        message: "x",
        errors: [{ code: "InvalidInput", message: "Invalid postalCode for US" }],
        amznRequestId: "amzn-7",
      }),
      stored: (id) => existing(id),
    });
    const response = await orderFlow(upstream);
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
    const store = memoryIdempotencyStore({ clock, maxEntries: 2 });
    const record = { bodyDigest: "d", status: 201, body: {} };
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
});
