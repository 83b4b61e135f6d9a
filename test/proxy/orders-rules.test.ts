import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Order } from "../../proxy/fulfillment/model.ts";
import {
  assertActionHonoured,
  assertBrowserMayOrder,
  assertBrowserQuote,
  bodyDigest,
  buildNewOrder,
  decideAction,
  deriveOrderId,
  isAlreadyExists,
  isNotFound,
  isOnHold,
  orderBodyDigest,
  orderDifferences,
  quoteMismatches,
} from "../../proxy/orders/rules.ts";
import { orderView } from "../../proxy/orders/views.ts";
import { Problem } from "../../proxy/problems/index.ts";
import { destinationDigest, itemsDigest } from "../../proxy/quotes/digest.ts";
import type { VerifiedQuote } from "../../proxy/quotes/index.ts";
import { canonicalJson } from "../../proxy/shared/digest.ts";

function refusal(run: () => unknown): { status: number; path: string | undefined } {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof Problem);
    return { status: error.body.status, path: error.body.errors?.[0]?.path };
  }
  assert.fail("expected a refusal");
}

describe("which action an order gets", () => {
  test("server: Ship unless Hold asked; Hold with Scheduled Delivery refused", () => {
    assert.equal(decideAction("server", undefined, "Standard", "hold"), "Ship");
    assert.equal(decideAction("server", "Hold", "Standard", "hold"), "Hold");
    assert.equal(decideAction("server", undefined, "ScheduledDelivery", "off"), "Ship");
    assert.deepEqual(
      refusal(() => decideAction("server", "Hold", "ScheduledDelivery", "hold")),
      { status: 422, path: "action" },
    );
  });
  test("browser with hold: always Hold, never Ship, never Scheduled Delivery", () => {
    assert.equal(decideAction("browser", undefined, "Standard", "hold"), "Hold");
    assert.equal(decideAction("browser", "Hold", "Priority", "hold"), "Hold");
    assert.deepEqual(
      refusal(() => decideAction("browser", "Ship", "Standard", "hold")),
      { status: 403, path: "action" },
    );
    assert.deepEqual(
      refusal(() => decideAction("browser", undefined, "ScheduledDelivery", "hold")),
      { status: 422, path: "quote" },
    );
  });
  test("browser with ship: Ship, Scheduled Delivery allowed", () => {
    assert.equal(decideAction("browser", undefined, "ScheduledDelivery", "ship"), "Ship");
    assert.equal(decideAction("browser", "Hold", "Standard", "ship"), "Hold");
  });
  test("browser with off: refused", () => {
    assert.deepEqual(
      refusal(() => decideAction("browser", undefined, "Standard", "off")),
      {
        status: 403,
        path: "header Authorization",
      },
    );
  });
});

describe("what a browser may put in an order", () => {
  test("no orderId, no amounts to collect: 403 naming each field", () => {
    assert.doesNotThrow(() => assertBrowserMayOrder({ items: [{ sku: "A", quantity: 1 }] }));
    try {
      assertBrowserMayOrder({
        orderId: "SHOP-1",
        items: [
          { sku: "A", quantity: 1, perUnitPrice: "1.00" },
          { sku: "B", quantity: 1, perUnitTax: "0.10" },
        ],
      });
      assert.fail("expected a refusal");
    } catch (error) {
      assert.ok(error instanceof Problem);
      assert.equal(error.body.status, 403);
      assert.deepEqual(
        error.body.errors?.map((entry) => entry.path),
        ["orderId", "items[0].perUnitPrice", "items[1].perUnitTax"],
      );
    }
  });
  test("no cash on delivery: 422 naming quote", () => {
    assert.doesNotThrow(() => assertBrowserQuote({}));
    assert.doesNotThrow(() => assertBrowserQuote({ cod: false }));
    assert.deepEqual(
      refusal(() => assertBrowserQuote({ cod: true })),
      { status: 422, path: "quote" },
    );
  });
});

