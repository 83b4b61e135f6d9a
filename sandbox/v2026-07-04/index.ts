// Fulfillment Outbound 2026-07-04 over the same seller state as 2020-07-01: one stock, one order book, one LWA,
// throttle and fault plan. Each route checks the request against the 2026 model, maps it onto the shared rules
// (their errors renamed to 2026 field names) and answers in 2026 shapes.
//
// Throttle buckets and fault plans are those of the 2020-07-01 counterpart of each operation (THROTTLE_AS): one
// seller, one quota, and a fault plan for getFulfillmentPreview also fails getOrderPreview.

import model from "../../spec/fulfillmentOutbound_2026-07-04.json" with { type: "json" };
import type { CreateFulfillmentOrderRequest } from "../../spec/generated/fulfillment-outbound-2020-07-01.ts";
import type {
  CreateOrderRequest,
  GetOffersRequest,
  GetOrderPreviewRequest,
  OfferResult,
  UpdateOrderRequest,
  UpdateOrderStatusRequest,
  UpdatePackageRequest,
} from "../../spec/generated/fulfillment-outbound-2026-07-04.ts";
import type { SandboxApp, SandboxContext } from "../context.ts";
import { deliveryWindows, estimateShipping, isoInstant } from "../dates/index.ts";
import { AmazonError, invalidInput, invalidInputs } from "../http/errors.ts";
import { jsonBody, operation } from "../http/operation.ts";
import { type Marketplace, marketplaceByCountry } from "../marketplaces.ts";
import type { Order } from "../orders/store.ts";
import { buildPreviews } from "../preview/index.ts";
import { cancelOrder, createOrder, moveTo, updateOrder } from "../routes/orders.ts";
import { decodePageToken, page, sinceParam } from "../routes/paging.ts";
import {
  addressProblem,
  checkItems,
  checkJapanOnly,
  checkMoney,
  checkSellerFulfillmentOrderId,
  requestMarketplace,
} from "../validation/rules.ts";
import { validateModel } from "../validation/schema.ts";
import {
  ACTIONS,
  BASE,
  DROP_OFF_LOCATIONS,
  eaches,
  in2026Terms,
  oneOf,
  orderView,
  PACKAGE_STATUSES,
  POLICIES,
  previewAnswer,
  STATUS_MOVES,
  TIERS,
  tierOf,
  toAddress2020,
  toMoney2020,
} from "./wire.ts";

export { BASE as BASE_2026 } from "./wire.ts";

/** Each 2026 operation spends the throttle bucket (and takes the faults) of its 2020-07-01 counterpart. */
export const THROTTLE_AS = {
  getOrderPreview: "getFulfillmentPreview",
  getOffers: "deliveryOffers",
  createOrder: "createFulfillmentOrder",
  listOrders: "listAllFulfillmentOrders",
  getOrder: "getFulfillmentOrder",
  updateOrder: "updateFulfillmentOrder",
  cancelOrder: "cancelFulfillmentOrder",
  updateOrderStatus: "submitFulfillmentOrderStatusUpdate",
  updatePackage: "submitFulfillmentOrderStatusUpdate",
} as const;

/** createOrder answers 202 (accepted, not yet processed) for order ids with this prefix, 200 for all others. */
export const ASYNC_ORDER_PREFIX = "async-";

const DEFINITIONS = model.definitions as Record<string, unknown>;

/** Throws Amazon's 400 listing every way `value` breaks the 2026-07-04 definition. */
function assertModel<T>(definition: string, value: unknown): T {
  const problems = validateModel(DEFINITIONS, definition, value);
  if (problems.length > 0) throw invalidInputs(problems);
  return value as T;
}

function notFound(orderId: string): AmazonError {
  return new AmazonError(404, [
    { code: "NotFound", message: `Fulfillment order '${orderId}' was not found.`, details: `orderId: ${orderId}` },
  ]);
}

function findOrder(ctx: SandboxContext, sellerId: string, orderId: string): Order {
  in2026Terms(() => checkSellerFulfillmentOrderId(orderId));
  const order = ctx.orders.get(sellerId, orderId);
  if (!order) throw notFound(orderId);
  return order;
}

