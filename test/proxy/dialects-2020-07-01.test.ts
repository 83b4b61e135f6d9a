// The 2020-07-01 dialect: the pure model ↔ wire mapping (wire.ts) with its validation of Amazon's answers, then the
// client, the shared SP-API transport and the LWA token provider against MSW-mocked Amazon endpoints (loopback URLs,
// intercepted in-process).
import assert from "node:assert/strict";
import { after, afterEach, before, describe, test } from "node:test";
import { delay, HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { createGuard } from "../../proxy/admission/guard.ts";
import { resolveOptions } from "../../proxy/admission/options.ts";
import { createApp } from "../../proxy/app.ts";
import { createDialect } from "../../proxy/dialects/index.ts";
import { createTokenProvider, REFRESH_MARGIN_MS, REJECTION_CACHE_MS } from "../../proxy/dialects/lwa.ts";
import { createSpApi20200701, RATE_PLANS_2020_07_01 } from "../../proxy/dialects/sp-api-2020-07-01/index.ts";
import {
  fromWireOrder,
  fromWirePreviewResult,
  fromWireTracking,
  toWireCreateRequest,
  toWirePreviewRequest,
  WireMismatch,
} from "../../proxy/dialects/sp-api-2020-07-01/wire.ts";
import { MALFORMED_ANSWER, type NewOrder, type PreviewRequest, UpstreamError } from "../../proxy/fulfillment/model.ts";
import { createMemoryRateLimiterStore, createMemoryStore } from "../../proxy/stores/memory.ts";
import type * as Wire from "../../spec/generated/fulfillment-outbound-2020-07-01.ts";
import { manualClock, SECRETS, testConfig } from "./fixtures.ts";

const AMAZON = "http://127.0.0.1:3";
const TOKEN_URL = "http://127.0.0.1:2/auth/o2/token";
const BASE = `${AMAZON}/fba/outbound/2020-07-01`;
const US = "ATVPDKIKX0DER";
const credentials = { clientId: "client-id", clientSecret: SECRETS.clientSecret, refreshToken: SECRETS.refreshToken };

// ── Fixtures: one of each wire answer, as Amazon's model states them ──────────────────────────────────────────────

function wirePreview(overrides: Partial<Wire.FulfillmentPreview> = {}): Wire.FulfillmentPreview {
  return {
    shippingSpeedCategory: "Standard",
    isFulfillable: true,
    isCODCapable: false,
    marketplaceId: US,
    estimatedFees: [
      { name: "FBAPerUnitFulfillmentFee", amount: { currencyCode: "USD", value: "3.5" } },
      { name: "FBATransportationFee", amount: { currencyCode: "USD", value: "1.249" } },
    ],
    fulfillmentPreviewShipments: [
      {
        earliestShipDate: "2026-03-03T08:00:00Z",
        latestShipDate: "2026-03-04T08:00:00Z",
        earliestArrivalDate: "2026-03-06T08:00:00Z",
        latestArrivalDate: "2026-03-08T08:00:00Z",
        shippingNotes: ["Ships separately"],
        fulfillmentPreviewItems: [
          {
            sellerSku: "A",
            quantity: 2,
            sellerFulfillmentOrderItemId: "1",
            shippingWeightCalculationMethod: "Package",
          },
        ],
      },
    ],
    ...overrides,
  };
}

function wireOrder(overrides: Partial<Wire.FulfillmentOrder> = {}): Wire.GetFulfillmentOrderResult {
  return {
    fulfillmentOrder: {
      sellerFulfillmentOrderId: "mcf-1",
      marketplaceId: US,
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
        estimatedShipDate: "2026-03-03T08:00:00Z",
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

const WIRE_TRACKING: Wire.PackageTrackingDetails = {
  packageNumber: 7,
  trackingNumber: "1Z1",
  carrierCode: "UPS",
  carrierURL: "https://ups.example",
  customerTrackingLink: "https://track.example/1Z1",
  currentStatus: "IN_TRANSIT",
  currentStatusDescription: "On its way",
  shipDate: "2026-03-03T10:00:00Z",
  estimatedArrivalDate: "2026-03-06T10:00:00Z",
  // A DateRange here, unlike the order's DeliveryWindow (startDate/endDate).
  deliveryWindow: { earliest: "2026-03-06T10:00:00Z", latest: "2026-03-06T12:00:00Z" },
  trackingEvents: [
    {
      eventDate: "2026-03-03T10:00:00Z",
      eventAddress: { city: "Seattle", state: "WA", country: "US" },
      eventCode: "EVENT_101",
      eventDescription: "Carrier picked up the package.",
    },
  ],
};

/** A field path in a message, whether written items[0].sku or items.0.sku. */
function at(...parts: (string | number)[]): RegExp {
  const source = parts
    .map((part, index) =>
      typeof part === "number" ? `(\\[${part}\\]|\\.${part})` : `${index === 0 ? "" : "\\.?"}${part}`,
    )
    .join("");
  return new RegExp(source);
}

function mismatch(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof WireMismatch, `expected a WireMismatch, got ${String(error)}`);
    return error.message;
  }
  assert.fail("expected a WireMismatch");
}

// ── The mapping ───────────────────────────────────────────────────────────────────────────────────────────────────

describe("2020-07-01 wire mapping: requests", () => {
  test("a preview request: Amazon's address names, line ids, declared values, speeds, COD and windows", () => {
    const request: PreviewRequest = {
      marketplaceId: US,
      address: { name: "n", line1: "l", line2: "2", postalCode: "98101", countryCode: "us", stateOrRegion: "WA" },
      items: [
        { sku: "A", quantity: 2, declaredValue: { amount: "10.00", currency: "USD" } },
        { sku: "B", quantity: 1 },
      ],
      speeds: ["Standard", "Priority"],
      cashOnDelivery: true,
      deliveryWindows: true,
    };
    assert.deepEqual(toWirePreviewRequest(request), {
      marketplaceId: US,
      address: {
        name: "n",
        addressLine1: "l",
        addressLine2: "2",
        stateOrRegion: "WA",
        postalCode: "98101",
        countryCode: "US",
      },
      items: [
        {
          sellerSku: "A",
          quantity: 2,
          sellerFulfillmentOrderItemId: "1",
          perUnitDeclaredValue: { currencyCode: "USD", value: "10.00" },
        },
        { sellerSku: "B", quantity: 1, sellerFulfillmentOrderItemId: "2" },
      ],
      shippingSpeedCategories: ["Standard", "Priority"],
      includeCODFulfillmentPreview: true,
      includeDeliveryWindows: true,
    });
    const plain = toWirePreviewRequest({
      ...request,
      speeds: undefined,
      cashOnDelivery: false,
      deliveryWindows: false,
    } as PreviewRequest);
    assert.equal("shippingSpeedCategories" in plain, false);
    assert.equal("includeCODFulfillmentPreview" in plain, false);
    assert.equal("includeDeliveryWindows" in plain, false);
  });

  test("a new order: the quote's speed, window, COD and the full address in Amazon's names", () => {
    const order: NewOrder = {
      orderId: "mcf-1",
      marketplaceId: "A1VC38T7YXB528",
      displayableOrderId: "mcf-1",
      orderDate: "2026-03-02T10:00:00.000Z",
      comment: "Hi",
      speed: "ScheduledDelivery",
      address: {
        name: "Jo",
        line1: "1 Main St",
        city: "Seattle",
        stateOrRegion: "WA",
        postalCode: "98101",
        countryCode: "US",
      },
      action: "Ship",
      policy: "FillOrKill",
      items: [
        {
          sku: "A",
          lineId: "1",
          quantity: 2,
          giftMessage: "Enjoy",
          perUnitPrice: { amount: "10.00", currency: "JPY" },
        },
      ],
      deliveryWindow: { start: "S", end: "E" },
      notificationEmails: ["jo@example.com"],
      cashOnDelivery: { shippingCharge: { amount: "550", currency: "JPY" } },
    };
    const body = toWireCreateRequest(order);
    assert.equal(body.marketplaceId, "A1VC38T7YXB528");
    assert.equal(body.sellerFulfillmentOrderId, "mcf-1");
    assert.equal(body.displayableOrderId, "mcf-1");
    assert.equal(body.displayableOrderDate, "2026-03-02T10:00:00.000Z");
    assert.equal(body.displayableOrderComment, "Hi");
    assert.equal(body.shippingSpeedCategory, "ScheduledDelivery");
    assert.equal(body.fulfillmentAction, "Ship");
    assert.deepEqual(body.deliveryWindow, { startDate: "S", endDate: "E" });
    assert.deepEqual(body.codSettings, { isCodRequired: true, shippingCharge: { currencyCode: "JPY", value: "550" } });
    assert.deepEqual(body.destinationAddress, {
      name: "Jo",
      addressLine1: "1 Main St",
      city: "Seattle",
      stateOrRegion: "WA",
      postalCode: "98101",
      countryCode: "US",
    });
    assert.equal(body.fulfillmentPolicy, "FillOrKill");
    assert.deepEqual(body.notificationEmails, ["jo@example.com"]);
    assert.deepEqual(body.items, [
      {
        sellerSku: "A",
        sellerFulfillmentOrderItemId: "1",
        quantity: 2,
        giftMessage: "Enjoy",
        perUnitPrice: { currencyCode: "JPY", value: "10.00" },
      },
    ]);
    const plain = toWireCreateRequest({
      ...order,
      deliveryWindow: undefined,
      cashOnDelivery: undefined,
      notificationEmails: [],
    } as unknown as NewOrder);
    assert.equal("deliveryWindow" in plain, false);
    assert.equal("codSettings" in plain, false);
    assert.equal("notificationEmails" in plain, false);
  });
});

describe("2020-07-01 wire mapping: answers", () => {
  test("previews: speed, fees as decimal strings, shipments, notes, COD, Scheduled Delivery windows and zone", () => {
    const { previews } = fromWirePreviewResult({
      fulfillmentPreviews: [
        wirePreview(),
        wirePreview({ isCODCapable: true }),
        wirePreview({
          shippingSpeedCategory: "ScheduledDelivery",
          marketplaceId: "A1VC38T7YXB528",
          estimatedFees: [{ name: "FBAPerOrderFulfillmentFee", amount: { currencyCode: "JPY", value: "550" } }],
          scheduledDeliveryInfo: {
            deliveryTimeZone: "Asia/Tokyo",
            deliveryWindows: [{ startDate: "2026-03-05T10:00:00Z", endDate: "2026-03-05T12:00:00Z" }],
          },
        }),
      ],
    });
    assert.deepEqual(previews[0], {
      speed: "Standard",
      fulfillable: true,
      cashOnDelivery: false,
      fees: [
        { name: "FBAPerUnitFulfillmentFee", amount: { amount: "3.5", currency: "USD" } },
        { name: "FBATransportationFee", amount: { amount: "1.249", currency: "USD" } },
      ],
      shipments: [
        {
          ship: { earliest: "2026-03-03T08:00:00Z", latest: "2026-03-04T08:00:00Z" },
          arrival: { earliest: "2026-03-06T08:00:00Z", latest: "2026-03-08T08:00:00Z" },
          items: [{ sku: "A", quantity: 2 }],
          notes: ["Ships separately"],
        },
      ],
      reasons: [],
      unfulfillable: [],
    });
    assert.equal(previews[1]?.cashOnDelivery, true);
    assert.equal(previews[2]?.speed, "ScheduledDelivery");
    assert.equal(previews[2]?.timeZone, "Asia/Tokyo");
    assert.deepEqual(previews[2]?.deliveryWindows, [{ start: "2026-03-05T10:00:00Z", end: "2026-03-05T12:00:00Z" }]);
    assert.deepEqual(previews[2]?.fees, [
      { name: "FBAPerOrderFulfillmentFee", amount: { amount: "550", currency: "JPY" } },
    ]);
  });

  test("previews: unfulfillable items and the order's reasons; an empty answer has no previews", () => {
    const { previews } = fromWirePreviewResult({
      fulfillmentPreviews: [
        wirePreview({
          shippingSpeedCategory: "Priority",
          isFulfillable: false,
          orderUnfulfillableReasons: ["InvalidDestinationAddress"],
          unfulfillablePreviewItems: [
            {
              sellerSku: "B",
              quantity: 1,
              sellerFulfillmentOrderItemId: "2",
              itemUnfulfillableReasons: ["NoInventory"],
            },
          ],
          fulfillmentPreviewShipments: [],
          estimatedFees: [],
        }),
      ],
    });
    assert.deepEqual(previews, [
      {
        speed: "Priority",
        fulfillable: false,
        cashOnDelivery: false,
        fees: [],
        shipments: [],
        reasons: ["InvalidDestinationAddress"],
        unfulfillable: [{ sku: "B", quantity: 1, reasons: ["NoInventory"] }],
      },
    ]);
    assert.deepEqual(fromWirePreviewResult({}), { previews: [] });
  });

  test("an order: status, action, v1 address names, items, shipments and packages", () => {
    const order = fromWireOrder(
      wireOrder({
        destinationAddress: {
          name: "Jo",
          addressLine1: "1 Main",
          addressLine2: "Apt 2",
          city: "Seattle",
          stateOrRegion: "WA",
          postalCode: "98101",
          countryCode: "US",
        },
        deliveryWindow: { startDate: "2026-03-05T09:00:00Z", endDate: "2026-03-05T12:00:00Z" },
        codSettings: { isCodRequired: true },
      }),
    );
    assert.deepEqual(order, {
      orderId: "mcf-1",
      marketplaceId: US,
      displayableOrderId: "1001",
      speed: "Standard",
      action: "Hold",
      status: "Received",
      receivedAt: "2026-03-02T10:00:01Z",
      statusUpdatedAt: "2026-03-02T10:00:01Z",
      address: {
        name: "Jo",
        line1: "1 Main",
        line2: "Apt 2",
        city: "Seattle",
        stateOrRegion: "WA",
        postalCode: "98101",
        countryCode: "US",
      },
      deliveryWindow: { start: "2026-03-05T09:00:00Z", end: "2026-03-05T12:00:00Z" },
      cashOnDelivery: true,
      items: [
        {
          sku: "A",
          lineId: "1",
          quantity: 2,
          cancelledQuantity: 0,
          unfulfillableQuantity: 0,
          estimatedShipAt: "2026-03-03T08:00:00Z",
        },
      ],
      shipments: [
        {
          id: "S1",
          status: "SHIPPED",
          shippedAt: "2026-03-03T10:00:00Z",
          items: [{ sku: "A", quantity: 2, packageNumber: 7 }],
          packages: [{ packageNumber: 7, carrier: "UPS", trackingNumber: "1Z1", amazonTrackingNumber: "TBA1" }],
        },
      ],
    });
    const plain = fromWireOrder({ ...wireOrder({ fulfillmentAction: undefined }), fulfillmentShipments: undefined });
    assert.equal("action" in plain, false);
    assert.equal(plain.cashOnDelivery, false);
    assert.deepEqual(plain.shipments, []);
  });

  test("tracking: carrier, links, status, dates and events", () => {
    assert.deepEqual(fromWireTracking(WIRE_TRACKING), {
      packageNumber: 7,
      trackingNumber: "1Z1",
      carrier: "UPS",
      carrierUrl: "https://ups.example",
      trackingUrl: "https://track.example/1Z1",
      status: "IN_TRANSIT",
      statusDescription: "On its way",
      shippedAt: "2026-03-03T10:00:00Z",
      estimatedArrivalAt: "2026-03-06T10:00:00Z",
      deliveryWindow: { start: "2026-03-06T10:00:00Z", end: "2026-03-06T12:00:00Z" },
      events: [
        {
          at: "2026-03-03T10:00:00Z",
          code: "EVENT_101",
          description: "Carrier picked up the package.",
          location: { city: "Seattle", state: "WA", country: "US" },
        },
      ],
    });
    assert.deepEqual(fromWireTracking({ packageNumber: 7 }), { packageNumber: 7, events: [] });
  });

  test("answers that do not fit Amazon's model are a WireMismatch naming the field, never a TypeError", () => {
    const preview = (value: unknown) => mismatch(() => fromWirePreviewResult({ fulfillmentPreviews: [value] }));
    const P = ["fulfillmentPreviews", 0] as const;
    assert.match(
      mismatch(() => fromWirePreviewResult(undefined)),
      /payload/,
    );
    assert.match(
      mismatch(() => fromWirePreviewResult(null)),
      /payload/,
    );
    assert.match(
      mismatch(() => fromWirePreviewResult({ fulfillmentPreviews: {} })),
      at("fulfillmentPreviews"),
    );
    assert.match(preview(null), at(...P));
    assert.match(preview({ ...wirePreview(), shippingSpeedCategory: "Teleport" }), at(...P, "shippingSpeedCategory"));
    assert.match(preview({ ...wirePreview(), isFulfillable: "yes" }), at(...P, "isFulfillable"));
    assert.match(
      preview({ ...wirePreview(), estimatedFees: [{ name: "Fee", amount: { value: 3, currencyCode: "USD" } }] }),
      at(...P, "estimatedFees", 0, "amount", "value"),
    );
    assert.match(
      preview({ ...wirePreview(), estimatedFees: [{ name: "Fee" }] }),
      at(...P, "estimatedFees", 0, "amount"),
    );
    assert.match(
      preview({
        ...wirePreview(),
        fulfillmentPreviewShipments: [{ earliestShipDate: 1, fulfillmentPreviewItems: [] }],
      }),
      at(...P, "fulfillmentPreviewShipments", 0, "earliestShipDate"),
    );
    assert.match(preview({ ...wirePreview(), scheduledDeliveryInfo: { deliveryWindows: [] } }), at("deliveryTimeZone"));
    assert.match(
      preview({ ...wirePreview(), unfulfillablePreviewItems: [{ sellerSku: "A", quantity: "1" }] }),
      at(...P, "unfulfillablePreviewItems", 0, "quantity"),
    );

    assert.match(
      mismatch(() => fromWireOrder({})),
      at("fulfillmentOrder"),
    );
    const truncated = wireOrder() as unknown as { fulfillmentOrderItems?: unknown };
    delete truncated.fulfillmentOrderItems;
    assert.match(
      mismatch(() => fromWireOrder(truncated)),
      at("fulfillmentOrderItems"),
    );
    assert.match(
      mismatch(() => fromWireOrder(wireOrder({ fulfillmentOrderStatus: "Lost" as never }))),
      at("fulfillmentOrder", "fulfillmentOrderStatus"),
    );
    assert.match(
      mismatch(() => fromWireOrder(wireOrder({ fulfillmentAction: "Ignore" as never }))),
      at("fulfillmentOrder", "fulfillmentAction"),
    );
    assert.match(
      mismatch(() => fromWireOrder(wireOrder({ destinationAddress: { name: "Jo" } as never }))),
      at("destinationAddress", "addressLine1"),
    );
    const badPackage = wireOrder();
    (badPackage.fulfillmentShipments![0]!.fulfillmentShipmentPackage![0] as { packageNumber: unknown }).packageNumber =
      "7";
    assert.match(
      mismatch(() => fromWireOrder(badPackage)),
      at("fulfillmentShipmentPackage", 0, "packageNumber"),
    );

    assert.match(
      mismatch(() => fromWireTracking({})),
      at("packageNumber"),
    );
    assert.match(
      mismatch(() => fromWireTracking({ packageNumber: 7, trackingEvents: [{ eventCode: "x" }] })),
      at("trackingEvents", 0, "eventDate"),
    );
  });
});

// ── The client, its transport and LWA over (mocked) HTTP ──────────────────────────────────────────────────────────

const server = setupServer();
before(() => server.listen());
afterEach(() => server.resetHandlers());
after(() => server.close());

/** Token endpoint that counts exchanges and issues Atza|1, Atza|2, … */
function tokenEndpoint(options: { expiresIn?: number; wait?: number } = {}) {
  const seen: URLSearchParams[] = [];
  server.use(
    http.post(TOKEN_URL, async ({ request }) => {
      seen.push(new URLSearchParams(await request.text()));
      if (options.wait) await delay(options.wait);
      return HttpResponse.json({
        access_token: `Atza|${seen.length}`,
        token_type: "bearer",
        expires_in: options.expiresIn ?? 3600,
        refresh_token: SECRETS.refreshToken,
      });
    }),
  );
  return seen;
}

function client(options: { clock?: ReturnType<typeof manualClock> } = {}) {
  const tokens = createTokenProvider({
    credentials,
    tokenUrl: TOKEN_URL,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  return createSpApi20200701({ baseUrl: AMAZON, tokens });
}

const PREVIEW_REQUEST: PreviewRequest = {
  marketplaceId: US,
  address: { name: "n", line1: "l", postalCode: "98101", countryCode: "US" },
  items: [{ sku: "A", quantity: 1 }],
};

async function upstreamError(promise: Promise<unknown>): Promise<UpstreamError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof UpstreamError, String(error));
    return error;
  }
  assert.fail("expected an UpstreamError");
}

describe("LWA token provider", () => {
  test("exchanges the refresh token once, form-encoded, and reuses the access token", async () => {
    const exchanges = tokenEndpoint();
    const tokensSeen: (string | null)[] = [];
    server.use(
      http.get(`${BASE}/fulfillmentOrders/:id`, ({ request }) => {
        tokensSeen.push(request.headers.get("x-amz-access-token"));
        return HttpResponse.json({ payload: wireOrder() });
      }),
    );
    const api = client();
    await api.getOrder("mcf-1");
    await api.getOrder("mcf-1");
    assert.equal(exchanges.length, 1);
    assert.deepEqual(Object.fromEntries(exchanges[0]!), {
      grant_type: "refresh_token",
      refresh_token: SECRETS.refreshToken,
      client_id: "client-id",
      client_secret: SECRETS.clientSecret,
    });
    assert.deepEqual(tokensSeen, ["Atza|1", "Atza|1"]);
  });

  test("refreshes 60 s before Amazon's expiry", async () => {
    const exchanges = tokenEndpoint({ expiresIn: 3600 });
    const clock = manualClock();
    const tokens = createTokenProvider({ credentials, tokenUrl: TOKEN_URL, clock });
    assert.equal(await tokens.getAccessToken(), "Atza|1");
    clock.advance(3600_000 - REFRESH_MARGIN_MS - 1);
    assert.equal(await tokens.getAccessToken(), "Atza|1");
    clock.advance(1);
    assert.equal(await tokens.getAccessToken(), "Atza|2");
    assert.equal(exchanges.length, 2);
  });

  test("one exchange however many requests wait for a token", async () => {
    const exchanges = tokenEndpoint({ wait: 30 });
    const tokens = createTokenProvider({ credentials, tokenUrl: TOKEN_URL });
    const all = await Promise.all(Array.from({ length: 20 }, () => tokens.getAccessToken()));
    assert.equal(exchanges.length, 1);
    assert.deepEqual(new Set(all), new Set(["Atza|1"]));
  });

  test("tokens live in the key-value store: providers sharing it share one token; invalidate() forgets it for all", async () => {
    const exchanges = tokenEndpoint();
    const clock = manualClock();
    const store = createMemoryStore({ maxEntries: 8, clock });
    const learned: string[] = [];
    const one = createTokenProvider({
      credentials,
      tokenUrl: TOKEN_URL,
      clock,
      store,
      onToken: (t) => learned.push(t),
    });
    const two = createTokenProvider({ credentials, tokenUrl: TOKEN_URL, clock, store });
    assert.equal(await one.getAccessToken(), "Atza|1");
    assert.equal(await two.getAccessToken(), "Atza|1");
    assert.equal(exchanges.length, 1);
    await two.invalidate();
    assert.equal(await one.getAccessToken(), "Atza|2");
    assert.equal(exchanges.length, 2);
    assert.ok(learned.includes("Atza|1") && learned.includes("Atza|2"), "every token is told, for redaction");
    // Another merchant's provider on the same store has tokens of its own.
    const other = createTokenProvider({ credentials, tokenUrl: TOKEN_URL, clock, store, merchant: "other" });
    assert.equal(await other.getAccessToken(), "Atza|3");
  });

  test("rejected credentials: a clear, non-retryable error that names the variables and no secret", async () => {
    server.use(
      http.post(TOKEN_URL, () =>
        HttpResponse.json(
          { error: "invalid_client", error_description: "Client authentication failed" },
          { status: 401 },
        ),
      ),
    );
    const error = await upstreamError(createTokenProvider({ credentials, tokenUrl: TOKEN_URL }).getAccessToken());
    assert.equal(error.operation, "token");
    assert.equal(error.retryable, false);
    assert.match(error.message, /LWA rejected the credentials \(invalid_client\).*LWA_CLIENT_ID/);
    for (const secret of [SECRETS.clientSecret, SECRETS.refreshToken])
      assert.ok(!JSON.stringify(error).includes(secret));
  });

  test("rejected credentials are answered from the store for 60 s, then LWA is asked again", async () => {
    let exchanges = 0;
    server.use(
      http.post(TOKEN_URL, () => {
        exchanges++;
        return HttpResponse.json({ error: "invalid_grant", error_description: "bad refresh token" }, { status: 400 });
      }),
    );
    const clock = manualClock();
    const store = createMemoryStore({ maxEntries: 8, clock });
    const tokens = createTokenProvider({ credentials, tokenUrl: TOKEN_URL, clock, store });
    const first = await upstreamError(tokens.getAccessToken());
    const waiting = await Promise.all(Array.from({ length: 5 }, () => upstreamError(tokens.getAccessToken())));
    assert.equal(exchanges, 1);
    for (const error of waiting) assert.equal(error.message, first.message);
    // Another instance sharing the store does not ask LWA either.
    const elsewhere = createTokenProvider({ credentials, tokenUrl: TOKEN_URL, clock, store });
    assert.equal((await upstreamError(elsewhere.getAccessToken())).message, first.message);
    assert.equal(exchanges, 1);
    clock.advance(REJECTION_CACHE_MS - 1);
    await upstreamError(tokens.getAccessToken());
    assert.equal(exchanges, 1);
    clock.advance(1);
    await upstreamError(tokens.getAccessToken());
    assert.equal(exchanges, 2);
    // The refusal was of that refresh token: a seller who re-authorised (a new token) is asked about at once.
    const reauthorised = createTokenProvider({
      credentials: { ...credentials, refreshToken: "Atzr|after-reauthorisation" },
      tokenUrl: TOKEN_URL,
      clock,
      store,
    });
    await upstreamError(reauthorised.getAccessToken());
    assert.equal(exchanges, 3);
  });

  test("onRejected hears the refusal (also one another instance stored) and may replace the error", async () => {
    server.use(
      http.post(TOKEN_URL, () =>
        HttpResponse.json({ error: "invalid_grant", error_description: "revoked" }, { status: 400 }),
      ),
    );
    const store = createMemoryStore({ maxEntries: 8 });
    const heard: string[] = [];
    const replacement = new UpstreamError({ operation: "token", status: 503, message: "not connected" });
    const onRejected = (code: string) => {
      heard.push(code);
      return replacement;
    };
    const tokens = createTokenProvider({ credentials, tokenUrl: TOKEN_URL, store, onRejected });
    assert.equal(await tokens.getAccessToken().catch((error: unknown) => error), replacement);
    const elsewhere = createTokenProvider({ credentials, tokenUrl: TOKEN_URL, store, onRejected });
    assert.equal(await elsewhere.getAccessToken().catch((error: unknown) => error), replacement);
    assert.deepEqual(heard, ["invalid_grant", "invalid_grant"]);
  });

  test("a failed exchange is not cached: the next call tries again", async () => {
    let calls = 0;
    server.use(
      http.post(TOKEN_URL, () => {
        calls++;
        return calls === 1
          ? HttpResponse.json({ error: "server_error" }, { status: 500 })
          : HttpResponse.json({ access_token: "Atza|ok", expires_in: 3600 });
      }),
    );
    const tokens = createTokenProvider({ credentials, tokenUrl: TOKEN_URL });
    const first = await upstreamError(tokens.getAccessToken());
    assert.equal(first.retryable, true);
    assert.equal(await tokens.getAccessToken(), "Atza|ok");
  });
});

describe("SP-API 2020-07-01 client", () => {
  test("operations use Amazon's paths and methods, JSON bodies, and unwrap `payload` into the model", async () => {
    tokenEndpoint();
    const calls: string[] = [];
    server.use(
      http.post(`${BASE}/fulfillmentOrders/preview`, async ({ request }) => {
        calls.push(`POST preview ${request.headers.get("content-type")} ${JSON.stringify(await request.json())}`);
        return HttpResponse.json(
          { payload: { fulfillmentPreviews: [wirePreview()] } },
          { headers: { "x-amzn-RequestId": "r-1", "x-amzn-RateLimit-Limit": "2.0" } },
        );
      }),
      http.post(`${BASE}/fulfillmentOrders`, async ({ request }) => {
        const body = (await request.json()) as Wire.CreateFulfillmentOrderRequest;
        calls.push(`POST create ${body.sellerFulfillmentOrderId} ${body.destinationAddress.addressLine1}`);
        return HttpResponse.json({});
      }),
      http.get(`${BASE}/fulfillmentOrders/:id`, ({ params }) => {
        calls.push(`GET order ${params.id}`);
        return HttpResponse.json({ payload: wireOrder({ sellerFulfillmentOrderId: String(params.id) }) });
      }),
      http.put(`${BASE}/fulfillmentOrders/:id`, async ({ params, request }) => {
        calls.push(`PUT update ${params.id} ${JSON.stringify(await request.json())}`);
        return HttpResponse.json({});
      }),
      http.put(`${BASE}/fulfillmentOrders/:id/cancel`, ({ params }) => {
        calls.push(`PUT cancel ${params.id}`);
        return HttpResponse.json({});
      }),
      http.get(`${BASE}/tracking`, ({ request }) => {
        calls.push(`GET tracking ${new URL(request.url).searchParams.get("packageNumber")}`);
        return HttpResponse.json({ payload: WIRE_TRACKING });
      }),
    );
    const api = client();
    assert.equal(api.name, "2020-07-01");
    assert.deepEqual(api.ratePlans, RATE_PLANS_2020_07_01);
    const preview = await api.preview(PREVIEW_REQUEST);
    assert.equal(preview.data.previews.length, 1);
    assert.equal(preview.data.previews[0]?.speed, "Standard");
    assert.deepEqual(preview.data.previews[0]?.fees[0], {
      name: "FBAPerUnitFulfillmentFee",
      amount: { amount: "3.5", currency: "USD" },
    });
    assert.deepEqual(preview.meta, { status: 200, amznRequestId: "r-1", rateLimitPerSecond: 2 });
    const created = await api.createOrder({
      orderId: "mcf-1",
      marketplaceId: US,
      displayableOrderId: "mcf-1",
      orderDate: "2026-03-02T10:00:00Z",
      comment: "Thanks",
      speed: "Standard",
      address: { name: "Jo", line1: "1 Main", postalCode: "98101", countryCode: "US" },
      action: "Ship",
      policy: "FillOrKill",
      items: [{ sku: "A", lineId: "1", quantity: 1 }],
    });
    assert.deepEqual(created.data, { confirmed: true });
    const order = await api.getOrder("o 1");
    assert.equal(order.data.orderId, "o 1");
    assert.equal(order.data.address.line1, "1 Main");
    assert.equal((await api.releaseHold("o 1")).data, null);
    assert.equal((await api.cancelOrder("o1")).data, null);
    const tracking = await api.getTracking(order.data, 7);
    assert.equal(tracking.data.carrier, "UPS");
    assert.equal(tracking.data.events[0]?.code, "EVENT_101");
    assert.equal(calls[0]?.startsWith("POST preview application/json {"), true);
    assert.match(calls[0] ?? "", /"addressLine1":"l"/);
    assert.deepEqual(calls.slice(1), [
      "POST create mcf-1 1 Main",
      "GET order o 1",
      'PUT update o 1 {"fulfillmentAction":"Ship"}',
      "PUT cancel o1",
      "GET tracking 7",
    ]);
  });

  test("Amazon's errors become UpstreamError with the model's operation, request id, rate limit and retryability", async () => {
    tokenEndpoint();
    server.use(
      http.post(`${BASE}/fulfillmentOrders/preview`, () =>
        HttpResponse.json(
          { errors: [{ code: "InvalidInput", message: "Invalid sellerSku", details: "sellerSku" }] },
          { status: 400, headers: { "x-amzn-RequestId": "r-400", "x-amzn-RateLimit-Limit": "2" } },
        ),
      ),
      http.get(`${BASE}/fulfillmentOrders/:id`, () =>
        HttpResponse.json(
          { errors: [{ code: "QuotaExceeded", message: "You exceeded your quota for the requested resource." }] },
          { status: 429, headers: { "x-amzn-RequestId": "r-429" } },
        ),
      ),
      http.put(`${BASE}/fulfillmentOrders/:id/cancel`, () => new HttpResponse("<html>oops</html>", { status: 503 })),
    );
    const api = client();
    const invalid = await upstreamError(api.preview(PREVIEW_REQUEST));
    assert.equal(invalid.status, 400);
    assert.equal(invalid.operation, "preview");
    assert.equal(invalid.amznRequestId, "r-400");
    assert.equal(invalid.rateLimitPerSecond, 2);
    assert.equal(invalid.retryable, false);
    assert.deepEqual(invalid.errors, [{ code: "InvalidInput", message: "Invalid sellerSku", details: "sellerSku" }]);
    const throttled = await upstreamError(api.getOrder("o1"));
    assert.equal(throttled.status, 429);
    assert.equal(throttled.operation, "getOrder");
    assert.equal(throttled.retryable, true);
    assert.equal(throttled.amznRequestId, "r-429");
    const down = await upstreamError(api.cancelOrder("o1"));
    assert.equal(down.status, 503);
    assert.equal(down.operation, "cancelOrder");
    assert.equal(down.retryable, true);
    assert.deepEqual(down.errors, []);
  });

  test("a malformed or truncated 2xx body is a 502 MalformedAnswer UpstreamError, never a TypeError", async () => {
    tokenEndpoint();
    const preview = JSON.stringify({ payload: { fulfillmentPreviews: [wirePreview()] } });
    const order = JSON.stringify({ payload: wireOrder() });
    const answers: Record<string, () => Response> = {
      "cut mid-JSON": () =>
        new HttpResponse(preview.slice(0, preview.length / 2), { headers: { "content-type": "application/json" } }),
      "not JSON": () => new HttpResponse("<html>hi</html>", { headers: { "content-type": "text/html" } }),
      empty: () => new HttpResponse(null, { status: 200 }),
      "no payload": () => HttpResponse.json({}),
      "wrong shape": () => HttpResponse.json({ payload: { fulfillmentPreviews: [{ shippingSpeedCategory: 7 }] } }),
      "truncated order": () =>
        new HttpResponse(order.slice(0, order.length - 40), { headers: { "content-type": "application/json" } }),
      "order without items": () =>
        HttpResponse.json(
          { payload: { fulfillmentOrder: wireOrder().fulfillmentOrder } },
          {
            headers: { "x-amzn-RequestId": "r-bad" },
          },
        ),
      "tracking without a package number": () => HttpResponse.json({ payload: { trackingNumber: "1Z1" } }),
    };
    let current = "";
    server.use(
      http.post(`${BASE}/fulfillmentOrders/preview`, () => answers[current]!()),
      http.get(`${BASE}/fulfillmentOrders/:id`, () => answers[current]!()),
      http.get(`${BASE}/tracking`, () => answers[current]!()),
    );
    const api = client();
    const check = async (what: string, operation: string, call: () => Promise<unknown>) => {
      current = what;
      const error = await upstreamError(call());
      assert.equal(error.status, 502, what);
      assert.equal(error.operation, operation, what);
      assert.equal(error.retryable, true, what);
      assert.equal(error.errors[0]?.code, MALFORMED_ANSWER, what);
      assert.match(error.message, /does not fit its model/, what);
      return error;
    };
    for (const what of ["cut mid-JSON", "not JSON", "empty", "no payload", "wrong shape"]) {
      await check(what, "preview", () => api.preview(PREVIEW_REQUEST));
    }
    await check("truncated order", "getOrder", () => api.getOrder("o1"));
    const noItems = await check("order without items", "getOrder", () => api.getOrder("o1"));
    assert.equal(noItems.amznRequestId, "r-bad", "Amazon's request id stays with the malformed answer");
    assert.match(noItems.message, /fulfillmentOrderItems/);
    current = "tracking without a package number";
    const order1 = fromWireOrder(wireOrder());
    await check("tracking without a package number", "getTracking", () => api.getTracking(order1, 7));
  });

  test("a body cut off by the connection after the headers is a 502 MalformedAnswer too", async () => {
    tokenEndpoint();
    // Headers arrive, then the connection drops mid-body: a fetch whose body stream errors after the first bytes.
    const cutOff: typeof fetch = async () =>
      new Response(
        new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('{"payload":{"fulfillmentOrder":{'));
            controller.error(new Error("connection reset"));
          },
        }),
        { headers: { "content-type": "application/json", "x-amzn-RequestId": "r-cut" } },
      );
    const tokens = createTokenProvider({ credentials, tokenUrl: TOKEN_URL });
    const api = createSpApi20200701({ baseUrl: AMAZON, tokens, fetch: cutOff });
    const error = await upstreamError(api.getOrder("o1"));
    assert.equal(error.status, 502);
    assert.equal(error.operation, "getOrder");
    assert.equal(error.errors[0]?.code, MALFORMED_ANSWER);
    assert.equal(error.amznRequestId, "r-cut");
    assert.match(error.message, /cut off/);
  });

  test("an access token Amazon refuses is replaced once", async () => {
    const exchanges = tokenEndpoint();
    const seen: (string | null)[] = [];
    server.use(
      http.get(`${BASE}/fulfillmentOrders/:id`, ({ request }) => {
        const token = request.headers.get("x-amz-access-token");
        seen.push(token);
        return token === "Atza|1"
          ? HttpResponse.json(
              { errors: [{ code: "Unauthorized", message: "The access token you provided has expired." }] },
              { status: 403 },
            )
          : HttpResponse.json({ payload: wireOrder() });
      }),
    );
    assert.equal((await client().getOrder("mcf-1")).data.orderId, "mcf-1");
    assert.deepEqual(seen, ["Atza|1", "Atza|2"]);
    assert.equal(exchanges.length, 2);
  });

  test("a token refused twice is reported, not retried forever", async () => {
    const exchanges = tokenEndpoint();
    let calls = 0;
    server.use(
      http.get(`${BASE}/fulfillmentOrders/:id`, () => {
        calls++;
        return HttpResponse.json(
          { errors: [{ code: "Unauthorized", message: "Access to requested resource is denied." }] },
          { status: 403 },
        );
      }),
    );
    const error = await upstreamError(client().getOrder("o1"));
    assert.equal(error.status, 403);
    assert.equal(calls, 2);
    assert.equal(exchanges.length, 2);
  });

  test("no timeout of its own: the caller's signal aborts the attempt, and the guard gives it exactly one", async () => {
    tokenEndpoint();
    server.use(
      http.get(`${BASE}/fulfillmentOrders/:id`, async () => {
        await delay(600);
        return HttpResponse.json({ payload: wireOrder() });
      }),
    );
    const api = client();
    const controller = new AbortController();
    const reason = new Error("the shopper left");
    const pending = api.getOrder("o1", { signal: controller.signal });
    setTimeout(() => controller.abort(reason), 20);
    await assert.rejects(pending, (error) => error === reason);

    const guard = createGuard(
      resolveOptions({ policies: { getOrder: { timeoutMs: 50, maxRetries: 0 } } }, api.ratePlans),
      createMemoryRateLimiterStore(),
      "default",
    );
    const error = await upstreamError(guard.run("getOrder", (signal) => api.getOrder("o1", { signal })));
    assert.equal(error.status, 0);
    assert.equal(error.retryable, true);
    assert.equal(error.errors[0]?.code, "UpstreamTimeout");
    assert.match(error.message, /within 50 ms/);
  });

  test("a network failure gives status 0, unreachable", async () => {
    tokenEndpoint();
    server.use(http.get(`${BASE}/fulfillmentOrders/:id`, () => HttpResponse.error()));
    const error = await upstreamError(client().getOrder("o1"));
    assert.equal(error.status, 0);
    assert.equal(error.retryable, true);
    assert.match(error.message, /unreachable/);
  });

  test("health: ok with a token, down with the reason when LWA refuses", async () => {
    tokenEndpoint();
    assert.deepEqual(await client().checkHealth(), { status: "ok" });
    server.use(http.post(TOKEN_URL, () => HttpResponse.json({ error: "invalid_client" }, { status: 401 })));
    const down = await client().checkHealth();
    assert.equal(down.status, "down");
    assert.match(down.reason ?? "", /LWA rejected the credentials/);
  });

  test("createDialect builds 2020-07-01 from the configuration, LWA and Amazon at the configured URLs", async () => {
    const config = testConfig({ MCF_UPSTREAM_URL: AMAZON, LWA_TOKEN_URL: TOKEN_URL });
    const exchanges = tokenEndpoint();
    const secrets: string[] = [];
    server.use(http.get(`${BASE}/fulfillmentOrders/:id`, () => HttpResponse.json({ payload: wireOrder() })));
    const dialect = createDialect(config, {
      tokens: createMemoryStore({ maxEntries: 4 }),
      onSecret: (s) => secrets.push(s),
    });
    assert.equal(dialect.name, "2020-07-01");
    assert.equal((await dialect.getOrder("mcf-1")).data.status, "Received");
    assert.equal(exchanges.length, 1);
    assert.deepEqual(secrets, ["Atza|1"]);
  });
});

describe("malformed answers through the app", () => {
  test("an order read whose answer is truncated is a 502 problem naming Amazon's request id, not a 500", async () => {
    tokenEndpoint();
    const order = JSON.stringify({ payload: wireOrder() });
    server.use(
      http.get(
        `${BASE}/fulfillmentOrders/:id`,
        () =>
          new HttpResponse(order.slice(0, 60), {
            headers: { "content-type": "application/json", "x-amzn-RequestId": "r-trunc" },
          }),
      ),
    );
    const app = createApp(testConfig({ MCF_UPSTREAM_URL: AMAZON, LWA_TOKEN_URL: TOKEN_URL }), {
      logger: { log() {} },
      resilience: { policies: { getOrder: { maxRetries: 0 } } },
    });
    const response = await app.request("/v1/orders/mcf-1", {
      headers: { authorization: `Bearer ${SECRETS.secretKey}` },
    });
    assert.equal(response.status, 502);
    assert.equal(response.headers.get("content-type"), "application/problem+json");
    const problem = (await response.json()) as { title: string; amznRequestId?: string };
    assert.match(problem.title, /unreadabl/i);
    assert.equal(problem.amznRequestId, "r-trunc");
  });
});
