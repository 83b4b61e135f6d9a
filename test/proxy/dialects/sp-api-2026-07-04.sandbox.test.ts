// The 2026-07-04 dialect against a real sandbox over real HTTP, with real LWA tokens: previews, Scheduled Delivery
// with a chosen window, holds, cancels, the 202 path, tracking from packages, malformed answers, one seller state.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTokenProvider } from "../../../proxy/dialects/lwa.ts";
import { createSpApi20260704 } from "../../../proxy/dialects/sp-api-2026-07-04/index.ts";
import { MALFORMED_ANSWER, type NewOrder } from "../../../proxy/fulfillment/model.ts";
import { DEV_CREDENTIALS, manualClock } from "../../../sandbox/index.ts";
import { type RunningSandbox, startSandbox } from "../../helpers/sandbox-server.ts";
import { JP, US, US_ADDRESS } from "../fixtures.ts";
import { upstreamError } from "./sp-api-2026-07-04.support.ts";

const JP_ADDRESS = {
  name: "山田 太郎",
  line1: "1-2-3 Shimomeguro",
  stateOrRegion: "Tokyo",
  postalCode: "153-0064",
  countryCode: "JP",
  phone: "03-1234-5678",
};

let sandbox: RunningSandbox;
let dialect: ReturnType<typeof createSpApi20260704>;
const clock = manualClock(Date.parse("2026-12-01T01:00:00Z"));

before(async () => {
  sandbox = await startSandbox({ clock, throttle: false, tokenLifetimeSeconds: 365 * 86_400 });
  const tokens = createTokenProvider({ credentials: DEV_CREDENTIALS, tokenUrl: `${sandbox.url}/auth/o2/token` });
  dialect = createSpApi20260704({ baseUrl: sandbox.url, tokens });
});
after(() => sandbox.close());

let counter = 0;
function newOrder(overrides: Partial<NewOrder> = {}): NewOrder {
  counter += 1;
  return {
    orderId: `mcf-2026-${counter}`,
    marketplaceId: US,
    displayableOrderId: `SHOP-${counter}`,
    orderDate: "2026-12-01T00:30:00Z",
    comment: "Thank you for your order",
    speed: "Standard",
    address: US_ADDRESS,
    action: "Ship",
    policy: "FillOrKill",
    items: [{ sku: "MUG-CERAMIC-BLUE", lineId: "1", quantity: 1, displayableComment: "Blue one" }],
    ...overrides,
  };
}

/** The sandbox-only updateOrderStatus, as a test moves an order along. */
async function moveOrder(orderId: string, status: string): Promise<void> {
  const token = await createTokenProvider({
    credentials: DEV_CREDENTIALS,
    tokenUrl: `${sandbox.url}/auth/o2/token`,
  }).getAccessToken();
  const response = await fetch(`${sandbox.url}/fulfillment/outbound/2026-07-04/orders/${orderId}/status`, {
    method: "PUT",
    headers: { "x-amz-access-token": token, "content-type": "application/json" },
    body: JSON.stringify({ status }),
  });
  assert.equal(response.status, 204);
}