/** The origin names the marketplace (2026-07-04 has no marketplaceId); without one, the destination's country. */
function originMarketplace(ctx: SandboxContext, origin: string | undefined, destination: string): Marketplace {
  if (origin === undefined) return in2026Terms(() => requestMarketplace(ctx.marketplaces, undefined, destination));
  const marketplace = marketplaceByCountry(ctx.marketplaces, origin);
  if (!marketplace) throw invalidInput(`origin.countryCode '${origin}' is not a supported country.`);
  return marketplace;
}

function tiersOf(tiers: string[] | undefined, field: string) {
  return (tiers ?? []).map((tier, i) => oneOf(TIERS, tier, `${field}[${i}]`));
}

export function registerV20260704(app: SandboxApp, ctx: SandboxContext): void {
  app.post(`${BASE}/previews`, operation(ctx, THROTTLE_AS.getOrderPreview), async (c) => {
    const body = assertModel<GetOrderPreviewRequest>("GetOrderPreviewRequest", await jsonBody(c.req.raw));
    const address = body.destination.deliveryAddress;
    const marketplace = originMarketplace(ctx, body.origin?.countryCode, address.countryCode);
    const requested = tiersOf(
      body.fulfillmentConfiguration?.serviceLevel?.serviceTiers,
      "fulfillmentConfiguration.serviceLevel.serviceTiers",
    );
    const speeds = requested.length > 0 ? [...new Set(requested)] : marketplace.speeds;
    const items = body.lineItems.map((line, i) => ({
      sellerSku: line.product.productIdentifier.amazonSku,
      sellerFulfillmentOrderItemId: String(i + 1),
      quantity: eaches(line.amount, `lineItems[${i}].amount`),
      ...(line.product.perUnitDeclaredValue
        ? { perUnitDeclaredValue: toMoney2020(line.product.perUnitDeclaredValue) }
        : {}),
    }));
    in2026Terms(() => {
      checkItems(items);
      checkMoney(
        marketplace,
        items.map((item, i) => [`lineItems[${i}].product.perUnitDeclaredValue`, item.perUnitDeclaredValue]),
      );
      checkJapanOnly(marketplace, [
        {
          field: "fulfillmentConfiguration.serviceLevel.serviceTiers SCHEDULED",
          present: speeds.includes("ScheduledDelivery"),
        },
      ]);
    });
    const problem = addressProblem(marketplace, address);
    const includePaymentOnDelivery = body.includePaymentOnDelivery === true;
    const previews = buildPreviews({
      marketplace,
      items,
      speeds,
      // Payment on delivery is India only in 2026-07-04.
      includeCOD: includePaymentOnDelivery && marketplace.countryCode === "IN" && marketplace.cashOnDelivery,
      includeDeliveryWindows: true,
      ...(problem ? { addressProblem: problem } : {}),
      destination: { postalCode: address.postalCode },
      now: ctx.clock.now(),
      stockOf: (sku) => {
        const item = ctx.inventories.of(c.get("sellerId")).get(marketplace.id, sku);
        return item ? { parcel: item.parcel, available: item.fulfillable } : undefined;
      },
    });
    const answer = previewAnswer(previews, {
      marketplace,
      excludeEstimatedFees: body.excludeEstimatedFees === true,
      includePaymentOnDelivery,
    });
    return c.json({
      plannedShipments: answer.plannedShipments,
      ...(answer.constraints.length > 0 ? { constraints: answer.constraints } : {}),
    });
  });

  app.post(`${BASE}/offers`, operation(ctx, THROTTLE_AS.getOffers), async (c) => {
    const body = assertModel<GetOffersRequest>("GetOffersRequest", await jsonBody(c.req.raw));
    const marketplace = marketplaceByCountry(ctx.marketplaces, body.origin.countryCode);
    if (!marketplace) throw invalidInput(`origin.countryCode '${body.origin.countryCode}' is not a supported country.`);
    if (body.items.length === 0) throw invalidInput("items must contain at least one item.");
    const requested = tiersOf(
      body.fulfillmentConfiguration?.serviceLevel?.serviceTiers,
      "fulfillmentConfiguration.serviceLevel.serviceTiers",
    );
    in2026Terms(() =>
      checkJapanOnly(marketplace, [
        {
          field: "fulfillmentConfiguration.serviceLevel.serviceTiers SCHEDULED",
          present: requested.includes("ScheduledDelivery"),
        },
      ]),
    );
    const address = body.destination?.deliveryAddress;
    if (address) {
      const problem = addressProblem(marketplace, address);
      if (problem) throw invalidInput(problem.replace("destinationAddress", "destination.deliveryAddress"));
    }
    const now = ctx.clock.now();
    // Without tiers: every tier the marketplace has except SCHEDULED, which is asked for by name.
    const speeds = (
      requested.length > 0 ? requested : marketplace.speeds.filter((s) => s !== "ScheduledDelivery")
    ).filter((speed) => marketplace.speeds.includes(speed));
    const offerResults: OfferResult[] = body.items.map((item, i) => {
      const sku = item.productIdentifier?.amazonSku;
      if (!sku) throw invalidInput(`items[${i}].productIdentifier.amazonSku is required.`);
      const stock = ctx.inventories.of(c.get("sellerId")).get(marketplace.id, sku);
      if (!stock || stock.fulfillable < 1)
        return {
          item,
          offers: [],
          constraints: [
            {
              code: stock ? "ItemQuantityNotAvailable" : "InvalidSku",
              type: "Item",
              message: stock
                ? `Amazon SKU '${sku}' is out of stock.`
                : `Amazon SKU '${sku}' is not in this seller's inventory.`,
              details: [{ type: "amazonSku", value: sku }],
            },
          ],
        };
      return { item, offers: speeds.flatMap((speed) => offersFor(marketplace, speed, now)) };
    });
    return c.json({ offerResults });
  });

  app.post(`${BASE}/orders`, operation(ctx, THROTTLE_AS.createOrder), async (c) => {
    const body = assertModel<CreateOrderRequest>("CreateOrderRequest", await jsonBody(c.req.raw));
    const now = ctx.clock.now();
    const { request, extras, lineConfigurations } = createRequest(ctx, body, now);
    const order = in2026Terms(() =>
      createOrder(ctx, c.get("sellerId"), request, now, { ...(extras ? { extras2026: extras } : {}) }),
    );
    order.lines.forEach((line, i) => {
      const configuration = lineConfigurations[i];
      if (configuration) line.fulfillmentConfiguration = configuration;
    });
    if (order.sellerFulfillmentOrderId.startsWith(ASYNC_ORDER_PREFIX))
      return c.json({ orderId: order.sellerFulfillmentOrderId, status: "PROCESSING" }, 202);
    return c.json({ order: orderView(order, now) });
  });

  app.get(`${BASE}/orders`, operation(ctx, THROTTLE_AS.listOrders), (c) => {
    const sellerId = c.get("sellerId");
    // The model names the query parameter pageToken and the answer's field nextToken; both are honoured as named.
    const token = c.req.query("pageToken");
    const state = token !== undefined ? pageState(token) : { offset: 0 };
    const since = state.since ?? sinceParam("updatedAfter", c.req.query("updatedAfter"));
    const includeShipments = shipmentsParam(c.req.query("shipments"));
    const matching = ctx.orders
      .all(sellerId)
      .filter((o) => since === undefined || o.statusUpdatedAt > since)
      .sort(
        (a, b) => a.receivedAt - b.receivedAt || (a.sellerFulfillmentOrderId < b.sellerFulfillmentOrderId ? -1 : 1),
      );
    const result = page(matching, since === undefined ? state : { ...state, since }, ctx.pageSize);
    const now = ctx.clock.now();
    return c.json({
      orders: result.rows.map((order) => orderView(order, now, includeShipments)),
      ...(result.nextToken ? { pagination: { nextToken: result.nextToken } } : {}),
    });
  });

  app.get(`${BASE}/orders/:orderId`, operation(ctx, THROTTLE_AS.getOrder), (c) => {
    const order = findOrder(ctx, c.get("sellerId"), c.req.param("orderId"));
    const includeShipments = shipmentsParam(c.req.query("shipments"));
    return c.json({ order: orderView(order, ctx.clock.now(), includeShipments) });
  });

  app.put(`${BASE}/orders/:orderId/cancel`, operation(ctx, THROTTLE_AS.cancelOrder), (c) => {
    const order = findOrder(ctx, c.get("sellerId"), c.req.param("orderId"));
    in2026Terms(() => cancelOrder(ctx, order));
    return c.json({}, 202);
  });

  app.put(`${BASE}/orders/:orderId/status`, operation(ctx, THROTTLE_AS.updateOrderStatus), async (c) => {
    const order = findOrder(ctx, c.get("sellerId"), c.req.param("orderId"));
    const body = assertModel<UpdateOrderStatusRequest>("UpdateOrderStatusRequest", (await jsonBody(c.req.raw)) ?? {});
    const status = oneOf(STATUS_MOVES, body.status, "status");
    in2026Terms(() => moveTo(ctx, order, status, ctx.clock.now()));
    return c.body(null, 204);
  });

  app.put(`${BASE}/orders/:orderId/packages/:packageId`, operation(ctx, THROTTLE_AS.updatePackage), async (c) => {
    const order = findOrder(ctx, c.get("sellerId"), c.req.param("orderId"));
    const packageId = c.req.param("packageId");
    const body = assertModel<UpdatePackageRequest>("UpdatePackageRequest", (await jsonBody(c.req.raw)) ?? {});
    if (order.packageNumber === undefined || String(order.packageNumber) !== packageId)
      throw new AmazonError(404, [
        {
          code: "NotFound",
          message: `Package '${packageId}' is not in fulfillment order '${order.sellerFulfillmentOrderId}'.`,
          details: `packageId: ${packageId}`,
        },
      ]);
    if (!(PACKAGE_STATUSES as readonly string[]).includes(body.status))
      throw invalidInput(`status '${body.status}' is not valid; use one of ${PACKAGE_STATUSES.join(", ")}.`);
    const deliveryTime = body.deliveryTime === undefined ? undefined : Date.parse(body.deliveryTime);
    if (deliveryTime !== undefined && Number.isNaN(deliveryTime))
      throw invalidInput("deliveryTime must be an ISO 8601 date-time.");
    checkDropOff(body.tracking?.dropOffLocation?.type, "tracking.dropOffLocation.type");
    order.packageUpdate = {
      status: body.status,
      ...(deliveryTime !== undefined ? { deliveryTime } : {}),
      ...(body.tracking ? { tracking: body.tracking } : {}),
    };
    return c.body(null, 204);
  });

  app.put(`${BASE}/orders/:orderId`, operation(ctx, THROTTLE_AS.updateOrder), async (c) => {
    const order = findOrder(ctx, c.get("sellerId"), c.req.param("orderId"));
    const body = assertModel<UpdateOrderRequest>("UpdateOrderRequest", (await jsonBody(c.req.raw)) ?? {});
    const action = body.fulfillmentConfiguration?.action;
    if (action === undefined) throw invalidInput("fulfillmentConfiguration.action is required.");
    const wanted = oneOf(ACTIONS, action, "fulfillmentConfiguration.action");
    // HOLD on an order already on hold changes nothing; everything else goes through the shared update rules.
    if (!(wanted === "Hold" && order.fulfillmentAction === "Hold"))
      in2026Terms(() => updateOrder(ctx, order, { fulfillmentAction: wanted }, ctx.clock.now()));
    return c.json({}, 202);
  });
}

