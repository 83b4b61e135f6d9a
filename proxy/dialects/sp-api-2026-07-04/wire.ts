// The fulfillment model ↔ SP-API Fulfillment Outbound 2026-07-04. Pure. One table per concept (tiers, actions,
// policies, statuses, constraint codes), requests built from the model, and Amazon's answers checked with zod/mini
// schemas (answers.ts) before they are mapped here.
import type * as Wire from "../../../spec/generated/fulfillment-outbound-2026-07-04.ts";
import {
  type Address,
  type FeeLine,
  type Interval,
  type Money,
  type NewOrder,
  type Order,
  type OrderAction,
  type OrderPolicy,
  type OrderStatus,
  type Package,
  type PackageTracking,
  type Preview,
  type PreviewRequest,
  type PreviewResult,
  type PreviewShipment,
  type Speed,
  UnsupportedByDialect,
} from "../../fulfillment/model.ts";
import { findMarketplace, marketplaceOfCountry } from "../../marketplaces/index.ts";
import { fromMinor, toMinor } from "../../money/index.ts";
import { toWireAddress } from "../sp-api-2020-07-01/wire.ts";
import type { OrderAnswer, PreviewAnswer, ShipmentAnswer } from "./answers.ts";

// ── Tables ────────────────────────────────────────────────────────────────────────────────────────────────────────

export const TIERS: Readonly<Record<Speed, string>> = {
  Standard: "STANDARD",
  Expedited: "EXPEDITED",
  Priority: "PRIORITY",
  ScheduledDelivery: "SCHEDULED",
};
export const ACTIONS: Readonly<Record<OrderAction, string>> = { Ship: "SHIP", Hold: "HOLD" };
export const POLICIES: Readonly<Record<OrderPolicy, string>> = {
  FillOrKill: "FILL_OR_KILL",
  FillAll: "FILL_ALL",
  FillAllAvailable: "FILL_ALL_AVAILABLE",
};
/** 2026-07-04 has one PROCESSING for 2020-07-01's Received, Planning and Processing. */
export const ORDER_STATUSES: Readonly<Record<string, OrderStatus>> = {
  PROCESSING: "Processing",
  COMPLETE: "Complete",
  COMPLETE_PARTIAL: "CompletePartialled",
  CANCELLED: "Cancelled",
  UNFULFILLABLE: "Unfulfillable",
  INVALID: "Invalid",
};
/** Shipment statuses in the names the v1 contract already reports (2020-07-01's). */
export const SHIPMENT_STATUSES: Readonly<Record<string, string>> = {
  PROCESSING: "PENDING",
  SHIPPED: "SHIPPED",
  CANCELLED: "CANCELLED_BY_FULFILLER",
};
/** Package statuses in the names the v1 contract already reports (2020-07-01's tracking statuses). */
export const PACKAGE_STATUSES: Readonly<Record<string, string>> = {
  PROCESSING: "PICKUP_SCHEDULED",
  IN_TRANSIT: "IN_TRANSIT",
  DELAYED: "DELAYED",
  OUT_FOR_DELIVERY: "OUT_FOR_DELIVERY",
  DELIVERED: "DELIVERED",
  UNDELIVERABLE: "UNDELIVERABLE",
  EXPIRED: "UNDELIVERABLE",
};
/** Constraint codes as the unfulfillable reasons the v1 contract already reports (2020-07-01's). */
export const CONSTRAINT_REASONS: Readonly<Record<string, string>> = {
  ItemQuantityNotAvailable: "InventoryUnavailable",
  InvalidSku: "InvalidSKU",
  InvalidDestinationAddress: "InvalidDestinationAddress",
  ServiceTierUnavailable: "DeliverySLAUnavailable",
};

const SPEED_OF: Readonly<Record<string, Speed>> = Object.fromEntries(
  Object.entries(TIERS).map(([speed, tier]) => [tier, speed as Speed]),
);
export const speedOf = (tier: string | undefined): Speed | undefined =>
  tier !== undefined && Object.hasOwn(SPEED_OF, tier) ? SPEED_OF[tier] : undefined;