describe("2026-07-04 dialect against the sandbox", () => {
  test("a US preview: every speed with fees and dates; an unknown SKU is unfulfillable", async () => {
    const { data } = await dialect.preview({
      marketplaceId: US,
      address: US_ADDRESS,
      items: [{ sku: "MUG-CERAMIC-BLUE", quantity: 2 }],
    });
    assert.deepEqual(
      data.previews.map((p) => [p.speed, p.fulfillable]),
      [
        ["Standard", true],
        ["Expedited", true],
        ["Priority", true],
      ],
    );
    const standard = data.previews[0];
    assert.ok(standard && standard.fees.length > 0);
    assert.ok(standard.shipments[0]?.arrival.earliest && standard.shipments[0].ship.latest);
    const missing = await dialect.preview({
      marketplaceId: US,
      address: US_ADDRESS,
      items: [
        { sku: "MUG-CERAMIC-BLUE", quantity: 1 },
        { sku: "NOPE", quantity: 1 },
      ],
      speeds: ["Standard"],
    });
    assert.deepEqual(missing.data.previews[0]?.unfulfillable, [{ sku: "NOPE", quantity: 1, reasons: ["InvalidSKU"] }]);
    assert.equal(missing.data.previews[0]?.fulfillable, false);
  });

  test("JP Scheduled Delivery: windows in Asia/Tokyo, an order for a chosen window reads back with it", async () => {
    const { data } = await dialect.preview({
      marketplaceId: JP,
      address: JP_ADDRESS,
      items: [{ sku: "MATCHA-TIN-100G", quantity: 1 }],
      speeds: ["ScheduledDelivery"],
      deliveryWindows: true,
    });
    const scheduled = data.previews[0];
    assert.equal(scheduled?.timeZone, "Asia/Tokyo");
    const window = scheduled?.deliveryWindows?.[1];
    assert.ok(window, "windows offered");
    const order = newOrder({
      marketplaceId: JP,
      address: JP_ADDRESS,
      speed: "ScheduledDelivery",
      deliveryWindow: window,
      items: [{ sku: "MATCHA-TIN-100G", lineId: "1", quantity: 1 }],
    });
    assert.deepEqual((await dialect.createOrder(order)).data, { confirmed: true });
    const read = (await dialect.getOrder(order.orderId)).data;
    assert.deepEqual(
      [read.speed, read.marketplaceId, read.status, read.displayableOrderId],
      ["ScheduledDelivery", JP, "Processing", order.displayableOrderId],
    );
    assert.deepEqual(
      [Date.parse(read.deliveryWindow?.start ?? ""), Date.parse(read.deliveryWindow?.end ?? "")],
      [Date.parse(window.start), Date.parse(window.end)],
    );
  });

  test("hold, release, cancel; refusals from Amazon come back as 400s", async () => {
    const held = newOrder({ action: "Hold" });
    await dialect.createOrder(held);
    assert.equal((await dialect.getOrder(held.orderId)).data.action, "Hold");
    await dialect.releaseHold(held.orderId);
    assert.equal((await dialect.getOrder(held.orderId)).data.action, "Ship");
    const again = await upstreamError(dialect.releaseHold(held.orderId));
    assert.equal(again.status, 400);
    const cancelled = newOrder({ action: "Hold" });
    await dialect.createOrder(cancelled);
    await dialect.cancelOrder(cancelled.orderId);
    assert.equal((await dialect.getOrder(cancelled.orderId)).data.status, "Cancelled");
    const duplicate = await upstreamError(dialect.createOrder(cancelled));
    assert.equal(duplicate.status, 400);
    const unknown = await upstreamError(dialect.getOrder("no-such-order"));
    assert.deepEqual([unknown.status, unknown.errors[0]?.code], [404, "NotFound"]);
  });

  test("an order Amazon only accepted (202) is not confirmed, and reads back with a status", async () => {
    const order = newOrder({ orderId: "async-order-1" });
    assert.deepEqual((await dialect.createOrder(order)).data, { confirmed: false });
    assert.equal((await dialect.getOrder(order.orderId)).data.status, "Processing");
  });

  test("tracking comes from the order's package: status and carrier, no events, and why", async () => {
    const order = newOrder();
    await dialect.createOrder(order);
    await moveOrder(order.orderId, "COMPLETE");
    const read = (await dialect.getOrder(order.orderId)).data;
    assert.equal(read.status, "Complete");
    const pkg = read.shipments[0]?.packages[0];
    assert.ok(pkg?.trackingNumber, "a package with a tracking number");
    const tracking = (await dialect.getTracking(read, pkg.packageNumber)).data;
    assert.deepEqual(
      [tracking.packageNumber, tracking.trackingNumber, tracking.carrier, tracking.status, tracking.events],
      [pkg.packageNumber, pkg.trackingNumber, pkg.carrier, "IN_TRANSIT", []],
    );
    assert.match(tracking.eventsUnavailable ?? "", /2026-07-04/);
  });

  test("a truncated answer is a retryable 502 MalformedAnswer", async () => {
    const order = newOrder();
    await dialect.createOrder(order);
    sandbox.app.sandbox.faults.replace({ getFulfillmentOrder: { malformedRate: 1, count: 1 } });
    const error = await upstreamError(dialect.getOrder(order.orderId));
    assert.deepEqual([error.status, error.retryable, error.errors[0]?.code], [502, true, MALFORMED_ANSWER]);
    assert.equal((await dialect.getOrder(order.orderId)).data.orderId, order.orderId, "the next answer is whole");
  });

  test("one seller state: an order placed through 2020-07-01 is read through 2026-07-04", async () => {
    const token = await createTokenProvider({
      credentials: DEV_CREDENTIALS,
      tokenUrl: `${sandbox.url}/auth/o2/token`,
    }).getAccessToken();
    const response = await fetch(`${sandbox.url}/fba/outbound/2020-07-01/fulfillmentOrders`, {
      method: "POST",
      headers: { "x-amz-access-token": token, "content-type": "application/json" },
      body: JSON.stringify({
        sellerFulfillmentOrderId: "legacy-1",
        displayableOrderId: "LEGACY-1",
        displayableOrderDate: "2026-12-01T00:00:00Z",
        displayableOrderComment: "From 2020",
        shippingSpeedCategory: "Expedited",
        destinationAddress: {
          name: "Jo Doe",
          addressLine1: "1 Pike St",
          city: "Seattle",
          stateOrRegion: "WA",
          postalCode: "98101",
          countryCode: "US",
        },
        items: [{ sellerSku: "MUG-CERAMIC-BLUE", sellerFulfillmentOrderItemId: "1", quantity: 3 }],
      }),
    });
    assert.equal(response.status, 200);
    const read = (await dialect.getOrder("legacy-1")).data;
    assert.deepEqual(
      [read.displayableOrderId, read.speed, read.items[0]?.quantity, read.marketplaceId],
      ["LEGACY-1", "Expedited", 3, US],
    );
  });

  test("checkHealth: ok with the sandbox's credentials, down with others", async () => {
    assert.deepEqual(await dialect.checkHealth(), { status: "ok" });
    const wrong = createSpApi20260704({
      baseUrl: sandbox.url,
      tokens: createTokenProvider({
        credentials: { ...DEV_CREDENTIALS, clientSecret: "wrong" },
        tokenUrl: `${sandbox.url}/auth/o2/token`,
      }),
    });
    assert.equal((await wrong.checkHealth()).status, "down");
  });
});
