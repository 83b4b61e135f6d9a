import type {
  Address,
  CODSettings,
  DeliveryWindow,
  FeatureSettings,
  FulfillmentAction,
  FulfillmentOrder,
  FulfillmentOrderItem,
  FulfillmentOrderStatus,
  FulfillmentPolicy,
  FulfillmentShipment,
  GetFulfillmentOrderResult,
  Money,
  PaymentInformation,
  ReturnAuthorization,
  ReturnItem,
  ShippingSpeedCategory,
} from "../../spec/generated/fulfillment-outbound-2020-07-01.ts";
import type {
  LineItemFulfillmentConfiguration,
  OrderDropOffLocation,
  OrderServices,
  Tracking,
} from "../../spec/generated/fulfillment-outbound-2026-07-04.ts";
import { estimateShipping, isoInstant, type ShippingEstimate } from "../dates/index.ts";
import type { Parcel } from "../fees/index.ts";
import type { SellerInventories } from "../inventory/store.ts";
import type { Marketplace } from "../marketplaces.ts";
import { type LifecycleTimings, lifecycleStart, phaseAt, SCHEDULED_LEAD_MS } from "./lifecycle.ts";

export interface OrderLine {
  sellerSku: string;
  sellerFulfillmentOrderItemId: string;
  quantity: number;
  giftMessage?: string;
  displayableComment?: string;
  fulfillmentNetworkSku?: string;
  perUnitDeclaredValue?: Money;
  perUnitPrice?: Money;
  perUnitTax?: Money;
  /** 2026-07-04 only: the line's packing-slip and payment-on-delivery settings, as sent. */
  fulfillmentConfiguration?: LineItemFulfillmentConfiguration;
  parcel: Parcel;
  /** Units currently held for this line. */
  reserved: number;
  shipped: number;
  unfulfillable: number;
  cancelled: number;
}

export interface Order {
  sellerId: string;
  sellerFulfillmentOrderId: string;
  marketplace: Marketplace;
  displayableOrderId: string;
  displayableOrderDate: string;
  displayableOrderComment: string;
  shippingSpeedCategory: ShippingSpeedCategory;
  deliveryWindow?: DeliveryWindow;
  destinationAddress: Address;
  fulfillmentAction: FulfillmentAction;
  fulfillmentPolicy: FulfillmentPolicy;
  codSettings?: CODSettings;
  notificationEmails?: string[];
  featureConstraints?: FeatureSettings[];
  paymentInformation?: PaymentInformation[];
  lines: OrderLine[];
  receivedAt: number;
  /** When the order was released for shipping (creation with Ship, or update to Ship). */
  releasedAt?: number;
  status: FulfillmentOrderStatus;
  statusUpdatedAt: number;
  /** Reached Planning at some point: a shipment exists. */
  planned?: boolean;
  shipAttempted?: boolean;
  estimate: ShippingEstimate;
  fulfillmentCenterId: string;
  amazonShipmentId: string;
  packageNumber?: number;
  trackingNumber?: string;
  shippedAt?: number;
  deliverAt?: number;
  returnItems: ReturnItem[];
  returnAuthorizations: ReturnAuthorization[];
  /** 2026-07-04 only: what its createOrder carries that 2020-07-01 has no field for, as sent. */
  extras2026?: OrderExtras2026;
  /** Set by the sandbox-only updatePackage: overrides what the lifecycle says about the package. */
  packageUpdate?: PackageUpdate;
}

export interface OrderExtras2026 {
  channel?: string;
  email?: string;
  deliveryNotes?: string;
  dropOffLocation?: OrderDropOffLocation;
  services?: OrderServices;
}

export interface PackageUpdate {
  status: string;
  deliveryTime?: number;
  tracking?: Tracking;
}

const TERMINAL: FulfillmentOrderStatus[] = ["Cancelled", "Complete", "CompletePartialled", "Unfulfillable", "Invalid"];

export function isTerminal(status: FulfillmentOrderStatus): boolean {
  return TERMINAL.includes(status);
}

const OPTIONAL_ITEM_FIELDS = [
  "giftMessage",
  "displayableComment",
  "perUnitDeclaredValue",
  "perUnitPrice",
  "perUnitTax",
] as const;

/** The optional, seller-supplied item fields that travel unchanged from request to order to response. */
export function optionalItemFields(
  item: Partial<Pick<OrderLine, (typeof OPTIONAL_ITEM_FIELDS)[number]>>,
): Partial<Pick<OrderLine, (typeof OPTIONAL_ITEM_FIELDS)[number]>> {
  const out: Record<string, unknown> = {};
  for (const field of OPTIONAL_ITEM_FIELDS) if (item[field] !== undefined) out[field] = item[field];
  return out;
}