/** Shown in this order, as the v1 contract lists speeds. */
const SPEED_ORDER = Object.keys(TIERS) as Speed[];

/** Where the model's SCHEDULED windows are shown: they carry no zone, and SCHEDULED exists only in Japan. */
export const SCHEDULED_TIME_ZONE = "Asia/Tokyo";

// Addresses have the same fields in both SP-API versions: toWireAddress is 2020-07-01's.

// ── Quantity, money, addresses ────────────────────────────────────────────────────────────────────────────────────

export const toAmount = (units: number): Wire.Amount => ({ unit: "EACHES", value: String(units) });
/** "2", "2.0" → 2 (answers.ts has already refused anything but whole eaches). */
export const fromAmount = (amount: { value: string } | undefined): number =>
  amount ? Number.parseInt(amount.value, 10) : 0;

export const toWireMoney = (money: Money): Wire.Money => ({ currencyCode: money.currency, amount: money.amount });

/** Sums amounts of one currency exactly; amounts may be negative (a discount line). */
function sum(amounts: string[], currency: string): string {
  const minor = amounts.reduce((total, amount) => {
    const negative = amount.startsWith("-");
    const value = toMinor(negative ? amount.slice(1) : amount, currency);
    return total + (negative ? -value : value);
  }, 0n);
  return fromMinor(minor, currency);
}

function fromWireAddress(address: Wire.Address): Address {
  return {
    name: address.name,
    line1: address.addressLine1,
    ...(address.addressLine2 ? { line2: address.addressLine2 } : {}),
    ...(address.addressLine3 ? { line3: address.addressLine3 } : {}),
    ...(address.city ? { city: address.city } : {}),
    ...(address.districtOrCounty ? { districtOrCounty: address.districtOrCounty } : {}),
    ...(address.stateOrRegion ? { stateOrRegion: address.stateOrRegion } : {}),
    postalCode: address.postalCode,
    countryCode: address.countryCode,
    ...(address.phone ? { phone: address.phone } : {}),
  };
}

const interval = (value: { startTime: string; endTime: string }): Interval => ({
  start: value.startTime,
  end: value.endTime,
});

/** 2026-07-04 has no marketplaceId: the origin country stands for it. */
export function originCountry(marketplaceId: string): string {
  const marketplace = findMarketplace(marketplaceId);
  if (!marketplace)
    throw new UnsupportedByDialect(
      "marketplaceId",
      `Amazon Fulfillment Outbound 2026-07-04 names the origin by country, and marketplace ${marketplaceId} is not one the proxy knows.`,
    );
  return marketplace.country;
}

/** The marketplace an order answer belongs to, from its origin country (a country without one stays as it is). */
export function marketplaceIdOfCountry(country: string): string {
  return marketplaceOfCountry(country)?.id ?? country;
}

const API = "Amazon Fulfillment Outbound 2026-07-04";
const INDIA = "IN";

// ── Requests ──────────────────────────────────────────────────────────────────────────────────────────────────────

export function toWirePreviewRequest(request: PreviewRequest): Wire.GetOrderPreviewRequest {
  const country = originCountry(request.marketplaceId);
  if (request.cashOnDelivery && country !== INDIA)
    throw new UnsupportedByDialect("cashOnDelivery", `${API} offers payment on delivery in India only.`);
  const wire: Wire.GetOrderPreviewRequest = {
    origin: { countryCode: country },
    destination: { deliveryAddress: toWireAddress(request.address) },
    lineItems: request.items.map((item) => ({
      product: {
        productIdentifier: { amazonSku: item.sku },
        ...(item.declaredValue ? { perUnitDeclaredValue: toWireMoney(item.declaredValue) } : {}),
      },
      amount: toAmount(item.quantity),
    })),
  };
  if (request.speeds)
    wire.fulfillmentConfiguration = { serviceLevel: { serviceTiers: request.speeds.map((s) => TIERS[s]) } };
  if (request.cashOnDelivery) wire.includePaymentOnDelivery = true;
  return wire;
}

