// The rules of turning a quote into an Amazon fulfillment order, as pure functions: who may order what with which
// action, whether the order matches its quote, the deterministic order id, and the views returned to callers.
import type {
  CreateFulfillmentOrderRequest,
  FulfillmentAction,
  GetFulfillmentOrderResult,
  PackageTrackingDetails,
} from "../../spec/generated/fulfillment-outbound-2020-07-01.ts";
import type { Caller } from "../auth/index.ts";
import type { BrowserOrders } from "../config/index.ts";
import { type FieldError, Problem, problemType } from "../problems/index.ts";
import { destinationMismatches, itemsDigest, normalizePostalCode, sha256, sha256Base64Url } from "../quotes/digest.ts";
import type { VerifiedQuote } from "../quotes/index.ts";
import type { CreateOrderRequest } from "../schemas/index.ts";
import { toAmazonAddress } from "../upstream/address.ts";

/** Refuses any browser order when the merchant turned them off (checked before reading the body). */
export function assertBrowserOrdersAllowed(browserOrders: BrowserOrders): void {
  if (browserOrders !== "off") return;
  throw new Problem({
    type: problemType(403, "browser-orders-off"),
    title: "Browser orders are disabled",
    status: 403,
    detail: "This proxy takes orders only from the merchant's server (MCF_BROWSER_ORDERS=off).",
    errors: [{ path: "header Authorization", message: "must carry the secret key" }],
  });
}

/** Create-order action per caller and configuration; throws a Problem explaining a refusal. */
export function decideAction(
  caller: Caller,
  requested: FulfillmentAction | undefined,
  speed: string,
  browserOrders: BrowserOrders,
): FulfillmentAction {
  const scheduled = speed === "ScheduledDelivery";
  if (caller === "browser") {
    assertBrowserOrdersAllowed(browserOrders);
    if (browserOrders === "hold") {
      if (requested === "Ship") {
        throw new Problem({
          title: "Browsers may not ship orders",
          status: 403,
          detail: "Orders from a browser are created on Hold; the merchant's server releases them after payment.",
          errors: [{ path: "action", message: "must be Hold (or omitted) for browser orders" }],
        });
      }
      if (scheduled) {
        throw new Problem({
          type: problemType(422, "scheduled-delivery-hold"),
          title: "Scheduled Delivery cannot be held",
          status: 422,
          detail:
            "Amazon does not allow Scheduled Delivery orders on Hold, and this proxy creates browser orders on Hold. " +
            "Create the order from the merchant's server with the secret key, or set MCF_BROWSER_ORDERS=ship.",
          errors: [{ path: "quote", message: "is for ScheduledDelivery, which browsers cannot order on Hold" }],
        });
      }
      return "Hold";
    }
  }
  const action = requested ?? "Ship";
  if (action === "Hold" && scheduled) {
    throw new Problem({
      type: problemType(422, "scheduled-delivery-hold"),
      title: "Scheduled Delivery cannot be held",
      status: 422,
      detail: "Amazon does not allow Scheduled Delivery orders on Hold.",
      errors: [{ path: "action", message: "must be Ship for a ScheduledDelivery quote" }],
    });
  }
  return action;
}

/** Where the order differs from what its quote was issued for (empty when it matches). */
export async function quoteMismatches(
  quote: VerifiedQuote,
  request: Pick<CreateOrderRequest, "items" | "address">,
  allowedMarketplaces: readonly string[],
): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  if (!allowedMarketplaces.includes(quote.mkt)) {
    errors.push({ path: "quote", message: `is for marketplace ${quote.mkt}, which this proxy does not serve` });
  }
  if ((await itemsDigest(request.items)) !== quote.itm) {
    errors.push({ path: "items", message: "differ from the items the quote was issued for (SKUs and quantities)" });
  }
  for (const field of await destinationMismatches(quote.dst, request.address)) {
    errors.push({ path: `address.${field}`, message: "differs from the address the quote was issued for" });
  }
  return errors;
}

/**
 * What a browser may not put in an order: its own `orderId` (it could name another shopper's order and be handed
 * that order's token) and the amounts Amazon collects on delivery (`perUnitPrice`, `perUnitTax`): money to collect
 * comes only from the merchant's server. Throws a 403 naming every such field.
 */
