// The MWS dialect against a real sandbox over real HTTP: the signer meets the sandbox's own verification, and the
// fulfillment model round-trips through MWS onto the seller state SP-API sees.
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import { createMws20101001 } from "../../../proxy/dialects/mws-2010-10-01/index.ts";
import { MALFORMED_ANSWER, type NewOrder } from "../../../proxy/fulfillment/model.ts";
import { DEV_MWS_KEYS, DEV_MWS_SELLER_ID } from "../../../sandbox/auth/mws.ts";
import { manualClock } from "../../../sandbox/index.ts";
import { type RunningSandbox, startSandbox } from "../../helpers/sandbox-server.ts";
import { rejection } from "./mws-2010-10-01.support.ts";

const US = "ATVPDKIKX0DER";
const JP = "A1VC38T7YXB528";
const DAY = 86_400_000;
const US_ADDRESS = {
  name: "Jane Doe",
  line1: "410 Terry Ave N",
  city: "Seattle",
  stateOrRegion: "WA",
  postalCode: "98109",
  countryCode: "US",
};
const JP_ADDRESS = {
  name: "山田 太郎",
  line1: "1-2-3 Shimomeguro",
  city: "Meguro-ku",
  stateOrRegion: "Tokyo",
  postalCode: "153-0064",
  countryCode: "JP",
  phone: "03-1234-5678",
};

function newOrder(overrides: Partial<NewOrder> = {}): NewOrder {
  return {
    orderId: `mcf-${Math.random().toString(36).slice(2, 10)}`,
    marketplaceId: US,
    displayableOrderId: "1001",
    orderDate: "2026-01-05T08:00:00Z",
    comment: "Thank you",
    speed: "Standard",
    address: US_ADDRESS,
    action: "Ship",
    policy: "FillOrKill",
    items: [{ sku: "MUG-CERAMIC-BLUE", lineId: "1", quantity: 2 }],
    ...overrides,
  };
}

