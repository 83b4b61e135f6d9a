// The 2026-07-04 mapping, pure: every table, both directions, every refusal, and the answer checks.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { SPEEDS } from "../../../proxy/contract/v1.ts";
import {
  acceptedAnswer,
  check,
  orderEnvelope,
  previewAnswer,
} from "../../../proxy/dialects/sp-api-2026-07-04/answers.ts";
import {
  ACTIONS,
  CONSTRAINT_REASONS,
  fromAmount,
  fromWireOrder,
  fromWirePreview,
  marketplaceIdOfCountry,
  NO_TRACKING_EVENTS,
  ORDER_STATUSES,
  originCountry,
  PACKAGE_STATUSES,
  POLICIES,
  SHIPMENT_STATUSES,
  speedOf,
  TIERS,
  toAmount,
  toWireCreateRequest,
  toWirePreviewRequest,
  trackingFromOrder,
} from "../../../proxy/dialects/sp-api-2026-07-04/wire.ts";
import {
  ORDER_STATUSES as MODEL_STATUSES,
  type NewOrder,
  type PreviewRequest,
  UnsupportedByDialect,
} from "../../../proxy/fulfillment/model.ts";
import { JP, US, US_ADDRESS } from "../fixtures.ts";

const IN = "A21TJRUUN4KGV";
const JP_ADDRESS = { name: "山田 太郎", line1: "1-2-3 Shimomeguro", postalCode: "153-0064", countryCode: "JP" };

function refusal(run: () => unknown): UnsupportedByDialect {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof UnsupportedByDialect, String(error));
    return error;
  }
  assert.fail("expected UnsupportedByDialect");
}

const newOrder = (overrides: Partial<NewOrder> = {}): NewOrder => ({
  orderId: "mcf-1",
  marketplaceId: US,
  displayableOrderId: "SHOP-1",
  orderDate: "2026-12-01T10:00:00Z",
  comment: "Thank you",
  speed: "Standard",
  address: US_ADDRESS,
  action: "Ship",
  policy: "FillOrKill",
  items: [{ sku: "MUG", lineId: "1", quantity: 2 }],
  ...overrides,
});

describe("tables", () => {
  test("every v1 speed, action and policy has exactly one 2026 name, and tiers map back", () => {
    assert.deepEqual(Object.keys(TIERS), [...SPEEDS]);
    for (const speed of SPEEDS) assert.equal(speedOf(TIERS[speed]), speed);
    assert.equal(speedOf("TELEPORT"), undefined);
    assert.equal(speedOf(undefined), undefined);
    assert.equal(speedOf("toString"), undefined, "no prototype lookups");
    assert.deepEqual(ACTIONS, { Ship: "SHIP", Hold: "HOLD" });
    assert.deepEqual(POLICIES, {
      FillOrKill: "FILL_OR_KILL",
      FillAll: "FILL_ALL",
      FillAllAvailable: "FILL_ALL_AVAILABLE",
    });
    assert.equal(new Set(Object.values(TIERS)).size, SPEEDS.length);
  });

  test("every 2026 order status maps to a model status; the model's statuses are the only targets", () => {
    assert.deepEqual(Object.keys(ORDER_STATUSES), [
      "PROCESSING",
      "COMPLETE",
      "COMPLETE_PARTIAL",
      "CANCELLED",
      "UNFULFILLABLE",
      "INVALID",
    ]);
    for (const status of Object.values(ORDER_STATUSES)) assert.ok(MODEL_STATUSES.includes(status), status);
  });

  test("shipment, package and constraint names map to the names v1 already reports", () => {
    assert.deepEqual(Object.keys(SHIPMENT_STATUSES), ["PROCESSING", "SHIPPED", "CANCELLED"]);
    assert.deepEqual(Object.keys(PACKAGE_STATUSES), [
      "PROCESSING",
      "IN_TRANSIT",
      "DELAYED",
      "OUT_FOR_DELIVERY",
      "DELIVERED",
      "UNDELIVERABLE",
      "EXPIRED",
    ]);
    assert.equal(CONSTRAINT_REASONS.ItemQuantityNotAvailable, "InventoryUnavailable");
  });

  test("quantities are whole eaches both ways", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 250 }), (units) => {
        const amount = toAmount(units);
        assert.equal(amount.unit, "EACHES");
        assert.equal(fromAmount(amount), units);
        assert.equal(fromAmount({ value: `${units}.0` }), units);
      }),
    );
    assert.equal(fromAmount(undefined), 0);
  });

  test("marketplaces and origin countries", () => {
    assert.equal(originCountry(US), "US");
    assert.equal(originCountry(JP), "JP");
    assert.equal(marketplaceIdOfCountry("US"), US);
    assert.equal(marketplaceIdOfCountry("jp"), JP);
    assert.equal(refusal(() => originCountry("NOPE")).path, "marketplaceId");
  });
});

