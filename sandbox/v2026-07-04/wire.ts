// Fulfillment Outbound 2026-07-04 on the wire, mapped to and from the shapes the shared seller state keeps (those of
// 2020-07-01): one table per concept, and pure functions from a request to the shared shape and from an order or a
// preview to the 2026 answer. No I/O here.
import type {
  Address as Address2020,
  FulfillmentOrderStatus,
  FulfillmentPolicy,
  FulfillmentPreview,
  FulfillmentShipment,
  Money as Money2020,
  ShippingSpeedCategory,
} from "../../spec/generated/fulfillment-outbound-2020-07-01.ts";
import type {
  Address,
  Amount,
  Constraint,
  FulfillmentOrder,
  Money,
  Package,
  PreviewDeliveryOffer,
  PreviewPlannedShipment,
  Shipment,
} from "../../spec/generated/fulfillment-outbound-2026-07-04.ts";
import { isoInstant } from "../dates/index.ts";
import { formatMoney } from "../fees/index.ts";
import { AmazonError, invalidInput } from "../http/errors.ts";
import type { Marketplace } from "../marketplaces.ts";
import { trackingStatus, trackingSteps } from "../orders/lifecycle.ts";
import { type Order, orderResultView } from "../orders/store.ts";

export const BASE = "/fulfillment/outbound/2026-07-04";

// ── Enums ─────────────────────────────────────────────────────────────────────────────────────────────────────────

export const TIERS: Record<string, ShippingSpeedCategory> = {
  STANDARD: "Standard",
  EXPEDITED: "Expedited",
  PRIORITY: "Priority",
  SCHEDULED: "ScheduledDelivery",
};
export const ACTIONS = { SHIP: "Ship", HOLD: "Hold" } as const;
export const POLICIES: Record<string, FulfillmentPolicy> = {
  FILL_OR_KILL: "FillOrKill",
  FILL_ALL: "FillAll",
  FILL_ALL_AVAILABLE: "FillAllAvailable",
};
/** The shared lifecycle's statuses as 2026-07-04 reports them: the three early steps are all PROCESSING. */
export const ORDER_STATUSES: Record<FulfillmentOrderStatus, string> = {
  New: "PROCESSING",
  Received: "PROCESSING",
  Planning: "PROCESSING",
  Processing: "PROCESSING",
  Complete: "COMPLETE",
  CompletePartialled: "COMPLETE_PARTIAL",
  Cancelled: "CANCELLED",
  Unfulfillable: "UNFULFILLABLE",
  Invalid: "INVALID",
};
/** updateOrderStatus: where each 2026 status moves the shared lifecycle. */
export const STATUS_MOVES: Record<string, FulfillmentOrderStatus> = {
  PROCESSING: "Processing",
  COMPLETE: "Complete",
  COMPLETE_PARTIAL: "CompletePartialled",
  CANCELLED: "Cancelled",
  UNFULFILLABLE: "Unfulfillable",
  INVALID: "Invalid",
};
export const SHIPMENT_STATUSES: Record<FulfillmentShipment["fulfillmentShipmentStatus"], string> = {
  PENDING: "PROCESSING",
  SHIPPED: "SHIPPED",
  CANCELLED_BY_FULFILLER: "CANCELLED",
  CANCELLED_BY_SELLER: "CANCELLED",
};
export const PACKAGE_STATUSES = [
  "PROCESSING",
  "IN_TRANSIT",
  "DELAYED",
  "OUT_FOR_DELIVERY",
  "DELIVERED",
  "UNDELIVERABLE",
  "EXPIRED",
] as const;
export const DROP_OFF_LOCATIONS = [
  "FRONT_DOOR",
  "DELIVERY_BOX",
  "GAS_METER_BOX",
  "BICYCLE_BASKET",
  "GARAGE",
  "RECEPTIONIST",
  "FALLBACK_NEIGHBOR_DELIVERY",
  "DO_NOT_LEAVE_UNATTENDED",
  "LOCKER",
] as const;
/** The 2020-07-01 unfulfillable reasons as 2026-07-04 constraint codes. */
export const CONSTRAINT_CODES: Record<string, string> = {
  InventoryUnavailable: "ItemQuantityNotAvailable",
  InvalidSKU: "InvalidSku",
  InvalidDestinationAddress: "InvalidDestinationAddress",
  DeliverySLAUnavailable: "ServiceTierUnavailable",
};

export function tierOf(speed: ShippingSpeedCategory): string {
  return Object.entries(TIERS).find(([, value]) => value === speed)?.[0] ?? "STANDARD";
}

/** Looks `value` up in `table`, or answers a 400 naming `field` and the values it takes. */
export function oneOf<T>(table: Record<string, T>, value: string, field: string): T {
  const found = Object.hasOwn(table, value) ? table[value] : undefined;
  if (found === undefined)
    throw invalidInput(`${field} '${value}' is not valid; use one of ${Object.keys(table).join(", ")}.`);
  return found;
}