function pageState(token: string) {
  try {
    return decodePageToken(token);
  } catch {
    throw invalidInput("pageToken is invalid or expired.");
  }
}

function shipmentsParam(value: string | undefined): boolean {
  if (value === undefined || value === "INCLUDE") return true;
  if (value === "EXCLUDE") return false;
  throw invalidInput(`shipments '${value}' is not valid; use INCLUDE or EXCLUDE.`);
}

function checkDropOff(type: string | undefined, field: string): void {
  if (type !== undefined && !(DROP_OFF_LOCATIONS as readonly string[]).includes(type))
    throw invalidInput(`${field} '${type}' is not valid; use one of ${DROP_OFF_LOCATIONS.join(", ")}.`);
}

/** getOffers: the estimate for one tier, or one offer per delivery window for SCHEDULED. */
function offersFor(marketplace: Marketplace, speed: keyof Marketplace["transit"], now: number) {
  const transit = marketplace.transit[speed];
  if (!transit) return [];
  const estimate = estimateShipping(now, marketplace, transit);
  const expiryTime = isoInstant(now + 3_600_000);
  const intervals =
    speed === "ScheduledDelivery" && marketplace.deliveryWindows
      ? deliveryWindows(now, marketplace, transit, marketplace.deliveryWindows).map((w) => ({
          start: w.start,
          end: w.end,
        }))
      : [{ start: estimate.earliestArrivalDate, end: estimate.latestArrivalDate }];
  return intervals.map((interval) => ({
    expiryTime,
    fulfillmentConfiguration: {
      serviceLevel: {
        serviceTier: tierOf(speed),
        deliveryInterval: { startTime: isoInstant(interval.start), endTime: isoInstant(interval.end) },
      },
    },
  }));
}