describe("order ids and body digests", () => {
  test("deterministic per quote, body and caller kind; distinct otherwise; within Amazon's 40 characters", async () => {
    const a = await deriveOrderId("quote-1", "body-1", "server");
    assert.equal(a, await deriveOrderId("quote-1", "body-1", "server"));
    assert.notEqual(a, await deriveOrderId("quote-1", "body-2", "server"));
    assert.notEqual(a, await deriveOrderId("quote-2", "body-1", "server"));
    assert.notEqual(a, await deriveOrderId("quote-1", "body-1", "browser"));
    assert.match(a, /^mcf-[0-9a-f]{32}$/);
    assert.ok(a.length <= 40);
  });
  test("canonical JSON ignores key order and undefined", async () => {
    assert.equal(canonicalJson({ b: 1, a: [{ d: undefined, c: "x" }] }), '{"a":[{"c":"x"}],"b":1}');
    assert.equal(await bodyDigest({ a: 1, b: 2 }), await bodyDigest({ b: 2, a: 1 }));
    assert.notEqual(await bodyDigest({ a: 1 }), await bodyDigest({ a: 2 }));
  });
  test("the order body digest leaves out the quote's spelling and nothing else", async () => {
    const body = { quote: "spelling-1", items: [{ sku: "A", quantity: 1 }], address: { ...address } };
    assert.equal(await orderBodyDigest(body), await orderBodyDigest({ ...body, quote: "spelling-2" }));
    assert.notEqual(
      await orderBodyDigest(body),
      await orderBodyDigest({ ...body, address: { ...address, name: "Sam" } }),
    );
    assert.notEqual(await orderBodyDigest(body), await orderBodyDigest({ ...body, comment: "Hi" }));
  });
});

const address = {
  name: "Jo",
  line1: "1 Main St",
  city: "Seattle",
  stateOrRegion: "WA",
  postalCode: "98101",
  countryCode: "us",
};
const items = [{ sku: "A", quantity: 2, perUnitPrice: "10.00", giftMessage: "Enjoy" }];

async function quote(overrides: Partial<VerifiedQuote> = {}): Promise<VerifiedQuote> {
  return {
    opt: "Standard",
    mkt: "ATVPDKIKX0DER",
    spd: "Standard",
    itm: await itemsDigest(items),
    dst: await destinationDigest({ countryCode: "US", postalCode: "98101" }),
    amt: "4.99",
    cur: "USD",
    jti: "q1",
    kid: "k1",
    issuedAt: 0,
    expiresAt: 1,
    ...overrides,
  };
}