describe("requests", () => {
  const preview: PreviewRequest = {
    marketplaceId: US,
    address: US_ADDRESS,
    items: [
      { sku: "MUG", quantity: 2, declaredValue: { amount: "9.50", currency: "USD" } },
      { sku: "TEA", quantity: 1 },
    ],
  };

  test("a preview names the origin, the destination, eaches and money, and the tiers asked for", () => {
    assert.deepEqual(toWirePreviewRequest({ ...preview, speeds: ["Standard", "Priority"] }), {
      origin: { countryCode: "US" },
      destination: {
        deliveryAddress: {
          name: "Jo Doe",
          addressLine1: "1 Pike St",
          city: "Seattle",
          stateOrRegion: "WA",
          postalCode: "98101",
          countryCode: "US",
        },
      },
      lineItems: [
        {
          product: {
            productIdentifier: { amazonSku: "MUG" },
            perUnitDeclaredValue: { currencyCode: "USD", amount: "9.50" },
          },
          amount: { unit: "EACHES", value: "2" },
        },
        { product: { productIdentifier: { amazonSku: "TEA" } }, amount: { unit: "EACHES", value: "1" } },
      ],
      fulfillmentConfiguration: { serviceLevel: { serviceTiers: ["STANDARD", "PRIORITY"] } },
    });
    assert.equal(toWirePreviewRequest(preview).fulfillmentConfiguration, undefined, "no speeds: every tier");
  });

  test("cash on delivery is payment on delivery, India only", () => {
    const japan = refusal(() =>
      toWirePreviewRequest({ ...preview, marketplaceId: JP, address: JP_ADDRESS, cashOnDelivery: true }),
    );
    assert.equal(japan.path, "cashOnDelivery");
    assert.match(japan.message, /India only/);
    assert.equal(
      toWirePreviewRequest({ ...preview, marketplaceId: IN, cashOnDelivery: true }).includePaymentOnDelivery,
      true,
    );
  });

  test("an order: tier, window, action, policy, and the displayable fields on the packing slip", () => {
    const wire = toWireCreateRequest(
      newOrder({
        marketplaceId: JP,
        address: JP_ADDRESS,
        speed: "ScheduledDelivery",
        deliveryWindow: { start: "2026-12-03T00:00:00Z", end: "2026-12-03T03:00:00Z" },
        action: "Hold",
        policy: "FillAllAvailable",
        items: [
          { sku: "MATCHA", lineId: "1", quantity: 1, displayableComment: "Fragile" },
          { sku: "MUG", lineId: "2", quantity: 3 },
        ],
      }),
    );
    assert.deepEqual(wire.fulfillmentConfiguration, {
      serviceLevel: {
        serviceTiers: ["SCHEDULED"],
        deliveryInterval: { startTime: "2026-12-03T00:00:00Z", endTime: "2026-12-03T03:00:00Z" },
      },
      action: "HOLD",
      policy: "FILL_ALL_AVAILABLE",
      services: {
        packaging: {
          packingSlip: {
            templateAttributes: { orderId: "SHOP-1", orderTime: "2026-12-01T10:00:00Z", orderText: "Thank you" },
          },
        },
      },
    });
    assert.deepEqual(wire.origin, { countryCode: "JP" });
    assert.deepEqual(wire.lineItems, [
      {
        lineItemId: "1",
        product: { productIdentifier: { amazonSku: "MATCHA" } },
        amount: { unit: "EACHES", value: "1" },
        fulfillmentConfiguration: {
          services: { packaging: { packingSlip: { templateAttributes: { lineItemText: "Fragile" } } } },
        },
      },
      { lineItemId: "2", product: { productIdentifier: { amazonSku: "MUG" } }, amount: { unit: "EACHES", value: "3" } },
    ]);
    const noComment = toWireCreateRequest(newOrder({ comment: "" }));
    assert.equal(
      noComment.fulfillmentConfiguration?.services?.packaging?.packingSlip?.templateAttributes?.orderText,
      undefined,
    );
  });

  test("what 2026-07-04 cannot do is refused naming the v1 field", () => {
    const cases: [Partial<NewOrder>, string, RegExp][] = [
      [{ notificationEmails: ["a@example.com"] }, "notificationEmails", /notification e-mails/],
      [
        {
          items: [
            { sku: "A", lineId: "1", quantity: 1 },
            { sku: "B", lineId: "2", quantity: 1, giftMessage: "Hi" },
          ],
        },
        "items[1].giftMessage",
        /gift messages/,
      ],
      [
        { items: [{ sku: "A", lineId: "1", quantity: 1, perUnitTax: { amount: "1", currency: "USD" } }] },
        "items[0].perUnitTax",
        /tax/,
      ],
      [
        { items: [{ sku: "A", lineId: "1", quantity: 1, perUnitPrice: { amount: "1", currency: "USD" } }] },
        "items[0].perUnitPrice",
        /on delivery/,
      ],
      [
        {
          marketplaceId: JP,
          address: JP_ADDRESS,
          cashOnDelivery: { shippingCharge: { amount: "0", currency: "JPY" } },
        },
        "cashOnDelivery",
        /India only/,
      ],
      [
        { marketplaceId: IN, cashOnDelivery: { shippingCharge: { amount: "40", currency: "INR" } } },
        "cashOnDelivery.shippingCharge",
        /no shipping charge/,
      ],
    ];
    for (const [overrides, path, message] of cases) {
      const error = refusal(() => toWireCreateRequest(newOrder(overrides)));
      assert.equal(error.path, path);
      assert.match(error.message, message);
    }
  });

  test("in India, cash on delivery collects each line's price on delivery", () => {
    const wire = toWireCreateRequest(
      newOrder({
        marketplaceId: IN,
        cashOnDelivery: { shippingCharge: { amount: "0", currency: "INR" } },
        items: [{ sku: "A", lineId: "1", quantity: 1, perUnitPrice: { amount: "499", currency: "INR" } }],
      }),
    );
    assert.deepEqual(wire.lineItems[0]?.fulfillmentConfiguration, {
      services: { delivery: { paymentOnDelivery: { perUnitServicePrice: { currencyCode: "INR", amount: "499" } } } },
    });
  });
});