export function outstanding(line: OrderLine): number {
  return line.quantity - line.reserved - line.shipped - line.unfulfillable - line.cancelled;
}

/** Orders of every seller, keyed by seller and id; time-driven transitions are applied lazily by `settle`. */
export class OrderBook {
  #orders = new Map<string, Order>();
  /** Orders that may still change with time: settle only walks these. */
  #open = new Set<Order>();
  #packageCounter = 0;
  #shipmentCounter = 0;
  /** Earliest time any open order changes by itself: settleAll is free until then (busy benchmarks). */
  #nextDue = Number.NEGATIVE_INFINITY;
  /** Each order reserves, releases and consumes its own seller's stock. */
  readonly inventories: SellerInventories;
  readonly timings: LifecycleTimings;

  constructor(inventories: SellerInventories, timings: LifecycleTimings) {
    this.inventories = inventories;
    this.timings = timings;
  }

  static key(sellerId: string, id: string): string {
    return `${sellerId}\u0000${id}`;
  }

  clear(): void {
    this.#orders.clear();
    this.#open.clear();
    this.#nextDue = Number.NEGATIVE_INFINITY;
    this.#packageCounter = 0;
    this.#shipmentCounter = 0;
  }

  get(sellerId: string, id: string): Order | undefined {
    return this.#orders.get(OrderBook.key(sellerId, id));
  }

  all(sellerId: string): Order[] {
    return [...this.#orders.values()].filter((o) => o.sellerId === sellerId);
  }

  nextShipmentId(): string {
    this.#shipmentCounter += 1;
    return `D${this.#shipmentCounter.toString(36).toUpperCase().padStart(8, "0")}`;
  }

  add(order: Order): void {
    this.#orders.set(OrderBook.key(order.sellerId, order.sellerFulfillmentOrderId), order);
    if (!isTerminal(order.status)) {
      this.#open.add(order);
      this.#nextDue = Math.min(this.#nextDue, this.#dueAt(order));
    }
  }

  /** Call after changing an order's timeline from outside (status updates). */
  invalidate(): void {
    this.#nextDue = Number.NEGATIVE_INFINITY;
  }

  findPackage(sellerId: string, packageNumber: number): Order | undefined {
    for (const order of this.#orders.values()) {
      if (order.sellerId === sellerId && order.packageNumber === packageNumber) return order;
    }
    return undefined;
  }

  /** Applies every transition due by `now` to every open order. */
  settleAll(now: number): void {
    if (now < this.#nextDue) return;
    let next = Number.POSITIVE_INFINITY;
    for (const order of this.#open) {
      this.settle(order, now);
      if (!isTerminal(order.status)) next = Math.min(next, this.#dueAt(order));
    }
    this.#nextDue = next;
  }

  /** When an open order next changes without anyone touching it. */
  #dueAt(order: Order): number {
    const t = this.timings;
    if (order.fulfillmentAction === "Hold" || order.releasedAt === undefined)
      return order.receivedAt + t.holdExpiresAfterMs;
    const steps = [t.planningAfterMs, t.processingAfterMs, t.shipAfterMs].map((ms) => (order.releasedAt ?? 0) + ms);
    const upcoming = order.shippedAt === undefined ? steps.find((at) => at > order.statusUpdatedAt) : undefined;
    return Math.min(upcoming ?? Number.POSITIVE_INFINITY, order.releasedAt + t.fillAllGraceMs);
  }

  settle(order: Order, now: number): void {
    if (isTerminal(order.status)) {
      this.#open.delete(order);
      return;
    }
    const t = this.timings;
    if (order.fulfillmentAction === "Hold" || order.releasedAt === undefined) {
      const expiresAt = order.receivedAt + t.holdExpiresAfterMs;
      if (now >= expiresAt) this.cancel(order, expiresAt);
      return;
    }
    const { phase, since } = phaseAt(order.releasedAt, now, t);
    if (phase !== "Received") order.planned = true;
    if (phase !== "Shipped") {
      this.#setStatus(order, phase, since);
      return;
    }
    if (order.shippedAt === undefined) {
      // The first attempt ships at the scheduled moment; later ones (FillAll waiting for stock) when stock arrived.
      this.#ship(order, order.shipAttempted ? now : since);
      order.shipAttempted = true;
    }
    // FillAll: units still short 24 hours after the order went to Ship become unfulfillable.
    const graceEnds = order.releasedAt + t.fillAllGraceMs;
    const short = order.lines.some((line) => outstanding(line) > 0);
    if (!short) {
      this.#finish(order, Math.max(order.shippedAt ?? since, order.statusUpdatedAt));
    } else if (now >= graceEnds) {
      for (const line of order.lines) line.unfulfillable += outstanding(line);
      this.#finish(order, graceEnds);
    } else {
      this.#setStatus(order, "Processing", order.releasedAt + t.processingAfterMs);
    }
  }

  /** Releases a held order for shipping from `now`. */
  release(order: Order, now: number): void {
    this.invalidate();
    order.fulfillmentAction = "Ship";
    order.estimate = estimateFor(order, now);
    order.releasedAt = lifecycleStart(now, order.estimate.earliestShipDate, this.timings);
    this.#setStatus(order, "Received", now);
  }

  cancel(order: Order, at: number): void {
    const inventory = this.inventories.of(order.sellerId);
    for (const line of order.lines) {
      inventory.release(order.marketplace.id, line.sellerSku, line.reserved, at);
      line.cancelled += line.quantity - line.shipped - line.unfulfillable - line.cancelled;
      line.reserved = 0;
    }
    this.#setStatus(order, "Cancelled", at);
    this.#open.delete(order);
  }

  /** Sandbox status update to a terminal failure: nothing ships, stock returns. */
  fail(order: Order, status: "Unfulfillable" | "Invalid", at: number): void {
    const inventory = this.inventories.of(order.sellerId);
    for (const line of order.lines) {
      inventory.release(order.marketplace.id, line.sellerSku, line.reserved, at);
      line.unfulfillable += line.quantity - line.shipped - line.unfulfillable - line.cancelled;
      line.reserved = 0;
    }
    this.#setStatus(order, status, at);
    this.#open.delete(order);
  }

  #ship(order: Order, at: number): void {
    const inventory = this.inventories.of(order.sellerId);
    // FillAll: units that came back in stock since creation ship too.
    for (const line of order.lines) {
      const missing = outstanding(line);
      if (missing > 0) {
        const available = Math.min(missing, inventory.available(order.marketplace.id, line.sellerSku));
        if (
          available > 0 &&
          inventory.reserve(order.marketplace.id, [{ sku: line.sellerSku, quantity: available }], at)
        )
          line.reserved += available;
      }
    }
    const units = order.lines.reduce((sum, line) => sum + line.reserved, 0);
    if (units === 0) return;
    for (const line of order.lines) {
      inventory.consume(order.marketplace.id, line.sellerSku, line.reserved, at);
      line.shipped += line.reserved;
      line.reserved = 0;
    }
    this.#packageCounter += 1;
    order.packageNumber = this.#packageCounter;
    const carrier = order.marketplace.carriers[order.shippingSpeedCategory];
    const digits = String(order.packageNumber).padStart(10, "0");
    order.trackingNumber = `${carrier?.trackingPrefix ?? "TBA"}${digits}`;
    order.shippedAt = at;
    const HOUR = 3_600_000;
    const target = order.deliveryWindow
      ? Date.parse(order.deliveryWindow.startDate) + HOUR
      : order.estimate.earliestArrivalDate + 4 * HOUR;
    order.deliverAt = Math.max(at + 2 * HOUR, target);
  }

  #finish(order: Order, at: number): void {
    const shipped = order.lines.reduce((sum, line) => sum + line.shipped, 0);
    const lost = order.lines.reduce((sum, line) => sum + line.unfulfillable + line.cancelled, 0);
    const status: FulfillmentOrderStatus =
      shipped === 0 ? "Unfulfillable" : lost > 0 ? "CompletePartialled" : "Complete";
    this.#setStatus(order, status, at);
    this.#open.delete(order);
  }