describe("orders against their quotes", () => {
  test("matching order has no mismatches; each difference is named", async () => {
    const q = await quote();
    assert.deepEqual(await quoteMismatches(q, { items, address }, ["ATVPDKIKX0DER"]), []);
    const wrong = await quoteMismatches(
      q,
      { items: [{ sku: "A", quantity: 3 }], address: { ...address, postalCode: "10001", countryCode: "CA" } },
      ["A2EUQ1WTGCTBG2"],
    );
    assert.deepEqual(
      wrong.map((error) => error.path),
      ["quote", "items", "address.countryCode", "address.postalCode"],
    );
  });
  test("the new order carries the quote's marketplace, speed, window, COD and the full address", async () => {
    const order = buildNewOrder(
      { quote: "t", items, address, comment: "Hi" },
      await quote({
        spd: "ScheduledDelivery",
        win: { s: "S", e: "E" },
        cod: true,
        mkt: "A1VC38T7YXB528",
        cur: "JPY",
        amt: "550",
      }),
      { orderId: "mcf-1", action: "Ship", now: Date.parse("2026-03-02T10:00:00Z"), defaultComment: "Thanks" },
    );
    assert.equal(order.orderId, "mcf-1");
    assert.equal(order.marketplaceId, "A1VC38T7YXB528");
    assert.equal(order.displayableOrderId, "mcf-1");
    assert.equal(order.orderDate, "2026-03-02T10:00:00.000Z");
    assert.equal(order.comment, "Hi");
    assert.equal(order.speed, "ScheduledDelivery");
    assert.equal(order.action, "Ship");
    assert.deepEqual(order.deliveryWindow, { start: "S", end: "E" });
    assert.deepEqual(order.cashOnDelivery, { shippingCharge: { amount: "550", currency: "JPY" } });
    assert.equal(order.address.countryCode, "US");
    assert.equal(order.address.line1, "1 Main St");
    assert.equal(order.policy, "FillOrKill");
    assert.deepEqual(order.items, [
      { sku: "A", lineId: "1", quantity: 2, giftMessage: "Enjoy", perUnitPrice: { amount: "10.00", currency: "JPY" } },
    ]);
  });
  test("the merchant's ids, date, comment, policy and emails are kept; the default comment fills in", async () => {
    const order = buildNewOrder(
      {
        quote: "t",
        items: [{ sku: "A", quantity: 2, perUnitTax: "0.80", displayableComment: "Blue" }],
        address,
        orderId: "SHOP-1",
        displayableOrderId: "#1001",
        orderDate: "2026-03-01T09:00:00Z",
        policy: "FillAll",
        notificationEmails: ["jo@example.com"],
      },
      await quote(),
      { orderId: "SHOP-1", action: "Hold", now: 0, defaultComment: "Thanks" },
    );
    assert.equal(order.displayableOrderId, "#1001");
    assert.equal(order.orderDate, "2026-03-01T09:00:00Z");
    assert.equal(order.comment, "Thanks");
    assert.equal(order.policy, "FillAll");
    assert.equal(order.action, "Hold");
    assert.deepEqual(order.notificationEmails, ["jo@example.com"]);
    assert.deepEqual(order.items, [
      {
        sku: "A",
        lineId: "1",
        quantity: 2,
        displayableComment: "Blue",
        perUnitTax: { amount: "0.80", currency: "USD" },
      },
    ]);
    assert.equal(order.deliveryWindow, undefined);
    assert.equal(order.cashOnDelivery, undefined);
  });
  test("already-exists detection", () => {
    assert.equal(isAlreadyExists(409, []), true);
    assert.equal(isAlreadyExists(400, [{ code: "InvalidInput", message: "Order mcf-1 already exists" }]), true);
    assert.equal(isAlreadyExists(400, [{ code: "InvalidInput", message: "Bad postal code" }]), false);
    assert.equal(isAlreadyExists(500, [{ code: "x", message: "already exists" }]), false);
  });
  test("not-found detection", () => {
    assert.equal(isNotFound(404, []), true);
    assert.equal(isNotFound(400, [{ message: "Requested order not found" }]), true);
    assert.equal(isNotFound(400, [{ message: "Bad postal code" }]), false);
    assert.equal(isNotFound(500, [{ message: "not found" }]), false);
  });
});

function modelOrder(overrides: Partial<Order> = {}): Order {
  return {
    orderId: "mcf-1",
    marketplaceId: "ATVPDKIKX0DER",
    displayableOrderId: "1001",
    speed: "Standard",
    action: "Hold",
    status: "Received",
    receivedAt: "2026-03-02T10:00:01Z",
    statusUpdatedAt: "2026-03-02T10:00:01Z",
    address: { name: "Jo", line1: "1 Main", postalCode: "98101", countryCode: "US" },
    cashOnDelivery: false,
    items: [{ sku: "A", lineId: "1", quantity: 2, cancelledQuantity: 0, unfulfillableQuantity: 0 }],
    shipments: [
      {
        id: "S1",
        status: "SHIPPED",
        shippedAt: "2026-03-03T10:00:00Z",
        items: [{ sku: "A", quantity: 2, packageNumber: 7 }],
        packages: [{ packageNumber: 7, carrier: "UPS", trackingNumber: "1Z1", amazonTrackingNumber: "TBA1" }],
      },
    ],
    ...overrides,
  };
}

