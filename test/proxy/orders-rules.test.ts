import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  assertActionHonoured,
  assertBrowserMayOrder,
  assertBrowserQuote,
  bodyDigest,
  buildCreateRequest,
  canonicalJson,
  decideAction,
  deriveOrderId,
  isAlreadyExists,
  isOnHold,
  orderDifferences,
  orderView,
  quoteMismatches,
  sameOrder,
} from "../../proxy/orders/index.ts";
import { Problem } from "../../proxy/problems/index.ts";
import { destinationDigest, itemsDigest } from "../../proxy/quotes/digest.ts";
import type { VerifiedQuote } from "../../proxy/quotes/index.ts";
import type { GetFulfillmentOrderResult } from "../../spec/generated/fulfillment-outbound-2020-07-01.ts";

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
  test("the Amazon request carries the quote's speed, window, COD and the full address", async () => {
    const body = buildCreateRequest(
      { quote: "t", items, address, comment: "Hi" },
      await quote({
        spd: "ScheduledDelivery",
        win: { s: "S", e: "E" },
        cod: true,
        mkt: "A1VC38T7YXB528",
        cur: "JPY",
        amt: "550",
      }),
      {
        sellerFulfillmentOrderId: "mcf-1",
        action: "Ship",
        now: Date.parse("2026-03-02T10:00:00Z"),
        defaultComment: "Thanks",
      },
    );
    assert.equal(body.marketplaceId, "A1VC38T7YXB528");
    assert.equal(body.displayableOrderId, "mcf-1");
    assert.equal(body.displayableOrderDate, "2026-03-02T10:00:00.000Z");
    assert.equal(body.displayableOrderComment, "Hi");
    assert.equal(body.shippingSpeedCategory, "ScheduledDelivery");
    assert.deepEqual(body.deliveryWindow, { startDate: "S", endDate: "E" });
    assert.deepEqual(body.codSettings, { isCodRequired: true, shippingCharge: { currencyCode: "JPY", value: "550" } });
    assert.equal(body.destinationAddress.countryCode, "US");
    assert.equal(body.destinationAddress.addressLine1, "1 Main St");
    assert.equal(body.fulfillmentPolicy, "FillOrKill");
    assert.deepEqual(body.items, [
      {
        sellerSku: "A",
        sellerFulfillmentOrderItemId: "1",
        quantity: 2,
        giftMessage: "Enjoy",
        perUnitPrice: { currencyCode: "JPY", value: "10.00" },
      },
    ]);
  });
  test("already-exists detection", () => {
    assert.equal(isAlreadyExists(409, []), true);
    assert.equal(isAlreadyExists(400, [{ code: "InvalidInput", message: "Order mcf-1 already exists" }]), true);
    assert.equal(isAlreadyExists(400, [{ code: "InvalidInput", message: "Bad postal code" }]), false);
    assert.equal(isAlreadyExists(500, [{ code: "x", message: "already exists" }]), false);
  });
});

function amazonOrder(
  overrides: Partial<GetFulfillmentOrderResult["fulfillmentOrder"]> = {},
): GetFulfillmentOrderResult {
  return {
    fulfillmentOrder: {
      sellerFulfillmentOrderId: "mcf-1",
      marketplaceId: "ATVPDKIKX0DER",
      displayableOrderId: "1001",
      displayableOrderDate: "2026-03-02T10:00:00Z",
      displayableOrderComment: "Thanks",
      shippingSpeedCategory: "Standard",
      destinationAddress: { name: "Jo", addressLine1: "1 Main", postalCode: "98101", countryCode: "US" },
      fulfillmentAction: "Hold",
      receivedDate: "2026-03-02T10:00:01Z",
      fulfillmentOrderStatus: "Received",
      statusUpdatedDate: "2026-03-02T10:00:01Z",
      ...overrides,
    },
    fulfillmentOrderItems: [
      {
        sellerSku: "A",
        sellerFulfillmentOrderItemId: "1",
        quantity: 2,
        cancelledQuantity: 0,
        unfulfillableQuantity: 0,
      },
    ],
    fulfillmentShipments: [
      {
        amazonShipmentId: "S1",
        fulfillmentCenterId: "SEA8",
        fulfillmentShipmentStatus: "SHIPPED",
        shippingDate: "2026-03-03T10:00:00Z",
        fulfillmentShipmentItem: [{ sellerSku: "A", sellerFulfillmentOrderItemId: "1", quantity: 2, packageNumber: 7 }],
        fulfillmentShipmentPackage: [
          { packageNumber: 7, carrierCode: "UPS", trackingNumber: "1Z1", amazonFulfillmentTrackingNumber: "TBA1" },
        ],
      },
    ],
    returnItems: [],
    returnAuthorizations: [],
  };
}