/**
 * The order as 2026-07-04 takes it. The displayable order id, date and comment, and each line's displayable
 * comment, travel as packing-slip template attributes (orderId, orderTime, orderText, lineItemText: the model's own
 * names). What 2026-07-04 has no place for is refused naming the v1 field.
 */
export function toWireCreateRequest(order: NewOrder): Wire.CreateOrderRequest {
  const country = originCountry(order.marketplaceId);
  if (order.notificationEmails?.length)
    throw new UnsupportedByDialect("notificationEmails", `${API} sends no shipment notification e-mails.`);
  if (order.cashOnDelivery && country !== INDIA)
    throw new UnsupportedByDialect("cashOnDelivery", `${API} offers payment on delivery in India only.`);
  if (
    order.cashOnDelivery &&
    toMinor(order.cashOnDelivery.shippingCharge.amount, order.cashOnDelivery.shippingCharge.currency) > 0n
  )
    throw new UnsupportedByDialect(
      "cashOnDelivery.shippingCharge",
      `${API} collects a price per unit on delivery and has no shipping charge.`,
    );
  order.items.forEach((item, index) => {
    if (item.giftMessage) throw new UnsupportedByDialect(`items[${index}].giftMessage`, `${API} has no gift messages.`);
    if (item.perUnitTax) throw new UnsupportedByDialect(`items[${index}].perUnitTax`, `${API} takes no per-unit tax.`);
    if (item.perUnitPrice && !order.cashOnDelivery)
      throw new UnsupportedByDialect(
        `items[${index}].perUnitPrice`,
        `${API} takes a per-unit price only as the amount collected on delivery.`,
      );
  });
  const slip: Record<string, string> = { orderId: order.displayableOrderId, orderTime: order.orderDate };
  if (order.comment) slip.orderText = order.comment;
  return {
    orderId: order.orderId,
    origin: { countryCode: country },
    destination: { deliveryAddress: toWireAddress(order.address) },
    fulfillmentConfiguration: {
      serviceLevel: {
        serviceTiers: [TIERS[order.speed]],
        ...(order.deliveryWindow
          ? { deliveryInterval: { startTime: order.deliveryWindow.start, endTime: order.deliveryWindow.end } }
          : {}),
      },
      action: ACTIONS[order.action],
      policy: POLICIES[order.policy],
      services: { packaging: { packingSlip: { templateAttributes: slip } } },
    },
    lineItems: order.items.map((item) => {
      const packaging = item.displayableComment
        ? { packingSlip: { templateAttributes: { lineItemText: item.displayableComment } } }
        : undefined;
      const delivery =
        order.cashOnDelivery && item.perUnitPrice
          ? { paymentOnDelivery: { perUnitServicePrice: toWireMoney(item.perUnitPrice) } }
          : undefined;
      return {
        lineItemId: item.lineId,
        product: { productIdentifier: { amazonSku: item.sku } },
        amount: toAmount(item.quantity),
        ...(packaging || delivery
          ? {
              fulfillmentConfiguration: {
                services: { ...(packaging ? { packaging } : {}), ...(delivery ? { delivery } : {}) },
              },
            }
          : {}),
      };
    }),
  };
}

// ── Previews ──────────────────────────────────────────────────────────────────────────────────────────────────────

type Offer = NonNullable<PreviewAnswer["plannedShipments"][number]["offers"]>[number];

/**
 * Planned shipments and their offers as one Preview per speed (and payment-on-delivery choice): a speed is offered
 * when every planned shipment has an offer of its tier; fees add up over the shipments. SCHEDULED brings one offer
 * per delivery window. Constraints naming an SKU are unfulfillable lines, naming a tier that tier's reasons, and
 * any other constraint a reason for the whole order.
 */
