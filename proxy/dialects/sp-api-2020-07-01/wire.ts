// The fulfillment model ↔ SP-API Fulfillment Outbound 2020-07-01 wire shapes. Pure. Amazon's answers are checked
// on the way in: a body that does not fit the model (truncated, wrong types) throws WireMismatch, which the client
// turns into a malformed-answer upstream error instead of letting a TypeError surface later as a 500.

import * as z from "zod/mini";
import type * as Wire from "../../../spec/generated/fulfillment-outbound-2020-07-01.ts";
import { SPEEDS } from "../../contract/v1.ts";
import {
  type Address,
  type NewOrder,
  ORDER_STATUSES,
  type Order,
  type PackageTracking,
  type Preview,
  type PreviewRequest,
  type PreviewResult,
} from "../../fulfillment/model.ts";

export class WireMismatch extends Error {
  constructor(what: string) {
    super(what);
    this.name = "WireMismatch";
  }
}

// ── Requests ──────────────────────────────────────────────────────────────────────────────────────────────────────

export function toWireAddress(address: Address): Wire.Address {
  return {
    name: address.name,
    addressLine1: address.line1,
    ...(address.line2 ? { addressLine2: address.line2 } : {}),
    ...(address.line3 ? { addressLine3: address.line3 } : {}),
    ...(address.city ? { city: address.city } : {}),
    ...(address.districtOrCounty ? { districtOrCounty: address.districtOrCounty } : {}),
    ...(address.stateOrRegion ? { stateOrRegion: address.stateOrRegion } : {}),
    postalCode: address.postalCode,
    countryCode: address.countryCode.toUpperCase(),
    ...(address.phone ? { phone: address.phone } : {}),
  };
}

export function toWirePreviewRequest(request: PreviewRequest): Wire.GetFulfillmentPreviewRequest {
  const wire: Wire.GetFulfillmentPreviewRequest = {
    marketplaceId: request.marketplaceId,
    address: toWireAddress(request.address),
    items: request.items.map((item, index) => ({
      sellerSku: item.sku,
      quantity: item.quantity,
      sellerFulfillmentOrderItemId: `${index + 1}`,
      ...(item.declaredValue
        ? { perUnitDeclaredValue: { currencyCode: item.declaredValue.currency, value: item.declaredValue.amount } }
        : {}),
    })),
  };
  if (request.speeds) wire.shippingSpeedCategories = [...request.speeds];
  if (request.cashOnDelivery) wire.includeCODFulfillmentPreview = true;
  if (request.deliveryWindows) wire.includeDeliveryWindows = true;
  return wire;
}

export function toWireCreateRequest(order: NewOrder): Wire.CreateFulfillmentOrderRequest {
  const wire: Wire.CreateFulfillmentOrderRequest = {
    marketplaceId: order.marketplaceId,
    sellerFulfillmentOrderId: order.orderId,
    displayableOrderId: order.displayableOrderId,
    displayableOrderDate: order.orderDate,
    displayableOrderComment: order.comment,
    shippingSpeedCategory: order.speed,
    destinationAddress: toWireAddress(order.address),
    fulfillmentAction: order.action,
    fulfillmentPolicy: order.policy,
    items: order.items.map((item) => ({
      sellerSku: item.sku,
      sellerFulfillmentOrderItemId: item.lineId,
      quantity: item.quantity,
      ...(item.giftMessage ? { giftMessage: item.giftMessage } : {}),
      ...(item.displayableComment ? { displayableComment: item.displayableComment } : {}),
      ...(item.perUnitPrice ? { perUnitPrice: wireMoney(item.perUnitPrice) } : {}),
      ...(item.perUnitTax ? { perUnitTax: wireMoney(item.perUnitTax) } : {}),
    })),
  };
  if (order.deliveryWindow)
    wire.deliveryWindow = { startDate: order.deliveryWindow.start, endDate: order.deliveryWindow.end };
  if (order.notificationEmails?.length) wire.notificationEmails = order.notificationEmails;
  if (order.cashOnDelivery) {
    wire.codSettings = { isCodRequired: true, shippingCharge: wireMoney(order.cashOnDelivery.shippingCharge) };
  }
  return wire;
}

const wireMoney = (money: { amount: string; currency: string }): Wire.Money => ({
  currencyCode: money.currency,
  value: money.amount,
});

// ── Answers ───────────────────────────────────────────────────────────────────────────────────────────────────────
// Only the fields the proxy reads are checked; anything else Amazon adds is ignored.