export function assertBrowserMayOrder(request: Pick<CreateOrderRequest, "orderId" | "items">): void {
  const errors: FieldError[] = [];
  if (request.orderId !== undefined) {
    errors.push({ path: "orderId", message: "may only be chosen by the merchant's server (secret key)" });
  }
  request.items.forEach((item, index) => {
    for (const field of ["perUnitPrice", "perUnitTax"] as const) {
      if (item[field] !== undefined) {
        errors.push({ path: `items[${index}].${field}`, message: "may only be set by the merchant's server" });
      }
    }
  });
  if (errors.length === 0) return;
  throw new Problem({
    title: "Not allowed from a browser",
    status: 403,
    detail:
      `A browser may not set ${errors.map((error) => error.path).join(", ")}: ` +
      "order ids and amounts to collect come from the merchant's server (secret key).",
    errors,
  });
}

/** Cash on delivery collects item prices only the merchant's server may state, so a browser cannot order it. */
export function assertBrowserQuote(quote: Pick<VerifiedQuote, "cod">): void {
  if (!quote.cod) return;
  throw new Problem({
    type: problemType(422, "cod-needs-server"),
    title: "Cash on delivery needs the merchant's server",
    status: 422,
    detail:
      "Amazon collects item prices on a cash-on-delivery order, and only the merchant's server may state them: " +
      "create this order from the server with the secret key (items[].perUnitPrice), or choose another way to pay.",
    errors: [{ path: "quote", message: "is for cash on delivery, which only the merchant's server can order" }],
  });
}

/**
 * The same quote with the same order body from the same kind of caller always gives the same Amazon order id,
 * whatever Idempotency-Key came with it, so a retry after a lost answer finds the order instead of creating a second
 * one. 36 characters of [a-z0-9-], inside Amazon's 40.
 */