// ── Quantity and money ────────────────────────────────────────────────────────────────────────────────────────────

/** `{unit: "EACHES", value: "2.0"}` → 2; anything but a whole number of eaches is a 400 naming `field`. */
export function eaches(amount: Amount, field: string): number {
  if (amount.unit !== undefined && amount.unit !== "EACHES")
    throw invalidInput(`${field}.unit '${amount.unit}' is not valid; use EACHES.`);
  const match = /^(\d+)(\.0*)?$/.exec(amount.value.trim());
  const units = match ? Number(match[1]) : Number.NaN;
  if (!Number.isSafeInteger(units) || units < 1)
    throw invalidInput(`${field}.value '${amount.value}' must be a whole number of at least 1.`);
  return units;
}

export function amountOf(units: number): Amount {
  return { unit: "EACHES", value: units.toFixed(1) };
}

export const toMoney2020 = (money: Money): Money2020 => ({ currencyCode: money.currencyCode, value: money.amount });
export const fromMoney2020 = (money: Money2020): Money => ({ currencyCode: money.currencyCode, amount: money.value });

// ── Addresses ─────────────────────────────────────────────────────────────────────────────────────────────────────

/** The two versions name address fields alike; only `email` is new (kept aside, 2020-07-01 has no place for it). */
export function toAddress2020(address: Address): Address2020 {
  const { email: _email, ...rest } = address;
  return rest;
}

// ── Errors ────────────────────────────────────────────────────────────────────────────────────────────────────────

/** What the shared rules call a field, and its name in 2026-07-04, longest first. */
const FIELD_NAMES: [string, string][] = [
  ["getFulfillmentPreview with includeDeliveryWindows", "getOrderPreview with serviceTiers SCHEDULED"],
  ["shippingSpeedCategory ScheduledDelivery", "fulfillmentConfiguration.serviceLevel.serviceTiers SCHEDULED"],
  ["sellerFulfillmentOrderItemId", "lineItemId"],
  ["sellerFulfillmentOrderId", "orderId"],
  ["shippingSpeedCategory", "fulfillmentConfiguration.serviceLevel.serviceTiers"],
  ["destinationAddress", "destination.deliveryAddress"],
  ["deliveryWindow", "fulfillmentConfiguration.serviceLevel.deliveryInterval"],
  ["fulfillmentAction", "fulfillmentConfiguration.action"],
  ["sellerSku", "product.productIdentifier.amazonSku"],
  ["].quantity", "].amount.value"],
  ["items[", "lineItems["],
  ["items must", "lineItems must"],
  ["fulfillmentConfiguration.action Hold", "fulfillmentConfiguration.action HOLD"],
  ["ScheduledDelivery", "SCHEDULED"],
];

/** Runs a shared rule and renames the fields its errors name to their 2026-07-04 names. */
export function in2026Terms<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (!(error instanceof AmazonError)) throw error;
    const rename = (text: string) => FIELD_NAMES.reduce((out, [from, to]) => out.replaceAll(from, to), text);
    throw new AmazonError(
      error.status,
      error.errors.map((entry) => ({ ...entry, message: rename(entry.message) })),
    );
  }
}

// ── Previews ──────────────────────────────────────────────────────────────────────────────────────────────────────

export interface PreviewAnswerOptions {
  marketplace: Marketplace;
  excludeEstimatedFees: boolean;
  includePaymentOnDelivery: boolean;
}

/**
 * getFulfillmentPreview's previews (one per speed and COD choice) as one planned shipment with an offer per tier
 * (per delivery window for SCHEDULED), and everything that stops an item or a tier as constraints.
 */