const offer = (
  tier: string,
  extra: Record<string, unknown> = {},
  fees: [string, string][] = [["FBAPerUnitFulfillmentFee", "3.00"]],
) => ({
  fulfillmentConfiguration: {
    serviceLevel: {
      serviceTier: tier,
      deliveryInterval: { startTime: "2026-12-04T16:00:00Z", endTime: "2026-12-05T04:00:00Z" },
      shipInterval: { startTime: "2026-12-01T10:00:00Z", endTime: "2026-12-02T07:59:59Z" },
    },
    ...extra,
  },
  estimatedPrice: {
    rollupPrices: fees.map(([type, amount]) => ({ type, value: { currencyCode: "USD", amount } })),
    totalPrice: { currencyCode: "USD", amount: "0" },
  },
});
const items = (sku: string, value = "1.0") => [
  { productIdentifier: { amazonSku: sku }, amount: { unit: "EACHES" as const, value } },
];
const usPreview: PreviewRequest = { marketplaceId: US, address: US_ADDRESS, items: [{ sku: "MUG", quantity: 1 }] };

function parsePreview(body: unknown) {
  const result = check(previewAnswer, body);
  assert.ok(result.ok, result.ok ? "" : result.problem);
  return result.data;
}

describe("previews", () => {
  test("one preview per tier offered, with ship and arrival intervals and the fee lines", () => {
    const answer = parsePreview({
      plannedShipments: [
        {
          items: items("MUG"),
          offers: [
            offer("STANDARD"),
            offer("EXPEDITED", {}, [
              ["A", "1.10"],
              ["B", "2.25"],
            ]),
          ],
        },
      ],
    });
    const { previews } = fromWirePreview(answer, usPreview);
    assert.deepEqual(
      previews.map((p) => [p.speed, p.fulfillable, p.fees.map((f) => `${f.name}=${f.amount.amount}`).join()]),
      [
        ["Standard", true, "FBAPerUnitFulfillmentFee=3.00"],
        ["Expedited", true, "A=1.10,B=2.25"],
      ],
    );
    assert.deepEqual(previews[0]?.shipments, [
      {
        ship: { earliest: "2026-12-01T10:00:00Z", latest: "2026-12-02T07:59:59Z" },
        arrival: { earliest: "2026-12-04T16:00:00Z", latest: "2026-12-05T04:00:00Z" },
        items: [{ sku: "MUG", quantity: 1 }],
      },
    ]);
    assert.deepEqual(previews[0]?.reasons, []);
    assert.equal(previews[0]?.timeZone, undefined);
  });

  test("a tier asked for but not offered is unfulfillable with DeliverySLAUnavailable", () => {
    const answer = parsePreview({ plannedShipments: [{ items: items("MUG"), offers: [offer("STANDARD")] }] });
    const { previews } = fromWirePreview(answer, { ...usPreview, speeds: ["Standard", "Priority"] });
    const priority = previews.find((p) => p.speed === "Priority");
    assert.deepEqual(
      [priority?.fulfillable, priority?.reasons, priority?.fees, priority?.shipments],
      [false, ["DeliverySLAUnavailable"], [], []],
    );
  });

  test("constraints: an SKU's become unfulfillable lines, a tier's that tier's reasons, others the order's", () => {
    const answer = parsePreview({
      plannedShipments: [{ items: items("MUG"), offers: [offer("STANDARD"), offer("EXPEDITED")] }],
      constraints: [
        {
          code: "ItemQuantityNotAvailable",
          type: "Item",
          message: "short",
          details: [
            { type: "amazonSku", value: "TEA" },
            { type: "quantity", value: "3" },
          ],
        },
        { code: "InvalidSku", type: "Item", message: "?", details: [{ type: "amazonSku", value: "NOPE" }] },
        {
          code: "ServiceTierUnavailable",
          type: "ServiceLevel",
          message: "no",
          details: [{ type: "serviceTier", value: "EXPEDITED" }],
        },
        { code: "SomethingNew", type: "Other", message: "new" },
      ],
    });
    const request = {
      ...usPreview,
      items: [...usPreview.items, { sku: "TEA", quantity: 3 }, { sku: "NOPE", quantity: 2 }],
    };
    const { previews } = fromWirePreview(answer, request);
    const standard = previews.find((p) => p.speed === "Standard");
    assert.deepEqual(standard?.unfulfillable, [
      { sku: "TEA", quantity: 3, reasons: ["InventoryUnavailable"] },
      { sku: "NOPE", quantity: 2, reasons: ["InvalidSKU"] },
    ]);
    assert.deepEqual(standard?.reasons, ["SomethingNew"]);
    assert.equal(standard?.fulfillable, false);
    assert.deepEqual(previews.find((p) => p.speed === "Expedited")?.reasons, [
      "SomethingNew",
      "DeliverySLAUnavailable",
    ]);
  });

  test("nothing offered and no speeds asked: one Standard preview carries the reasons", () => {
    const answer = parsePreview({
      plannedShipments: [],
      constraints: [{ code: "InvalidDestinationAddress", type: "Destination", message: "no" }],
    });
    const { previews } = fromWirePreview(answer, usPreview);
    assert.deepEqual(
      previews.map((p) => [p.speed, p.fulfillable, p.reasons]),
      [["Standard", false, ["InvalidDestinationAddress"]]],
    );
  });

  test("SCHEDULED: one offer per window becomes the windows, shown in Asia/Tokyo, only when asked for", () => {
    const window = (day: number, hour: number) => ({
      fulfillmentConfiguration: {
        serviceLevel: {
          serviceTier: "SCHEDULED",
          deliveryInterval: {
            startTime: `2026-12-0${day}T0${hour}:00:00Z`,
            endTime: `2026-12-0${day}T0${hour + 2}:00:00Z`,
          },
          shipInterval: { startTime: "2026-12-02T00:00:00Z", endTime: "2026-12-02T10:00:00Z" },
        },
      },
    });
    const answer = parsePreview({
      plannedShipments: [{ items: items("MATCHA"), offers: [window(3, 0), window(3, 3), window(4, 0)] }],
    });
    const request: PreviewRequest = {
      marketplaceId: JP,
      address: JP_ADDRESS,
      items: [{ sku: "MATCHA", quantity: 1 }],
      speeds: ["ScheduledDelivery"],
      deliveryWindows: true,
    };
    const [scheduled] = fromWirePreview(answer, request).previews;
    assert.equal(scheduled?.timeZone, "Asia/Tokyo");
    assert.deepEqual(scheduled?.deliveryWindows, [
      { start: "2026-12-03T00:00:00Z", end: "2026-12-03T02:00:00Z" },
      { start: "2026-12-03T03:00:00Z", end: "2026-12-03T05:00:00Z" },
      { start: "2026-12-04T00:00:00Z", end: "2026-12-04T02:00:00Z" },
    ]);
    assert.deepEqual(scheduled?.shipments[0]?.arrival, {
      earliest: "2026-12-03T00:00:00Z",
      latest: "2026-12-04T02:00:00Z",
    });
    assert.deepEqual(scheduled?.fees, [], "excluded fees: no fee lines");
    const [unasked] = fromWirePreview(answer, { ...request, deliveryWindows: false }).previews;
    assert.equal(unasked?.deliveryWindows, undefined);
  });

  test("two planned shipments: a tier needs both, fees add up exactly, windows are those both offer", () => {
    const answer = parsePreview({
      plannedShipments: [
        { items: items("MUG"), offers: [offer("STANDARD", {}, [["Fee", "0.10"]]), offer("EXPEDITED")] },
        {
          items: items("TEA", "2"),
          offers: [
            offer("STANDARD", {}, [
              ["Fee", "0.20"],
              ["Other", "1"],
            ]),
          ],
        },
      ],
    });
    const { previews } = fromWirePreview(answer, {
      ...usPreview,
      items: [...usPreview.items, { sku: "TEA", quantity: 2 }],
    });
    assert.deepEqual(
      previews.map((p) => [p.speed, p.fulfillable]),
      [
        ["Standard", true],
        ["Expedited", false],
      ],
    );
    assert.deepEqual(previews[0]?.fees, [
      { name: "Fee", amount: { amount: "0.30", currency: "USD" } },
      { name: "Other", amount: { amount: "1.00", currency: "USD" } },
    ]);
    assert.equal(previews[0]?.shipments.length, 2);
    assert.deepEqual(previews[0]?.shipments[1]?.items, [{ sku: "TEA", quantity: 2 }]);
  });

  test("payment on delivery splits offers by their paymentOnDelivery flag", () => {
    const cod = { services: { delivery: { paymentOnDelivery: "ENABLED" } } };
    const answer = parsePreview({
      plannedShipments: [{ items: items("MUG"), offers: [offer("STANDARD"), offer("STANDARD", cod)] }],
    });
    const { previews } = fromWirePreview(answer, { ...usPreview, marketplaceId: IN, cashOnDelivery: true });
    assert.deepEqual(
      previews.map((p) => [p.speed, p.cashOnDelivery, p.fulfillable]),
      [
        ["Standard", false, true],
        ["Standard", true, true],
      ],
    );
  });

  test("answers that do not fit the model are refused with the path of the problem", () => {
    const bad: [unknown, RegExp][] = [
      [{}, /plannedShipments/],
      [{ plannedShipments: [{ items: items("MUG", "1.5") }] }, /plannedShipments\[0\]\.items\[0\]\.amount\.value/],
      [{ plannedShipments: [{ items: [{ productIdentifier: {}, amount: { value: "1" } }] }] }, /amazonSku/],
      [
        {
          plannedShipments: [
            {
              items: items("MUG"),
              offers: [
                {
                  estimatedPrice: {
                    rollupPrices: [{ type: "x", value: { currencyCode: "USD", amount: "ten" } }],
                    totalPrice: { currencyCode: "USD", amount: "1" },
                  },
                },
              ],
            },
          ],
        },
        /amount/,
      ],
      [{ plannedShipments: [], constraints: [{ code: "X" }] }, /constraints\[0\]/],
      [undefined, /body|expected/],
    ];
    for (const [body, problem] of bad) {
      const result = check(previewAnswer, body);
      assert.equal(result.ok, false, JSON.stringify(body));
      if (!result.ok) assert.match(result.problem, problem);
    }
  });
});