export function fromWirePreview(answer: PreviewAnswer, request: PreviewRequest): PreviewResult {
  const unfulfillable = new Map<string, { sku: string; quantity: number; reasons: string[] }>();
  const tierReasons = new Map<Speed, string[]>();
  const orderReasons: string[] = [];
  for (const constraint of answer.constraints ?? []) {
    const reason = CONSTRAINT_REASONS[constraint.code] ?? constraint.code;
    const detail = (type: string) => constraint.details?.find((d) => d.type === type)?.value;
    const sku = detail("amazonSku");
    const tier = speedOf(detail("serviceTier"));
    if (sku !== undefined) {
      const requested = request.items.filter((i) => i.sku === sku).reduce((n, i) => n + i.quantity, 0);
      const quantity = Number.parseInt(detail("quantity") ?? "", 10);
      const line = unfulfillable.get(sku) ?? {
        sku,
        quantity: Number.isFinite(quantity) ? quantity : requested,
        reasons: [],
      };
      if (!line.reasons.includes(reason)) line.reasons.push(reason);
      unfulfillable.set(sku, line);
    } else if (tier) {
      tierReasons.set(tier, [...(tierReasons.get(tier) ?? []), reason]);
    } else if (!orderReasons.includes(reason)) {
      orderReasons.push(reason);
    }
  }
  const offered = new Set<Speed>();
  for (const shipment of answer.plannedShipments)
    for (const offer of shipment.offers ?? []) {
      const speed = speedOf(offer.fulfillmentConfiguration?.serviceLevel?.serviceTier);
      if (speed) offered.add(speed);
    }
  const speeds = request.speeds ?? SPEED_ORDER.filter((s) => offered.has(s) || tierReasons.has(s));
  const currency = findMarketplace(request.marketplaceId)?.currency;
  const previews: Preview[] = [];
  for (const speed of speeds.length > 0 ? speeds : (["Standard"] as Speed[])) {
    for (const cashOnDelivery of request.cashOnDelivery ? [false, true] : [false]) {
      const matching = (offer: Offer) =>
        speedOf(offer.fulfillmentConfiguration?.serviceLevel?.serviceTier) === speed &&
        (offer.fulfillmentConfiguration?.services?.delivery?.paymentOnDelivery === "ENABLED") === cashOnDelivery;
      const perShipment = answer.plannedShipments.map((s) => ({
        shipment: s,
        offers: (s.offers ?? []).filter(matching),
      }));
      const complete = perShipment.length > 0 && perShipment.every((s) => s.offers.length > 0);
      const reasons = [...orderReasons, ...(tierReasons.get(speed) ?? [])];
      if (!complete && reasons.length === 0) reasons.push(CONSTRAINT_REASONS.ServiceTierUnavailable ?? "");
      const preview: Preview = {
        speed,
        fulfillable: complete && reasons.length === 0 && unfulfillable.size === 0,
        cashOnDelivery,
        fees: complete
          ? fees(
              perShipment.map((s) => s.offers[0]),
              currency,
            )
          : [],
        shipments: complete ? perShipment.map((s) => previewShipment(s.shipment, s.offers)) : [],
        reasons,
        unfulfillable: [...unfulfillable.values()],
      };
      if (complete && speed === "ScheduledDelivery") {
        preview.timeZone = findMarketplace(request.marketplaceId)?.timeZone ?? SCHEDULED_TIME_ZONE;
        const windows = commonWindows(perShipment.map((s) => s.offers));
        if (request.deliveryWindows && windows.length > 0) preview.deliveryWindows = windows;
      }
      previews.push(preview);
    }
  }
  return { previews };
}