describe("order views", () => {
  test("status, shipments, packages, tracking numbers; address only for the server", () => {
    const browser = orderView(amazonOrder(), "browser");
    assert.equal(browser.status, "Received");
    assert.equal(browser.action, "Hold");
    assert.deepEqual(browser.packages, [
      { packageNumber: 7, carrierCode: "UPS", trackingNumber: "1Z1", amazonTrackingNumber: "TBA1", shipmentId: "S1" },
    ]);
    assert.deepEqual(browser.trackingNumbers, ["1Z1", "TBA1"]);
    assert.deepEqual(browser.shipments[0]?.packageNumbers, [7]);
    assert.equal(browser.address, undefined);
    assert.equal(orderView(amazonOrder(), "server").address?.name, "Jo");
  });
  test("on hold until released or finished", () => {
    assert.equal(isOnHold(amazonOrder()), true);
    assert.equal(isOnHold(amazonOrder({ fulfillmentAction: "Ship" })), false);
    assert.equal(isOnHold(amazonOrder({ fulfillmentOrderStatus: "Cancelled" })), false);
  });
  test("an existing order is the same order only when the whole order matches", async () => {
    const intended = buildCreateRequest(
      { quote: "t", items: [{ sku: "A", quantity: 2 }], address: { ...address, line1: "1 Main" }, comment: "Hi" },
      await quote(),
      { sellerFulfillmentOrderId: "mcf-1", action: "Hold", now: 0, defaultComment: "Thanks" },
    );
    const existing = (overrides: Partial<GetFulfillmentOrderResult["fulfillmentOrder"]> = {}) =>
      amazonOrder({
        destinationAddress: {
          name: "JO ",
          addressLine1: "1  Main",
          city: "Seattle",
          stateOrRegion: "WA",
          postalCode: "98101",
          countryCode: "US",
        },
        ...overrides,
      });
    // Case and spacing as Amazon may normalise them do not count.
    assert.deepEqual(orderDifferences(existing(), intended), []);
    assert.equal(sameOrder(existing(), intended), true);
    const differs = (order: GetFulfillmentOrderResult, other = intended) => orderDifferences(order, other);
    assert.deepEqual(differs(existing({ shippingSpeedCategory: "Priority" })), ["speed"]);
    assert.deepEqual(differs(existing({ marketplaceId: "A1VC38T7YXB528" })), ["marketplaceId"]);
    const elsewhere = existing();
    elsewhere.fulfillmentOrder.destinationAddress = {
      ...elsewhere.fulfillmentOrder.destinationAddress,
      name: "Mallory",
      addressLine1: "9 Evil Rd",
      postalCode: "10001",
    };
    assert.deepEqual(differs(elsewhere), ["address.name", "address.addressLine1", "address.postalCode"]);
    const more = existing();
    more.fulfillmentOrderItems = more.fulfillmentOrderItems.map((item) => ({ ...item, quantity: 3 }));
    assert.deepEqual(differs(more), ["items"]);
    const windowed = {
      ...intended,
      deliveryWindow: { startDate: "2026-03-05T09:00:00Z", endDate: "2026-03-05T12:00:00Z" },
    };
    assert.deepEqual(differs(existing(), windowed), ["deliveryWindow"]);
    assert.deepEqual(
      differs(
        existing({ deliveryWindow: { startDate: "2026-03-05T18:00:00+09:00", endDate: "2026-03-05T21:00:00+09:00" } }),
        windowed,
      ),
      [],
    );
    assert.deepEqual(differs(existing({ codSettings: { isCodRequired: true } })), ["cashOnDelivery"]);
  });
  test("a read-back never turns a Hold into a Ship", () => {
    assert.doesNotThrow(() => assertActionHonoured("o", "Hold", amazonOrder()));
    assert.doesNotThrow(() => assertActionHonoured("o", "Ship", amazonOrder({ fulfillmentAction: "Ship" })));
    assert.doesNotThrow(() => assertActionHonoured("o", "Hold", amazonOrder({ fulfillmentAction: "Ship" })));
    assert.deepEqual(
      refusal(() => assertActionHonoured("o", "Ship", amazonOrder())),
      { status: 409, path: "action" },
    );
    try {
      assertActionHonoured("shop-7", "Ship", amazonOrder());
    } catch (error) {
      assert.ok(error instanceof Problem);
      assert.match(error.body.detail, /POST \/v1\/orders\/shop-7\/ship/);
    }
  });
});