const wireOrder = (overrides: Record<string, unknown> = {}) => ({
  orderId: "mcf-1",
  receiveTime: "2026-12-01T10:00:00Z",
  status: "PROCESSING",
  statusUpdateTime: "2026-12-01T10:05:00Z",
  fulfillmentConfiguration: {
    serviceLevel: { serviceTiers: ["EXPEDITED"] },
    action: "SHIP",
    policy: "FILL_OR_KILL",
    services: {
      packaging: { packingSlip: { templateAttributes: { orderId: "SHOP-1", orderTime: "2026-12-01T10:00:00Z" } } },
    },
  },
  origin: { countryCode: "US" },
  destination: {
    deliveryAddress: {
      name: "Jo",
      addressLine1: "1 Pike St",
      city: "Seattle",
      postalCode: "98101",
      countryCode: "US",
      email: "jo@example.com",
    },
  },
  lineItems: [
    {
      lineItemId: "1",
      product: { productIdentifier: { amazonSku: "MUG" } },
      amount: { unit: "EACHES", value: "3.0" },
      cancelledAmount: { unit: "EACHES", value: "1" },
      unfulfillableAmount: { unit: "EACHES", value: "0" },
    },
  ],
  ...overrides,
});
const shipment = (packageId: string) => ({
  amazonShipmentId: `S-${packageId}`,
  amazonFacility: { facilityId: "PHX7" },
  status: "SHIPPED",
  shipTime: "2026-12-02T10:00:00Z",
  deliveryTime: "2026-12-04T20:00:00Z",
  items: [{ productIdentifier: { amazonSku: "MUG" }, lineItemId: "1", amount: { value: "2" }, packageId }],
  packages: [
    {
      packageId,
      deliveryTime: "2026-12-04T20:00:00Z",
      status: "DELIVERED",
      tracking: {
        carrier: { carrierCode: "UPS", trackingNumber: "1Z1", trackingUrl: "https://ups.example/1Z1" },
        amazon: { trackingNumber: "TBA1" },
        proofOfDelivery: { receivedBy: "Jo" },
      },
    },
  ],
});