function fees(offers: (Offer | undefined)[], marketplaceCurrency: string | undefined): FeeLine[] {
  const byName = new Map<string, string[]>();
  let currency = marketplaceCurrency;
  for (const offer of offers)
    for (const rollup of offer?.estimatedPrice?.rollupPrices ?? []) {
      currency ??= rollup.value.currencyCode;
      byName.set(rollup.type, [...(byName.get(rollup.type) ?? []), rollup.value.amount]);
    }
  return [...byName].map(([name, amounts]) => ({
    name,
    amount: { amount: sum(amounts, currency ?? "USD"), currency: currency ?? "USD" },
  }));
}

/** One planned shipment at one speed: SCHEDULED offers span their windows, other tiers have one offer. */
function previewShipment(shipment: PreviewAnswer["plannedShipments"][number], offers: Offer[]): PreviewShipment {
  const levels = offers.map((o) => o.fulfillmentConfiguration?.serviceLevel);
  const starts = (key: "deliveryInterval" | "shipInterval") =>
    levels.flatMap((l) => (l?.[key] ? [l[key].startTime] : [])).sort();
  const ends = (key: "deliveryInterval" | "shipInterval") =>
    levels.flatMap((l) => (l?.[key] ? [l[key].endTime] : [])).sort();
  const span = (key: "deliveryInterval" | "shipInterval") => {
    const earliest = starts(key)[0];
    const latest = ends(key).at(-1);
    return { ...(earliest ? { earliest } : {}), ...(latest ? { latest } : {}) };
  };
  return {
    ship: span("shipInterval"),
    arrival: span("deliveryInterval"),
    items: shipment.items.map((item) => ({ sku: item.productIdentifier.amazonSku, quantity: fromAmount(item.amount) })),
  };
}

/** The delivery windows every planned shipment offers (a window works for the cart only if it works for all). */
function commonWindows(offersPerShipment: Offer[][]): Interval[] {
  const windowsOf = (offers: Offer[]) =>
    offers.flatMap((o) => {
      const window = o.fulfillmentConfiguration?.serviceLevel?.deliveryInterval;
      return window ? [interval(window)] : [];
    });
  const [first = [], ...rest] = offersPerShipment.map(windowsOf);
  const key = (w: Interval) => `${Date.parse(w.start)}/${Date.parse(w.end)}`;
  return first.filter((w) => rest.every((windows) => windows.some((other) => key(other) === key(w))));
}

// ── Orders ────────────────────────────────────────────────────────────────────────────────────────────────────────

/** Package ids are strings in 2026-07-04; the model numbers packages: a numeric id is kept, else its position. */
function packageNumbers(shipments: ShipmentAnswer[]): Map<string, number> {
  const numbers = new Map<string, number>();
  const ids = shipments.flatMap((s) => (s.packages ?? []).map((p) => p.packageId));
  const numeric = ids.every((id) => /^[1-9]\d{0,9}$/.test(id));
  ids.forEach((id, index) => {
    if (!numbers.has(id)) numbers.set(id, numeric ? Number(id) : index + 1);
  });
  return numbers;
}