export async function deriveOrderId(quoteId: string, bodyDigest: string, caller: Caller): Promise<string> {
  const digest = await sha256(`order:${caller}:${quoteId}:${bodyDigest}`);
  const hex = [...digest.slice(0, 16)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
  return `mcf-${hex}`;
}

/** Stable JSON: keys sorted, so semantically equal bodies digest equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export function bodyDigest(body: unknown): Promise<string> {
  return sha256Base64Url(`body:${canonicalJson(body)}`);
}

export interface CreateContext {
  sellerFulfillmentOrderId: string;
  action: FulfillmentAction;
  now: number;
  defaultComment: string;
}

export function buildCreateRequest(
  request: CreateOrderRequest,
  quote: VerifiedQuote,
  context: CreateContext,
): CreateFulfillmentOrderRequest {
  const body: CreateFulfillmentOrderRequest = {
    marketplaceId: quote.mkt,
    sellerFulfillmentOrderId: context.sellerFulfillmentOrderId,
    displayableOrderId: request.displayableOrderId ?? request.orderId ?? context.sellerFulfillmentOrderId,
    displayableOrderDate: request.orderDate ?? new Date(context.now).toISOString(),
    displayableOrderComment: request.comment ?? context.defaultComment,
    shippingSpeedCategory: quote.spd,
    destinationAddress: toAmazonAddress(request.address),
    fulfillmentAction: context.action,
    fulfillmentPolicy: request.policy ?? "FillOrKill",
    items: request.items.map((item, index) => ({
      sellerSku: item.sku,
      sellerFulfillmentOrderItemId: `${index + 1}`,
      quantity: item.quantity,
      ...(item.giftMessage ? { giftMessage: item.giftMessage } : {}),
      ...(item.displayableComment ? { displayableComment: item.displayableComment } : {}),
      ...(item.perUnitPrice ? { perUnitPrice: { currencyCode: quote.cur, value: item.perUnitPrice } } : {}),
      ...(item.perUnitTax ? { perUnitTax: { currencyCode: quote.cur, value: item.perUnitTax } } : {}),
    })),
  };
  if (quote.win) body.deliveryWindow = { startDate: quote.win.s, endDate: quote.win.e };
  if (request.notificationEmails?.length) body.notificationEmails = request.notificationEmails;
  if (quote.cod) {
    body.codSettings = { isCodRequired: true, shippingCharge: { currencyCode: quote.cur, value: quote.amt } };
  }
  return body;
}

const loose = (value: string | undefined) => (value ?? "").normalize("NFKC").trim().replace(/\s+/g, " ").toLowerCase();
const sameTime = (a: string | undefined, b: string | undefined) =>
  a === undefined || b === undefined ? a === b : Date.parse(a) === Date.parse(b);
const lineList = (items: readonly { sellerSku: string; quantity: number }[]) =>
  items.map((item) => `${JSON.stringify(item.sellerSku)}:${item.quantity}`).sort();

/**
 * Where an order Amazon already holds under this id differs from the one we meant to create (empty: it is the same
 * order, e.g. a retry whose first answer was lost): marketplace, speed, destination address, lines and quantities,
 * delivery window and cash on delivery.
 */
export function orderDifferences(
  existing: GetFulfillmentOrderResult,
  intended: CreateFulfillmentOrderRequest,
): string[] {
  const order = existing.fulfillmentOrder;
  const differences: string[] = [];
  if (order.marketplaceId !== intended.marketplaceId) differences.push("marketplaceId");
  if (order.shippingSpeedCategory !== intended.shippingSpeedCategory) differences.push("speed");
  const have = order.destinationAddress;
  const want = intended.destinationAddress;
  for (const field of ADDRESS_FIELDS) {
    const same =
      field === "postalCode"
        ? normalizePostalCode(have.postalCode) === normalizePostalCode(want.postalCode)
        : loose(have[field]) === loose(want[field]);
    if (!same) differences.push(`address.${field}`);
  }
  const haveLines = lineList(existing.fulfillmentOrderItems);
  const wantLines = lineList(intended.items);
  if (haveLines.join(",") !== wantLines.join(",")) differences.push("items");
  if (
    !sameTime(order.deliveryWindow?.startDate, intended.deliveryWindow?.startDate) ||
    !sameTime(order.deliveryWindow?.endDate, intended.deliveryWindow?.endDate)
  ) {
    differences.push("deliveryWindow");
  }
  if (!!order.codSettings?.isCodRequired !== !!intended.codSettings?.isCodRequired) differences.push("cashOnDelivery");
  return differences;
}

const ADDRESS_FIELDS = [
  "name",
  "addressLine1",
  "addressLine2",
  "addressLine3",
  "city",
  "districtOrCounty",
  "stateOrRegion",
  "postalCode",
  "countryCode",
  "phone",
] as const;

/** Does an order Amazon already holds under this id belong to this request (a retry) rather than another order? */
export function sameOrder(existing: GetFulfillmentOrderResult, intended: CreateFulfillmentOrderRequest): boolean {
  return orderDifferences(existing, intended).length === 0;
}

/**
 * An order read back (it already existed) keeps the action Amazon has. Asking to ship an identical order that is on
 * Hold must not answer as if it shipped: the merchant releases it explicitly.
 */
export function assertActionHonoured(
  orderId: string,
  requested: FulfillmentAction,
  existing: GetFulfillmentOrderResult,
): void {
  if (requested !== "Ship" || existing.fulfillmentOrder.fulfillmentAction !== "Hold") return;
  throw new Problem({
    type: problemType(409, "order-on-hold"),
    title: "The order already exists on Hold",
    status: 409,
    detail:
      `Amazon already has this order (${orderId}) on Hold, created by an earlier request. Nothing was shipped: ` +
      `release it with POST /v1/orders/${orderId}/ship.`,
    errors: [{ path: "action", message: "is Ship, but the existing identical order is on Hold" }],
  });
}

/** Amazon's way of saying the sellerFulfillmentOrderId is taken. */
export function isAlreadyExists(status: number, errors: { code: string; message: string }[]): boolean {
  return (
    status === 409 ||
    (status === 400 &&
      errors.some((error) =>
        /already exists|duplicate|already been used|DuplicateRequest/i.test(`${error.code} ${error.message}`),
      ))
  );
}

export interface OrderPackage {
  packageNumber: number;
  carrierCode: string;
  trackingNumber?: string;
  amazonTrackingNumber?: string;
  estimatedArrivalDate?: string;
  shipmentId: string;
}

export interface OrderView {
  orderId: string;
  status: string;
  action?: FulfillmentAction;
  speed: string;
  marketplaceId: string;
  displayableOrderId: string;
  receivedDate: string;
  statusUpdatedDate: string;
  deliveryWindow?: { start: string; end: string };
  items: {
    sku: string;
    quantity: number;
    cancelledQuantity: number;
    unfulfillableQuantity: number;
    estimatedShipDate?: string;
    estimatedArrivalDate?: string;
  }[];
  shipments: {
    id: string;
    status: string;
    shippingDate?: string;
    estimatedArrivalDate?: string;
    items: { sku: string; quantity: number; packageNumber?: number }[];
    packageNumbers: number[];
  }[];
  packages: OrderPackage[];
  trackingNumbers: string[];
  /** The full destination; only for the merchant's server. */
  address?: GetFulfillmentOrderResult["fulfillmentOrder"]["destinationAddress"];
}

export function orderView(result: GetFulfillmentOrderResult, caller: Caller): OrderView {
  const order = result.fulfillmentOrder;
  const shipments = result.fulfillmentShipments ?? [];
  const packages: OrderPackage[] = shipments.flatMap((shipment) =>
    (shipment.fulfillmentShipmentPackage ?? []).map((entry) => ({
      packageNumber: entry.packageNumber,
      carrierCode: entry.carrierCode,
      ...(entry.trackingNumber ? { trackingNumber: entry.trackingNumber } : {}),
      ...(entry.amazonFulfillmentTrackingNumber ? { amazonTrackingNumber: entry.amazonFulfillmentTrackingNumber } : {}),
      ...(entry.estimatedArrivalDate ? { estimatedArrivalDate: entry.estimatedArrivalDate } : {}),
      shipmentId: shipment.amazonShipmentId,
    })),
  );
  const view: OrderView = {
    orderId: order.sellerFulfillmentOrderId,
    status: order.fulfillmentOrderStatus,
    speed: order.shippingSpeedCategory,
    marketplaceId: order.marketplaceId,
    displayableOrderId: order.displayableOrderId,
    receivedDate: order.receivedDate,
    statusUpdatedDate: order.statusUpdatedDate,
    items: result.fulfillmentOrderItems.map((item) => ({
      sku: item.sellerSku,
      quantity: item.quantity,
      cancelledQuantity: item.cancelledQuantity,
      unfulfillableQuantity: item.unfulfillableQuantity,
      ...(item.estimatedShipDate ? { estimatedShipDate: item.estimatedShipDate } : {}),
      ...(item.estimatedArrivalDate ? { estimatedArrivalDate: item.estimatedArrivalDate } : {}),
    })),
    shipments: shipments.map((shipment) => ({
      id: shipment.amazonShipmentId,
      status: shipment.fulfillmentShipmentStatus,
      ...(shipment.shippingDate ? { shippingDate: shipment.shippingDate } : {}),
      ...(shipment.estimatedArrivalDate ? { estimatedArrivalDate: shipment.estimatedArrivalDate } : {}),
      items: shipment.fulfillmentShipmentItem.map((item) => ({
        sku: item.sellerSku,
        quantity: item.quantity,
        ...(item.packageNumber !== undefined ? { packageNumber: item.packageNumber } : {}),
      })),
      packageNumbers: (shipment.fulfillmentShipmentPackage ?? []).map((entry) => entry.packageNumber),
    })),
    packages,
    trackingNumbers: [
      ...new Set(
        packages.flatMap((entry) => [entry.trackingNumber, entry.amazonTrackingNumber].filter((n) => n !== undefined)),
      ),
    ],
  };
  if (order.fulfillmentAction) view.action = order.fulfillmentAction;
  if (order.deliveryWindow)
    view.deliveryWindow = { start: order.deliveryWindow.startDate, end: order.deliveryWindow.endDate };
  if (caller === "server") view.address = order.destinationAddress;
  return view;
}

/** A browser may cancel only while nothing has been released to the warehouse. */
export function isOnHold(result: GetFulfillmentOrderResult): boolean {
  const order = result.fulfillmentOrder;
  return (
    order.fulfillmentAction === "Hold" &&
    !["Cancelled", "Complete", "CompletePartialled", "Unfulfillable", "Invalid"].includes(order.fulfillmentOrderStatus)
  );
}

export function trackingView(details: PackageTrackingDetails) {
  return {
    packageNumber: details.packageNumber,
    ...(details.trackingNumber ? { trackingNumber: details.trackingNumber } : {}),
    ...(details.carrierCode ? { carrierCode: details.carrierCode } : {}),
    ...(details.carrierURL ? { carrierUrl: details.carrierURL } : {}),
    ...(details.customerTrackingLink ? { trackingUrl: details.customerTrackingLink } : {}),
    ...(details.currentStatus ? { status: details.currentStatus } : {}),
    ...(details.currentStatusDescription ? { statusDescription: details.currentStatusDescription } : {}),
    ...(details.shipDate ? { shipDate: details.shipDate } : {}),
    ...(details.estimatedArrivalDate ? { estimatedArrivalDate: details.estimatedArrivalDate } : {}),
    ...(details.deliveryWindow ? { deliveryWindow: details.deliveryWindow } : {}),
    ...(details.signedForBy ? { signedForBy: details.signedForBy } : {}),
    events: (details.trackingEvents ?? []).map((event) => ({
      date: event.eventDate,
      code: event.eventCode,
      description: event.eventDescription,
      location: event.eventAddress,
    })),
  };
}