export function previewAnswer(
  previews: FulfillmentPreview[],
  options: PreviewAnswerOptions,
): { plannedShipments: PreviewPlannedShipment[]; constraints: Constraint[] } {
  const constraints: Constraint[] = [];
  const offers: PreviewDeliveryOffer[] = [];
  let shipment: PreviewPlannedShipment | undefined;
  const seenItems = new Set<string>();
  for (const preview of previews) {
    const tier = tierOf(preview.shippingSpeedCategory);
    for (const reason of preview.orderUnfulfillableReasons ?? []) {
      const code = CONSTRAINT_CODES[reason] ?? reason;
      if (code === "ServiceTierUnavailable") {
        constraints.push({
          code,
          type: "ServiceLevel",
          message: `Service tier ${tier} is not available for this destination.`,
          details: [{ type: "serviceTier", value: tier }],
        });
      } else if (!constraints.some((c) => c.code === code)) {
        constraints.push({ code, type: "Destination", message: destinationMessage(code) });
      }
    }
    for (const item of preview.unfulfillablePreviewItems ?? []) {
      if (seenItems.has(item.sellerFulfillmentOrderItemId)) continue;
      seenItems.add(item.sellerFulfillmentOrderItemId);
      for (const reason of item.itemUnfulfillableReasons ?? []) {
        constraints.push({
          code: CONSTRAINT_CODES[reason] ?? reason,
          type: "Item",
          message:
            reason === "InvalidSKU"
              ? `Amazon SKU '${item.sellerSku}' is not in this seller's inventory.`
              : `There is not enough quantity of Amazon SKU '${item.sellerSku}'.`,
          details: [
            { type: "amazonSku", value: item.sellerSku },
            { type: "quantity", value: String(item.quantity) },
          ],
        });
      }
    }
    const planned = preview.fulfillmentPreviewShipments?.[0];
    if (!planned) continue;
    shipment ??= {
      ...(preview.estimatedShippingWeight ? { estimatedShippingWeight: preview.estimatedShippingWeight } : {}),
      items: (planned.fulfillmentPreviewItems ?? []).map((item) => ({
        productIdentifier: { amazonSku: item.sellerSku },
        amount: amountOf(item.quantity),
      })),
    };
    const shipInterval = { startTime: planned.earliestShipDate ?? "", endTime: planned.latestShipDate ?? "" };
    const arrival = { startTime: planned.earliestArrivalDate ?? "", endTime: planned.latestArrivalDate ?? "" };
    const windows = preview.scheduledDeliveryInfo?.deliveryWindows.map((w) => ({
      startTime: w.startDate,
      endTime: w.endDate,
    }));
    for (const deliveryInterval of windows ?? [arrival]) {
      const offer: PreviewDeliveryOffer = {
        fulfillmentConfiguration: {
          serviceLevel: { serviceTier: tier, deliveryInterval, shipInterval },
          ...(options.includePaymentOnDelivery
            ? { services: { delivery: { paymentOnDelivery: preview.isCODCapable ? "ENABLED" : "DISABLED" } } }
            : {}),
        },
      };
      if (!options.excludeEstimatedFees && preview.estimatedFees)
        offer.estimatedPrice = estimatedPrice(preview.estimatedFees, options.marketplace);
      offers.push(offer);
    }
  }
  if (shipment && offers.length > 0) shipment.offers = offers;
  return { plannedShipments: shipment ? [shipment] : [], constraints };
}

function destinationMessage(code: string): string {
  return code === "InvalidDestinationAddress"
    ? "The destination cannot be served from this origin."
    : `The order cannot be fulfilled (${code}).`;
}

function estimatedPrice(fees: NonNullable<FulfillmentPreview["estimatedFees"]>, marketplace: Marketplace) {
  const digits = marketplace.currencyDigits;
  const minor = fees.reduce((sum, fee) => sum + Math.round(Number(fee.amount.value) * 10 ** digits), 0);
  return {
    rollupPrices: fees.map((fee) => ({ type: fee.name, value: fromMoney2020(fee.amount) })),
    totalPrice: { currencyCode: marketplace.currencyCode, amount: formatMoney(minor, digits) },
  };
}

// ── Orders ────────────────────────────────────────────────────────────────────────────────────────────────────────

/** The order as getOrder, createOrder and listOrders show it, whichever version created it. */
export function orderView(order: Order, now: number, includeShipments = true): FulfillmentOrder {
  const extras = order.extras2026 ?? {};
  const result = orderResultView(order);
  const packaging = extras.services?.packaging;
  const slipAttributes = {
    ...packaging?.packingSlip?.templateAttributes,
    orderId: order.displayableOrderId,
    orderTime: order.displayableOrderDate,
    ...(order.displayableOrderComment ? { orderText: order.displayableOrderComment } : {}),
  };
  const shipments = includeShipments ? (result.fulfillmentShipments ?? []).map((s) => shipmentView(order, s, now)) : [];
  return {
    orderId: order.sellerFulfillmentOrderId,
    ...(extras.channel ? { channel: extras.channel } : {}),
    receiveTime: isoInstant(order.receivedAt),
    status: ORDER_STATUSES[order.status],
    statusUpdateTime: isoInstant(order.statusUpdatedAt),
    fulfillmentConfiguration: {
      serviceLevel: {
        serviceTiers: [tierOf(order.shippingSpeedCategory)],
        ...(order.deliveryWindow
          ? { deliveryInterval: { startTime: order.deliveryWindow.startDate, endTime: order.deliveryWindow.endDate } }
          : {}),
      },
      action: order.fulfillmentAction === "Hold" ? "HOLD" : "SHIP",
      policy: Object.entries(POLICIES).find(([, p]) => p === order.fulfillmentPolicy)?.[0] ?? "FILL_OR_KILL",
      services: {
        ...extras.services,
        packaging: { ...packaging, packingSlip: { ...packaging?.packingSlip, templateAttributes: slipAttributes } },
      },
    },
    origin: { countryCode: order.marketplace.countryCode },
    destination: {
      deliveryAddress: { ...order.destinationAddress, ...(extras.email ? { email: extras.email } : {}) },
      ...(extras.deliveryNotes ? { deliveryNotes: extras.deliveryNotes } : {}),
      ...(extras.dropOffLocation ? { dropOffLocation: extras.dropOffLocation } : {}),
    },
    lineItems: order.lines.map((line) => ({
      lineItemId: line.sellerFulfillmentOrderItemId,
      product: {
        productIdentifier: { amazonSku: line.sellerSku },
        ...(line.perUnitDeclaredValue ? { perUnitDeclaredValue: fromMoney2020(line.perUnitDeclaredValue) } : {}),
      },
      amount: amountOf(line.quantity),
      ...(line.cancelled > 0 ? { cancelledAmount: amountOf(line.cancelled) } : {}),
      ...(line.unfulfillable > 0 ? { unfulfillableAmount: amountOf(line.unfulfillable) } : {}),
      ...(line.fulfillmentConfiguration ? { fulfillmentConfiguration: line.fulfillmentConfiguration } : {}),
    })),
    ...(shipments.length > 0 ? { shipments } : {}),
  };
}