export function fromWireOrder(order: OrderAnswer): Order {
  const configuration = order.fulfillmentConfiguration;
  const level = configuration?.serviceLevel;
  const address = fromWireAddress(order.destination.deliveryAddress);
  const country = order.origin?.countryCode ?? address.countryCode;
  const shipments = order.shipments ?? [];
  const numbers = packageNumbers(shipments);
  const slip = configuration?.services?.packaging?.packingSlip?.templateAttributes;
  return {
    orderId: order.orderId,
    marketplaceId: marketplaceIdOfCountry(country),
    displayableOrderId: slip?.orderId ?? order.orderId,
    speed: speedOf(level?.serviceTiers?.[0]) ?? "Standard",
    ...(configuration?.action ? { action: configuration.action === "HOLD" ? "Hold" : "Ship" } : {}),
    // No status yet: Amazon accepted the order and has not processed it (the 202 of createOrder).
    status: order.status ? (ORDER_STATUSES[order.status] ?? "Received") : "Received",
    receivedAt: order.receiveTime,
    statusUpdatedAt: order.statusUpdateTime ?? order.receiveTime,
    address,
    ...(level?.deliveryInterval ? { deliveryWindow: interval(level.deliveryInterval) } : {}),
    cashOnDelivery: order.lineItems.some(
      (line) => line.fulfillmentConfiguration?.services?.delivery?.paymentOnDelivery,
    ),
    items: order.lineItems.map((line) => ({
      sku: line.product.productIdentifier.amazonSku,
      lineId: line.lineItemId,
      quantity: fromAmount(line.amount),
      cancelledQuantity: fromAmount(line.cancelledAmount),
      unfulfillableQuantity: fromAmount(line.unfulfillableAmount),
    })),
    shipments: shipments.map((shipment) => ({
      id: shipment.amazonShipmentId,
      status: SHIPMENT_STATUSES[shipment.status] ?? shipment.status,
      ...(shipment.shipTime ? { shippedAt: shipment.shipTime } : {}),
      ...(shipment.deliveryTime ? { estimatedArrivalAt: shipment.deliveryTime } : {}),
      items: shipment.items.map((item) => {
        const packageNumber = item.packageId === undefined ? undefined : numbers.get(item.packageId);
        return {
          sku: item.productIdentifier.amazonSku,
          quantity: fromAmount(item.amount),
          ...(packageNumber !== undefined ? { packageNumber } : {}),
        };
      }),
      packages: (shipment.packages ?? []).map(
        (pkg): Package => ({
          packageNumber: numbers.get(pkg.packageId) ?? 0,
          carrier: pkg.tracking?.carrier?.carrierCode ?? "",
          ...(pkg.tracking?.carrier?.trackingNumber ? { trackingNumber: pkg.tracking.carrier.trackingNumber } : {}),
          ...(pkg.tracking?.amazon?.trackingNumber ? { amazonTrackingNumber: pkg.tracking.amazon.trackingNumber } : {}),
          ...(pkg.deliveryTime ? { estimatedArrivalAt: pkg.deliveryTime } : {}),
        }),
      ),
    })),
  };
}

/** Why a package's tracking has no events: 2026-07-04 reports none. */
export const NO_TRACKING_EVENTS =
  "Amazon Fulfillment Outbound 2026-07-04 reports no carrier tracking events: status, carrier and tracking number come from the order's package.";

/** A package of the order as tracking, or undefined when the order has no such package. */
export function trackingFromOrder(order: OrderAnswer, packageNumber: number): PackageTracking | undefined {
  const shipments = order.shipments ?? [];
  const numbers = packageNumbers(shipments);
  for (const shipment of shipments) {
    const pkg = (shipment.packages ?? []).find((p) => numbers.get(p.packageId) === packageNumber);
    if (!pkg) continue;
    const carrier = pkg.tracking?.carrier;
    const trackingUrl = carrier?.trackingUrl ?? pkg.tracking?.amazon?.trackingUrl;
    const window = order.fulfillmentConfiguration?.serviceLevel?.deliveryInterval;
    const receivedBy = pkg.tracking?.proofOfDelivery?.receivedBy;
    return {
      packageNumber,
      ...(carrier?.trackingNumber ? { trackingNumber: carrier.trackingNumber } : {}),
      ...(carrier?.carrierCode ? { carrier: carrier.carrierCode } : {}),
      ...(trackingUrl ? { trackingUrl } : {}),
      ...(pkg.status ? { status: PACKAGE_STATUSES[pkg.status] ?? pkg.status } : {}),
      ...(shipment.shipTime ? { shippedAt: shipment.shipTime } : {}),
      ...(pkg.deliveryTime ? { estimatedArrivalAt: pkg.deliveryTime } : {}),
      ...(window ? { deliveryWindow: interval(window) } : {}),
      ...(receivedBy ? { signedForBy: receivedBy } : {}),
      events: [],
      eventsUnavailable: NO_TRACKING_EVENTS,
    };
  }
  return undefined;
}