  #setStatus(order: Order, status: FulfillmentOrderStatus, at: number): void {
    if (order.status === status) return;
    order.status = status;
    order.statusUpdatedAt = at;
  }
}

/**
 * The dates an order promises: the marketplace's calendar for its speed, or for Scheduled Delivery its chosen
 * window, shipped the day before.
 */
export function estimateFor(
  order: Pick<Order, "marketplace" | "shippingSpeedCategory" | "deliveryWindow">,
  now: number,
): ShippingEstimate {
  const transit = order.marketplace.transit[order.shippingSpeedCategory];
  if (!transit) throw new Error(`${order.shippingSpeedCategory} is not offered in ${order.marketplace.countryCode}`);
  if (!order.deliveryWindow) return estimateShipping(now, order.marketplace, transit);
  const start = Date.parse(order.deliveryWindow.startDate);
  const end = Date.parse(order.deliveryWindow.endDate);
  const ship = Math.max(now, start - SCHEDULED_LEAD_MS);
  return {
    earliestShipDate: ship,
    latestShipDate: Math.max(ship, end - SCHEDULED_LEAD_MS),
    earliestArrivalDate: start,
    latestArrivalDate: end,
  };
}

/** The order as `getFulfillmentOrder` and `listAllFulfillmentOrders` show it. */
export function fulfillmentOrderView(order: Order): FulfillmentOrder {
  return {
    sellerFulfillmentOrderId: order.sellerFulfillmentOrderId,
    marketplaceId: order.marketplace.id,
    displayableOrderId: order.displayableOrderId,
    displayableOrderDate: order.displayableOrderDate,
    displayableOrderComment: order.displayableOrderComment,
    shippingSpeedCategory: order.shippingSpeedCategory,
    ...(order.deliveryWindow ? { deliveryWindow: order.deliveryWindow } : {}),
    destinationAddress: order.destinationAddress,
    fulfillmentAction: order.fulfillmentAction,
    fulfillmentPolicy: order.fulfillmentPolicy,
    ...(order.codSettings ? { codSettings: order.codSettings } : {}),
    receivedDate: isoInstant(order.receivedAt),
    fulfillmentOrderStatus: order.status,
    statusUpdatedDate: isoInstant(order.statusUpdatedAt),
    ...(order.notificationEmails ? { notificationEmails: order.notificationEmails } : {}),
    ...(order.featureConstraints ? { featureConstraints: order.featureConstraints } : {}),
  };
}