function parseOrder(body: unknown) {
  const result = check(orderEnvelope, { order: body });
  assert.ok(result.ok, result.ok ? "" : result.problem);
  return result.data.order;
}

describe("orders", () => {
  test("an order answer in the model's terms", () => {
    const order = fromWireOrder(parseOrder(wireOrder({ shipments: [shipment("7")] })));
    assert.deepEqual(order, {
      orderId: "mcf-1",
      marketplaceId: US,
      displayableOrderId: "SHOP-1",
      speed: "Expedited",
      action: "Ship",
      status: "Processing",
      receivedAt: "2026-12-01T10:00:00Z",
      statusUpdatedAt: "2026-12-01T10:05:00Z",
      address: { name: "Jo", line1: "1 Pike St", city: "Seattle", postalCode: "98101", countryCode: "US" },
      cashOnDelivery: false,
      items: [{ sku: "MUG", lineId: "1", quantity: 3, cancelledQuantity: 1, unfulfillableQuantity: 0 }],
      shipments: [
        {
          id: "S-7",
          status: "SHIPPED",
          shippedAt: "2026-12-02T10:00:00Z",
          estimatedArrivalAt: "2026-12-04T20:00:00Z",
          items: [{ sku: "MUG", quantity: 2, packageNumber: 7 }],
          packages: [
            {
              packageNumber: 7,
              carrier: "UPS",
              trackingNumber: "1Z1",
              amazonTrackingNumber: "TBA1",
              estimatedArrivalAt: "2026-12-04T20:00:00Z",
            },
          ],
        },
      ],
    });
  });

  test("every status maps; no status yet reads as Received; HOLD and windows come through", () => {
    for (const [wire, status] of Object.entries(ORDER_STATUSES))
      assert.equal(fromWireOrder(parseOrder(wireOrder({ status: wire }))).status, status);
    const { status: _status, statusUpdateTime: _time, ...queued } = wireOrder();
    const order = fromWireOrder(parseOrder(queued));
    assert.deepEqual([order.status, order.statusUpdatedAt], ["Received", "2026-12-01T10:00:00Z"]);
    const held = fromWireOrder(
      parseOrder(
        wireOrder({
          fulfillmentConfiguration: {
            action: "HOLD",
            serviceLevel: {
              serviceTiers: ["SCHEDULED"],
              deliveryInterval: { startTime: "2026-12-03T00:00:00Z", endTime: "2026-12-03T02:00:00Z" },
            },
          },
        }),
      ),
    );
    assert.deepEqual(
      [held.action, held.speed, held.displayableOrderId, held.deliveryWindow],
      ["Hold", "ScheduledDelivery", "mcf-1", { start: "2026-12-03T00:00:00Z", end: "2026-12-03T02:00:00Z" }],
    );
  });

  test("package ids that are not numbers are numbered by position, consistently for items and packages", () => {
    const order = fromWireOrder(parseOrder(wireOrder({ shipments: [shipment("PKG-a"), shipment("PKG-b")] })));
    assert.deepEqual(
      order.shipments.map((s) => [s.items[0]?.packageNumber, s.packages[0]?.packageNumber]),
      [
        [1, 1],
        [2, 2],
      ],
    );
  });

  test("tracking is read from the order's package, with no events and the reason why", () => {
    const answer = parseOrder(wireOrder({ shipments: [shipment("7")] }));
    assert.deepEqual(trackingFromOrder(answer, 7), {
      packageNumber: 7,
      trackingNumber: "1Z1",
      carrier: "UPS",
      trackingUrl: "https://ups.example/1Z1",
      status: "DELIVERED",
      shippedAt: "2026-12-02T10:00:00Z",
      estimatedArrivalAt: "2026-12-04T20:00:00Z",
      signedForBy: "Jo",
      events: [],
      eventsUnavailable: NO_TRACKING_EVENTS,
    });
    assert.equal(trackingFromOrder(answer, 8), undefined);
    assert.equal(trackingFromOrder(parseOrder(wireOrder()), 1), undefined);
  });

  test("order answers that do not fit the model are refused", () => {
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ status: "SHIPPED_SOMEHOW" }, /order\.status/],
      [{ orderId: 5 }, /order\.orderId/],
      [{ receiveTime: "yesterday" }, /order\.receiveTime/],
      [{ destination: {} }, /deliveryAddress/],
      [
        {
          lineItems: [
            { lineItemId: "1", product: { productIdentifier: { amazonSku: "A" } }, amount: { unit: "KG", value: "1" } },
          ],
        },
        /unit/,
      ],
      [{ fulfillmentConfiguration: { serviceLevel: { serviceTiers: ["WARP"] } } }, /serviceTiers/],
      [{ shipments: [{ ...shipment("1"), packages: [{}] }] }, /packageId/],
    ];
    for (const [overrides, problem] of bad) {
      const result = check(orderEnvelope, { order: wireOrder(overrides) });
      assert.equal(result.ok, false, JSON.stringify(overrides));
      if (!result.ok) assert.match(result.problem, problem);
    }
    assert.equal(check(acceptedAnswer, { orderId: "x", status: "PROCESSING" }).ok, true);
    assert.equal(check(acceptedAnswer, { orderId: "x" }).ok, false);
  });
});