describe("MWS dialect ↔ sandbox over HTTP", () => {
  const clock = manualClock();
  let sandbox: RunningSandbox;
  const dialect = () =>
    createMws20101001({
      baseUrl: sandbox.url,
      sellerId: DEV_MWS_SELLER_ID,
      ...DEV_MWS_KEYS,
      clock,
    });

  before(async () => {
    sandbox = await startSandbox({ clock, throttle: false });
  });
  beforeEach(() => sandbox.app.sandbox.reset());
  after(() => sandbox.close());

  test("checkHealth signs GetServiceStatus the way the sandbox verifies it; a wrong key is down", async () => {
    assert.deepEqual(await dialect().checkHealth(), { status: "ok" });
    const wrong = createMws20101001({
      baseUrl: sandbox.url,
      sellerId: DEV_MWS_SELLER_ID,
      ...DEV_MWS_KEYS,
      secretKey: "nope",
      clock,
    });
    const down = await wrong.checkHealth();
    assert.equal(down.status, "down");
    assert.match(down.reason ?? "", /SignatureDoesNotMatch/);
  });

  test("preview in the US: fulfillable speeds with fees and dates", async () => {
    const { data, meta } = await dialect().preview({
      marketplaceId: US,
      address: US_ADDRESS,
      items: [{ sku: "MUG-CERAMIC-BLUE", quantity: 2 }],
      speeds: ["Standard", "Expedited"],
    });
    assert.deepEqual(
      data.previews.map((p) => [p.speed, p.fulfillable]),
      [
        ["Standard", true],
        ["Expedited", true],
      ],
    );
    assert.ok(data.previews[0]?.fees.every((fee) => fee.amount.currency === "USD"));
    assert.ok(Date.parse(data.previews[0]?.shipments[0]?.arrival.earliest ?? "") > clock.now());
    assert.ok(meta.amznRequestId);
    assert.equal(meta.rateLimitPerSecond, 2);
  });

  test("JP Scheduled Delivery with COD: windows previewed, one ordered with cash on delivery, read back", async () => {
    const d = dialect();
    const { data } = await d.preview({
      marketplaceId: JP,
      address: JP_ADDRESS,
      items: [{ sku: "MUG-CERAMIC-BLUE", quantity: 1 }],
      speeds: ["ScheduledDelivery"],
      cashOnDelivery: true,
      deliveryWindows: true,
    });
    assert.deepEqual(
      data.previews.map((p) => p.cashOnDelivery),
      [false, true],
    );
    const preview = data.previews[1];
    assert.equal(preview?.timeZone, "Asia/Tokyo");
    const window = preview?.deliveryWindows?.[0];
    assert.ok(window);
    const order = newOrder({
      marketplaceId: JP,
      speed: "ScheduledDelivery",
      address: JP_ADDRESS,
      items: [
        { sku: "MUG-CERAMIC-BLUE", lineId: "1", quantity: 1, perUnitPrice: { amount: "1200", currency: "JPY" } },
        { sku: "TEE-ORGANIC-M", lineId: "2", quantity: 1 },
      ],
      deliveryWindow: window,
      notificationEmails: ["a@example.com", "b@example.com"],
      cashOnDelivery: { shippingCharge: { amount: "300", currency: "JPY" } },
    });
    assert.deepEqual((await d.createOrder(order)).data, { confirmed: true });
    const { data: read } = await d.getOrder(order.orderId);
    assert.equal(read.status, "Received");
    assert.equal(read.speed, "ScheduledDelivery");
    assert.deepEqual(read.deliveryWindow, window);
    assert.equal(read.cashOnDelivery, true);
    assert.deepEqual(read.address, JP_ADDRESS);
    assert.deepEqual(
      read.items.map((i) => [i.sku, i.lineId, i.quantity]),
      [
        ["MUG-CERAMIC-BLUE", "1", 1],
        ["TEE-ORGANIC-M", "2", 1],
      ],
    );
    // The same order in the sandbox's one order book, as SP-API keeps it.
    const kept = sandbox.app.sandbox.orders.get(DEV_MWS_SELLER_ID, order.orderId);
    assert.deepEqual(kept?.notificationEmails, ["a@example.com", "b@example.com"]);
    assert.deepEqual(kept?.codSettings?.shippingCharge, { currencyCode: "JPY", value: "300" });
  });

  test("Hold → releaseHold → shipped and delivered: order, shipments, packages and tracking", async () => {
    const d = dialect();
    const order = newOrder({ action: "Hold" });
    await d.createOrder(order);
    assert.equal((await d.getOrder(order.orderId)).data.action, "Hold");
    await d.releaseHold(order.orderId);
    assert.equal((await d.getOrder(order.orderId)).data.action, "Ship");
    clock.advance(10 * DAY);
    const { data: shipped } = await d.getOrder(order.orderId);
    assert.equal(shipped.status, "Complete");
    const pkg = shipped.shipments[0]?.packages[0];
    assert.ok(pkg);
    const { data: tracking } = await d.getTracking(shipped, pkg.packageNumber);
    assert.equal(tracking.packageNumber, pkg.packageNumber);
    assert.equal(tracking.status, "DELIVERED");
    assert.ok(tracking.events.length > 0);
    assert.ok(tracking.events.every((event) => event.code && event.description && !Number.isNaN(Date.parse(event.at))));
  });

  test("cancel releases the stock; Amazon's refusals arrive as UpstreamErrors with MWS codes", async () => {
    const d = dialect();
    const stock = () => sandbox.app.sandbox.inventory.get(US, "MUG-CERAMIC-BLUE")?.fulfillable;
    const before = stock();
    const order = newOrder();
    await d.createOrder(order);
    assert.equal(stock(), (before ?? 0) - 2);
    await d.cancelOrder(order.orderId);
    assert.equal((await d.getOrder(order.orderId)).data.status, "Cancelled");
    assert.equal(stock(), before);

    const duplicate = await rejection(d.createOrder(order));
    assert.equal(duplicate.status, 400);
    assert.equal(duplicate.errors[0]?.code, "InvalidParameterValue");
    assert.match(duplicate.errors[0]?.message ?? "", /SellerFulfillmentOrderId '.+' already exists/);
    assert.ok(duplicate.amznRequestId);

    const unknownSku = await rejection(
      d.createOrder(newOrder({ items: [{ sku: "NO-SUCH", lineId: "1", quantity: 1 }] })),
    );
    assert.match(unknownSku.errors[0]?.message ?? "", /Items\.member\.1\.SellerSKU 'NO-SUCH'/);
    const missing = await rejection(d.getOrder("never-created"));
    assert.equal(missing.status, 400);
    assert.match(missing.errors[0]?.message ?? "", /Requested order not found/);
  });

  test("an answer cut in half by a sandbox fault is a MalformedAnswer", async () => {
    await fetch(`${sandbox.url}/_sandbox/faults`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ getFulfillmentOrder: { malformedRate: 1 } }),
    });
    try {
      const d = dialect();
      const order = newOrder();
      await d.createOrder(order);
      const error = await rejection(d.getOrder(order.orderId));
      assert.equal(error.status, 502);
      assert.equal(error.errors[0]?.code, MALFORMED_ANSWER);
    } finally {
      await fetch(`${sandbox.url}/_sandbox/faults`, {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: "{}",
      });
    }
  });
});

test("MWS dialect ↔ sandbox: past the quota of 30, RequestThrottled is a retryable 503 at the restore rate", async () => {
  const clock = manualClock();
  const sandbox = await startSandbox({ clock });
  try {
    const d = createMws20101001({ baseUrl: sandbox.url, sellerId: DEV_MWS_SELLER_ID, ...DEV_MWS_KEYS, clock });
    for (let i = 0; i < 30; i++) await rejection(d.getOrder("none")); // 400s still spend the quota
    const throttled = await rejection(d.getOrder("none"));
    assert.equal(throttled.status, 503);
    assert.equal(throttled.errors[0]?.code, "RequestThrottled");
    assert.equal(throttled.retryable, true);
    assert.equal(throttled.rateLimitPerSecond, 2);
    clock.advance(500);
    assert.equal((await rejection(d.getOrder("none"))).status, 400, "one request restored after half a second");
  } finally {
    await sandbox.close();
  }
});