function itemView(order: Order, line: OrderLine): FulfillmentOrderItem {
  const open = !isTerminal(order.status) || line.shipped > 0;
  return {
    sellerSku: line.sellerSku,
    sellerFulfillmentOrderItemId: line.sellerFulfillmentOrderItemId,
    quantity: line.quantity,
    ...optionalItemFields(line),
    fulfillmentNetworkSku: line.fulfillmentNetworkSku ?? "",
    orderItemDisposition: "Sellable",
    cancelledQuantity: line.cancelled,
    unfulfillableQuantity: line.unfulfillable,
    ...(open
      ? {
          estimatedShipDate: isoInstant(order.shippedAt ?? order.estimate.earliestShipDate),
          estimatedArrivalDate: isoInstant(order.deliverAt ?? order.estimate.latestArrivalDate),
        }
      : {}),
  };
}

function shipmentView(order: Order): FulfillmentShipment[] {
  if (!order.planned && order.shippedAt === undefined) return [];
  const carrier = order.marketplace.carriers[order.shippingSpeedCategory];
  const shipped = order.shippedAt !== undefined;
  const status: FulfillmentShipment["fulfillmentShipmentStatus"] = shipped
    ? "SHIPPED"
    : order.status === "Cancelled"
      ? "CANCELLED_BY_SELLER"
      : order.status === "Invalid" || order.status === "Unfulfillable"
        ? "CANCELLED_BY_FULFILLER"
        : "PENDING";
  // A pending shipment holds what is meant to ship; a cancelled one still lists what it held.
  const planned = (line: OrderLine) =>
    line.quantity - line.unfulfillable - (order.status === "Cancelled" ? 0 : line.cancelled);
  const lines = order.lines.filter((line) => (shipped ? line.shipped > 0 : planned(line) > 0));
  return [
    {
      amazonShipmentId: order.amazonShipmentId,
      fulfillmentCenterId: order.fulfillmentCenterId,
      fulfillmentShipmentStatus: status,
      ...(order.shippedAt !== undefined ? { shippingDate: isoInstant(order.shippedAt) } : {}),
      estimatedArrivalDate: isoInstant(order.deliverAt ?? order.estimate.latestArrivalDate),
      fulfillmentShipmentItem: lines.map((line) => ({
        sellerSku: line.sellerSku,
        sellerFulfillmentOrderItemId: line.sellerFulfillmentOrderItemId,
        quantity: shipped ? line.shipped : planned(line),
        ...(order.packageNumber !== undefined ? { packageNumber: order.packageNumber } : {}),
      })),
      ...(order.packageNumber !== undefined && order.trackingNumber
        ? {
            fulfillmentShipmentPackage: [
              {
                packageNumber: order.packageNumber,
                carrierCode: carrier?.code ?? "AMZN",
                trackingNumber: order.trackingNumber,
                amazonFulfillmentTrackingNumber: `TBA${String(order.packageNumber).padStart(12, "0")}`,
                estimatedArrivalDate: isoInstant(order.deliverAt ?? order.estimate.latestArrivalDate),
              },
            ],
          }
        : {}),
    },
  ];
}

export function orderResultView(order: Order): GetFulfillmentOrderResult {
  const shipments = shipmentView(order);
  return {
    fulfillmentOrder: fulfillmentOrderView(order),
    fulfillmentOrderItems: order.lines.map((line) => itemView(order, line)),
    ...(shipments.length > 0 ? { fulfillmentShipments: shipments } : {}),
    returnItems: order.returnItems,
    returnAuthorizations: order.returnAuthorizations,
    ...(order.paymentInformation ? { paymentInformation: order.paymentInformation } : {}),
  };
}
