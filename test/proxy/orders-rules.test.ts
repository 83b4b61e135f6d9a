import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  bodyDigest,
  buildCreateRequest,
  canonicalJson,
  decideAction,
  deriveOrderId,
  isAlreadyExists,
  isOnHold,
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

describe("order ids and body digests", () => {
  test("deterministic, distinct, within Amazon's 40 characters", async () => {
    const a = await deriveOrderId("quote-1", "key-1");
    assert.equal(a, await deriveOrderId("quote-1", "key-1"));
    assert.notEqual(a, await deriveOrderId("quote-1", "key-2"));
    assert.notEqual(a, await deriveOrderId("quote-2", "key-1"));
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
  test("an existing order is the same order only with the quote's speed, marketplace and items", async () => {
    const q = await quote();
    assert.equal(await sameOrder(amazonOrder(), q), true);
    assert.equal(await sameOrder(amazonOrder({ shippingSpeedCategory: "Priority" }), q), false);
    assert.equal(await sameOrder(amazonOrder(), { ...q, itm: "other" }), false);
  });
});