describe("round trip", () => {
  const text = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 -]{0,19}$/);
  const instant = fc
    .integer({ min: Date.parse("2026-01-01T00:00:00Z"), max: Date.parse("2027-12-31T00:00:00Z") })
    .map((ms) => new Date(ms - (ms % 1000)).toISOString().replace(".000Z", "Z"));
  const orders = fc.record({
    speed: fc.constantFrom(...SPEEDS),
    action: fc.constantFrom("Ship" as const, "Hold" as const),
    policy: fc.constantFrom("FillOrKill" as const, "FillAll" as const, "FillAllAvailable" as const),
    displayableOrderId: text,
    comment: fc.oneof(fc.constant(""), text),
    window: fc.option(instant, { nil: undefined }),
    items: fc.uniqueArray(fc.record({ sku: text, quantity: fc.integer({ min: 1, max: 250 }) }), {
      minLength: 1,
      maxLength: 5,
      selector: (item) => item.sku,
    }),
  });

  test("an order sent, echoed back as Amazon stores it, reads as what was sent", () => {
    fc.assert(
      fc.property(orders, (drawn) => {
        const sent = newOrder({
          speed: drawn.speed,
          action: drawn.action,
          policy: drawn.policy,
          displayableOrderId: drawn.displayableOrderId,
          comment: drawn.comment,
          ...(drawn.window ? { deliveryWindow: { start: drawn.window, end: drawn.window } } : {}),
          items: drawn.items.map((item, index) => ({ ...item, lineId: String(index + 1) })),
        });
        const wire = toWireCreateRequest(sent);
        const echoed = {
          orderId: wire.orderId,
          receiveTime: "2026-12-01T10:00:00Z",
          status: "PROCESSING",
          fulfillmentConfiguration: wire.fulfillmentConfiguration,
          origin: wire.origin,
          destination: wire.destination,
          lineItems: wire.lineItems,
        };
        const read = fromWireOrder(parseOrder(echoed));
        assert.deepEqual(
          [read.orderId, read.marketplaceId, read.speed, read.action, read.displayableOrderId, read.deliveryWindow],
          [sent.orderId, sent.marketplaceId, sent.speed, sent.action, sent.displayableOrderId, sent.deliveryWindow],
        );
        assert.deepEqual(read.address, sent.address);
        assert.deepEqual(
          read.items.map((i) => [i.sku, i.lineId, i.quantity]),
          sent.items.map((i) => [i.sku, i.lineId, i.quantity]),
        );
      }),
    );
  });
});