const text = z.string();
const opt = z.optional(z.string());
const num = z.number();
const list = <T extends z.core.SomeType>(item: T) => z._default(z.array(item), []);
const speed = z.enum(SPEEDS);
const money = z.object({ value: text, currencyCode: text });
const window = z.object({ startDate: text, endDate: text });
/** Tracking's delivery window is a DateRange, not a DeliveryWindow (the model's two shapes for a time range). */
const dateRange = z.object({ earliest: text, latest: text });
const address = z.object({
  name: text,
  addressLine1: text,
  addressLine2: opt,
  addressLine3: opt,
  city: opt,
  districtOrCounty: opt,
  stateOrRegion: opt,
  postalCode: text,
  countryCode: text,
  phone: opt,
});

const previewResult = z.object({
  fulfillmentPreviews: list(
    z.object({
      shippingSpeedCategory: speed,
      isFulfillable: z.boolean(),
      isCODCapable: z._default(z.boolean(), false),
      estimatedFees: list(z.object({ name: text, amount: money })),
      fulfillmentPreviewShipments: list(
        z.object({
          earliestShipDate: opt,
          latestShipDate: opt,
          earliestArrivalDate: opt,
          latestArrivalDate: opt,
          shippingNotes: list(text),
          fulfillmentPreviewItems: list(z.object({ sellerSku: text, quantity: num })),
        }),
      ),
      unfulfillablePreviewItems: list(
        z.object({ sellerSku: text, quantity: num, itemUnfulfillableReasons: list(text) }),
      ),
      orderUnfulfillableReasons: list(text),
      scheduledDeliveryInfo: z.optional(z.object({ deliveryTimeZone: text, deliveryWindows: list(window) })),
    }),
  ),
});

const orderResult = z.object({
  fulfillmentOrder: z.object({
    sellerFulfillmentOrderId: text,
    marketplaceId: text,
    displayableOrderId: text,
    shippingSpeedCategory: speed,
    fulfillmentAction: z.optional(z.enum(["Ship", "Hold"])),
    fulfillmentOrderStatus: z.enum(ORDER_STATUSES),
    receivedDate: text,
    statusUpdatedDate: text,
    destinationAddress: address,
    deliveryWindow: z.optional(window),
    codSettings: z.optional(z.object({ isCodRequired: z.boolean() })),
  }),
  fulfillmentOrderItems: z.array(
    z.object({
      sellerSku: text,
      sellerFulfillmentOrderItemId: text,
      quantity: num,
      cancelledQuantity: z._default(num, 0),
      unfulfillableQuantity: z._default(num, 0),
      estimatedShipDate: opt,
      estimatedArrivalDate: opt,
    }),
  ),
  fulfillmentShipments: list(
    z.object({
      amazonShipmentId: text,
      fulfillmentShipmentStatus: text,
      shippingDate: opt,
      estimatedArrivalDate: opt,
      fulfillmentShipmentItem: list(z.object({ sellerSku: text, quantity: num, packageNumber: z.optional(num) })),
      fulfillmentShipmentPackage: list(
        z.object({
          packageNumber: num,
          carrierCode: text,
          trackingNumber: opt,
          amazonFulfillmentTrackingNumber: opt,
          estimatedArrivalDate: opt,
        }),
      ),
    }),
  ),
});

const trackingResult = z.object({
  packageNumber: num,
  trackingNumber: opt,
  carrierCode: opt,
  carrierURL: opt,
  customerTrackingLink: opt,
  currentStatus: opt,
  currentStatusDescription: opt,
  shipDate: opt,
  estimatedArrivalDate: opt,
  deliveryWindow: z.optional(dateRange),
  signedForBy: opt,
  trackingEvents: list(
    z.object({
      eventDate: text,
      eventCode: text,
      eventDescription: text,
      eventAddress: z.optional(z.object({ city: opt, state: opt, country: opt })),
    }),
  ),
});

/** Parses `payload` with `schema`, or throws WireMismatch naming the first field that does not fit. */
function parse<T>(schema: z.ZodMiniType<T>, payload: unknown): T {
  const parsed = schema.safeParse(payload);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new WireMismatch(`${issue?.path.join(".") || "payload"} ${issue?.message ?? "is invalid"}`);
}

/** Only the fields present, so optional members stay absent rather than undefined. */
function defined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined) delete value[key];
  return value;
}

const interval = (range: { startDate: string; endDate: string } | undefined) =>
  range ? { start: range.startDate, end: range.endDate } : undefined;