function shipmentView(order: Order, shipment: FulfillmentShipment, now: number): Shipment {
  const itemId = (lineItemId: string) => `${shipment.amazonShipmentId}-${lineItemId}`;
  return {
    amazonShipmentId: shipment.amazonShipmentId,
    amazonFacility: { facilityId: shipment.fulfillmentCenterId },
    status: SHIPMENT_STATUSES[shipment.fulfillmentShipmentStatus],
    ...(shipment.shippingDate ? { shipTime: shipment.shippingDate } : {}),
    ...(shipment.estimatedArrivalDate ? { deliveryTime: shipment.estimatedArrivalDate } : {}),
    items: (shipment.fulfillmentShipmentItem ?? []).map((item) => ({
      productIdentifier: { amazonSku: item.sellerSku },
      lineItemId: item.sellerFulfillmentOrderItemId,
      amount: amountOf(item.quantity),
      ...(item.packageNumber !== undefined ? { packageId: String(item.packageNumber) } : {}),
      shipmentItemId: itemId(item.sellerFulfillmentOrderItemId),
    })),
    ...(shipment.fulfillmentShipmentPackage
      ? {
          packages: shipment.fulfillmentShipmentPackage.map(
            (pkg): Package =>
              packageView(
                order,
                pkg,
                now,
                (shipment.fulfillmentShipmentItem ?? []).map((i) => itemId(i.sellerFulfillmentOrderItemId)),
              ),
          ),
        }
      : {}),
    serviceLevel: { serviceTier: tierOf(order.shippingSpeedCategory) },
  };
}

function packageView(
  order: Order,
  pkg: NonNullable<FulfillmentShipment["fulfillmentShipmentPackage"]>[number],
  now: number,
  shipmentItemIds: string[],
): Package {
  const update = order.packageUpdate;
  const steps =
    order.shippedAt !== undefined && order.deliverAt !== undefined
      ? trackingSteps(order.shippedAt, order.deliverAt, now)
      : [];
  const derived = steps.length === 0 ? "PROCESSING" : trackingStatus(steps).status;
  const deliveryTime = update?.deliveryTime !== undefined ? isoInstant(update.deliveryTime) : pkg.estimatedArrivalDate;
  return {
    packageId: String(pkg.packageNumber),
    ...(deliveryTime ? { deliveryTime } : {}),
    status: update?.status ?? derived,
    tracking: {
      carrier: {
        carrierCode: update?.tracking?.carrier?.carrierCode ?? pkg.carrierCode,
        trackingNumber: update?.tracking?.carrier?.trackingNumber ?? pkg.trackingNumber,
        ...(update?.tracking?.carrier?.trackingUrl ? { trackingUrl: update.tracking.carrier.trackingUrl } : {}),
      },
      amazon: {
        trackingNumber: update?.tracking?.amazon?.trackingNumber ?? pkg.amazonFulfillmentTrackingNumber ?? "",
        ...(update?.tracking?.amazon?.trackingUrl ? { trackingUrl: update.tracking.amazon.trackingUrl } : {}),
      },
      ...(update?.tracking?.dropOffLocation ? { dropOffLocation: update.tracking.dropOffLocation } : {}),
      ...(update?.tracking?.proofOfDelivery ? { proofOfDelivery: update.tracking.proofOfDelivery } : {}),
    },
    shipmentItemIds,
  };
}