describe("order views", () => {
  test("status, shipments, packages, tracking numbers; address only for the server", () => {
    const browser = orderView(modelOrder(), "browser");
    assert.equal(browser.status, "Received");
    assert.equal(browser.action, "Hold");
    assert.deepEqual(browser.packages, [
      { packageNumber: 7, carrierCode: "UPS", trackingNumber: "1Z1", amazonTrackingNumber: "TBA1", shipmentId: "S1" },
    ]);
    assert.deepEqual(browser.trackingNumbers, ["1Z1", "TBA1"]);
    assert.deepEqual(browser.shipments[0]?.packageNumbers, [7]);
    assert.equal(browser.address, undefined);
    assert.equal(browser.shipments[0]?.shippingDate, "2026-03-03T10:00:00Z");
    // The zone its dates were promised in, so the order page reads them as checkout did.
    assert.equal(browser.timeZone, "America/Los_Angeles");
    assert.deepEqual(orderView(modelOrder(), "server").address, {
      name: "Jo",
      line1: "1 Main",
      postalCode: "98101",
      countryCode: "US",
    });
  });
  test("on hold until released or finished", () => {
    assert.equal(isOnHold(modelOrder()), true);
    assert.equal(isOnHold(modelOrder({ action: "Ship" })), false);
    assert.equal(isOnHold(modelOrder({ status: "Cancelled" })), false);
  });
  test("an existing order is the same order only when the whole order matches", async () => {
    const intended = buildNewOrder(
      { quote: "t", items: [{ sku: "A", quantity: 2 }], address: { ...address, line1: "1 Main" }, comment: "Hi" },
      await quote(),
      { orderId: "mcf-1", action: "Hold", now: 0, defaultComment: "Thanks" },
    );
    const existing = (overrides: Partial<Order> = {}) =>
      modelOrder({
        address: {
          name: "JO ",
          line1: "1  Main",
          city: "Seattle",
          stateOrRegion: "WA",
          postalCode: "98101",
          countryCode: "US",
        },
        ...overrides,
      });
    // Case and spacing as Amazon may normalise them do not count.
    assert.deepEqual(orderDifferences(existing(), intended), []);
    const differs = (order: Order, other = intended) => orderDifferences(order, other);
    assert.deepEqual(differs(existing({ speed: "Priority" })), ["speed"]);
    assert.deepEqual(differs(existing({ marketplaceId: "A1VC38T7YXB528" })), ["marketplaceId"]);
    const elsewhere = existing();
    elsewhere.address = { ...elsewhere.address, name: "Mallory", line1: "9 Evil Rd", postalCode: "10001" };
    assert.deepEqual(differs(elsewhere), ["address.name", "address.line1", "address.postalCode"]);
    const more = existing();
    more.items = more.items.map((item) => ({ ...item, quantity: 3 }));
    assert.deepEqual(differs(more), ["items"]);
    const windowed = {
      ...intended,
      deliveryWindow: { start: "2026-03-05T09:00:00Z", end: "2026-03-05T12:00:00Z" },
    };
    assert.deepEqual(differs(existing(), windowed), ["deliveryWindow"]);
    assert.deepEqual(
      differs(
        existing({ deliveryWindow: { start: "2026-03-05T18:00:00+09:00", end: "2026-03-05T21:00:00+09:00" } }),
        windowed,
      ),
      [],
    );
    assert.deepEqual(differs(existing({ cashOnDelivery: true })), ["cashOnDelivery"]);
  });
  test("a read-back never turns a Hold into a Ship", () => {
    assert.doesNotThrow(() => assertActionHonoured("o", "Hold", modelOrder()));
    assert.doesNotThrow(() => assertActionHonoured("o", "Ship", modelOrder({ action: "Ship" })));
    assert.doesNotThrow(() => assertActionHonoured("o", "Hold", modelOrder({ action: "Ship" })));
    assert.deepEqual(
      refusal(() => assertActionHonoured("o", "Ship", modelOrder())),
      { status: 409, path: "action" },
    );
    try {
      assertActionHonoured("shop-7", "Ship", modelOrder());
    } catch (error) {
      assert.ok(error instanceof Problem);
      assert.match(error.body.detail, /POST \/v1\/orders\/shop-7\/ship/);
    }
  });
});