export function fromWirePreviewResult(payload: unknown): PreviewResult {
  const result = parse(previewResult, payload);
  return {
    previews: result.fulfillmentPreviews.map((preview): Preview => {
      const scheduled = preview.scheduledDeliveryInfo;
      const windows = (scheduled?.deliveryWindows ?? []).map((entry) => interval(entry)!);
      return defined({
        speed: preview.shippingSpeedCategory,
        fulfillable: preview.isFulfillable,
        cashOnDelivery: preview.isCODCapable,
        fees: preview.estimatedFees.map((fee) => ({
          name: fee.name,
          amount: { amount: fee.amount.value, currency: fee.amount.currencyCode },
        })),
        shipments: preview.fulfillmentPreviewShipments.map((shipment) =>
          defined({
            ship: defined({ earliest: shipment.earliestShipDate, latest: shipment.latestShipDate }),
            arrival: defined({ earliest: shipment.earliestArrivalDate, latest: shipment.latestArrivalDate }),
            items: shipment.fulfillmentPreviewItems.map((item) => ({ sku: item.sellerSku, quantity: item.quantity })),
            notes: shipment.shippingNotes.length > 0 ? shipment.shippingNotes : undefined,
          }),
        ),
        timeZone: scheduled?.deliveryTimeZone,
        deliveryWindows: windows.length > 0 ? windows : undefined,
        reasons: preview.orderUnfulfillableReasons,
        unfulfillable: preview.unfulfillablePreviewItems.map((item) => ({
          sku: item.sellerSku,
          quantity: item.quantity,
          reasons: item.itemUnfulfillableReasons,
        })),
      });
    }),
  };
}

export function fromWireOrder(payload: unknown): Order {
  const { fulfillmentOrder: order, fulfillmentOrderItems, fulfillmentShipments } = parse(orderResult, payload);
  const { addressLine1, addressLine2, addressLine3, ...rest } = order.destinationAddress;
  return defined({
    orderId: order.sellerFulfillmentOrderId,
    marketplaceId: order.marketplaceId,
    displayableOrderId: order.displayableOrderId,
    speed: order.shippingSpeedCategory,
    action: order.fulfillmentAction,
    status: order.fulfillmentOrderStatus,
    receivedAt: order.receivedDate,
    statusUpdatedAt: order.statusUpdatedDate,
    address: defined({ ...rest, line1: addressLine1, line2: addressLine2, line3: addressLine3 }) as Address,
    deliveryWindow: interval(order.deliveryWindow),
    cashOnDelivery: order.codSettings?.isCodRequired === true,
    items: fulfillmentOrderItems.map((item) =>
      defined({
        sku: item.sellerSku,
        lineId: item.sellerFulfillmentOrderItemId,
        quantity: item.quantity,
        cancelledQuantity: item.cancelledQuantity,
        unfulfillableQuantity: item.unfulfillableQuantity,
        estimatedShipAt: item.estimatedShipDate,
        estimatedArrivalAt: item.estimatedArrivalDate,
      }),
    ),
    shipments: fulfillmentShipments.map((shipment) =>
      defined({
        id: shipment.amazonShipmentId,
        status: shipment.fulfillmentShipmentStatus,
        shippedAt: shipment.shippingDate,
        estimatedArrivalAt: shipment.estimatedArrivalDate,
        items: shipment.fulfillmentShipmentItem.map((item) =>
          defined({ sku: item.sellerSku, quantity: item.quantity, packageNumber: item.packageNumber }),
        ),
        packages: shipment.fulfillmentShipmentPackage.map((entry) =>
          defined({
            packageNumber: entry.packageNumber,
            carrier: entry.carrierCode,
            trackingNumber: entry.trackingNumber,
            amazonTrackingNumber: entry.amazonFulfillmentTrackingNumber,
            estimatedArrivalAt: entry.estimatedArrivalDate,
          }),
        ),
      }),
    ),
  });
}

export function fromWireTracking(payload: unknown): PackageTracking {
  const details = parse(trackingResult, payload);
  return defined({
    packageNumber: details.packageNumber,
    trackingNumber: details.trackingNumber,
    carrier: details.carrierCode,
    carrierUrl: details.carrierURL,
    trackingUrl: details.customerTrackingLink,
    status: details.currentStatus,
    statusDescription: details.currentStatusDescription,
    shippedAt: details.shipDate,
    estimatedArrivalAt: details.estimatedArrivalDate,
    deliveryWindow: details.deliveryWindow
      ? { start: details.deliveryWindow.earliest, end: details.deliveryWindow.latest }
      : undefined,
    signedForBy: details.signedForBy,
    events: details.trackingEvents.map((event) =>
      defined({
        at: event.eventDate,
        code: event.eventCode,
        description: event.eventDescription,
        location: event.eventAddress ? defined({ ...event.eventAddress }) : undefined,
      }),
    ),
  });
}