/**
 * A 2026 createOrder as the shared create rules take it: the packing slip's orderId, orderTime and orderText are the
 * displayable order fields; what 2020-07-01 has no field for travels beside it.
 */
function createRequest(ctx: SandboxContext, body: CreateOrderRequest, now: number) {
  const configuration = body.fulfillmentConfiguration ?? {};
  const address = body.destination.deliveryAddress;
  const marketplace = originMarketplace(ctx, body.origin?.countryCode, address.countryCode);
  const tiers = tiersOf(configuration.serviceLevel?.serviceTiers, "fulfillmentConfiguration.serviceLevel.serviceTiers");
  const interval = configuration.serviceLevel?.deliveryInterval;
  const slip = configuration.services?.packaging?.packingSlip?.templateAttributes ?? {};
  const india = marketplace.countryCode === "IN";
  const problems: string[] = [];
  if (body.paymentInformation && !india) problems.push("paymentInformation is only available in India.");
  body.lineItems.forEach((line, i) => {
    if (line.fulfillmentConfiguration?.services?.delivery?.paymentOnDelivery && !india)
      problems.push(
        `lineItems[${i}].fulfillmentConfiguration.services.delivery.paymentOnDelivery is only available in India.`,
      );
  });
  if (problems.length > 0) throw invalidInputs(problems);
  checkDropOff(body.destination.dropOffLocation?.type, "destination.dropOffLocation.type");
  const request: CreateFulfillmentOrderRequest = {
    marketplaceId: marketplace.id,
    sellerFulfillmentOrderId: body.orderId,
    displayableOrderId: slip.orderId ?? body.orderId,
    displayableOrderDate: slip.orderTime ?? isoInstant(now),
    displayableOrderComment: slip.orderText ?? "",
    shippingSpeedCategory: tiers[0] ?? "Standard",
    ...(interval ? { deliveryWindow: { startDate: interval.startTime, endDate: interval.endTime } } : {}),
    destinationAddress: toAddress2020(address),
    fulfillmentAction: oneOf(ACTIONS, configuration.action ?? "SHIP", "fulfillmentConfiguration.action"),
    fulfillmentPolicy: oneOf(POLICIES, configuration.policy ?? "FILL_OR_KILL", "fulfillmentConfiguration.policy"),
    shipFromCountryCode: marketplace.countryCode,
    items: body.lineItems.map((line, i) => ({
      sellerSku: line.product.productIdentifier.amazonSku,
      sellerFulfillmentOrderItemId: line.lineItemId,
      quantity: eaches(line.amount, `lineItems[${i}].amount`),
      ...(line.product.perUnitDeclaredValue
        ? { perUnitDeclaredValue: toMoney2020(line.product.perUnitDeclaredValue) }
        : {}),
    })),
  };
  in2026Terms(() =>
    checkMoney(
      marketplace,
      request.items.map((item, i) => [`lineItems[${i}].product.perUnitDeclaredValue`, item.perUnitDeclaredValue]),
    ),
  );
  const extras = {
    ...(body.channel ? { channel: body.channel } : {}),
    ...(address.email ? { email: address.email } : {}),
    ...(body.destination.deliveryNotes ? { deliveryNotes: body.destination.deliveryNotes } : {}),
    ...(body.destination.dropOffLocation ? { dropOffLocation: body.destination.dropOffLocation } : {}),
    ...(configuration.services ? { services: configuration.services } : {}),
  };
  return {
    request,
    extras: Object.keys(extras).length > 0 ? extras : undefined,
    lineConfigurations: body.lineItems.map((line) => line.fulfillmentConfiguration),
  };
}
