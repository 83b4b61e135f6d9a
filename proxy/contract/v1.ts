// The proxy's /v1 wire contract (DESIGN.md § Proxy HTTP contract): request and response shapes, speeds and their
// order, answer sources. Types and constants only, so the element can import it without bundling any proxy code.
// Money amounts are decimal strings; times are ISO 8601 instants.

/** Every delivery speed, in the order shoppers see them: slowest (cheapest) first. */
export const SPEEDS = ["Standard", "Expedited", "Priority", "ScheduledDelivery"] as const;
export type Speed = (typeof SPEEDS)[number];

/** Where a delivery-options answer came from. */
export const ANSWER_SOURCES = ["live", "cache", "stale", "fallback"] as const;
export type AnswerSource = (typeof ANSWER_SOURCES)[number];

export const ORDER_ACTIONS = ["Ship", "Hold"] as const;
export type OrderAction = (typeof ORDER_ACTIONS)[number];

export const ORDER_POLICIES = ["FillOrKill", "FillAll", "FillAllAvailable"] as const;
export type OrderPolicy = (typeof ORDER_POLICIES)[number];

export interface Money {
  amount: string;
  currency: string;
}

export interface DateRange {
  earliest?: string;
  latest?: string;
}

/** The destination as far as the shopper has typed it: country and postal code are enough for options. */
export interface PreviewAddress {
  countryCode: string;
  postalCode: string;
  stateOrRegion?: string;
  city?: string;
  line1?: string;
  line2?: string;
  line3?: string;
  districtOrCounty?: string;
  name?: string;
  phone?: string;
}

/** A full shipping address, as an order needs it. */
export interface OrderAddress extends PreviewAddress {
  name: string;
  line1: string;
}

export interface DeliveryOptionsRequest {
  marketplaceId?: string;
  items: { sku: string; quantity: number; declaredValue?: string }[];
  address: PreviewAddress;
  speeds?: Speed[];
  cashOnDelivery?: boolean;
  /**
   * The cart's value as the merchant's server signed it (POST /v1/cart-values). Free-over-threshold prices use only
   * this: declared values come from the shopper's browser and never lower a price.
   */
  cartValue?: string;
}

/** POST /v1/cart-values (secret key): the merchant's unit prices for a cart. */
export interface CartValueRequest {
  marketplaceId?: string;
  items: { sku: string; quantity: number; unitPrice: string }[];
}

export interface CartValueResponse {
  /** Pass it to the element (`cart-value` attribute or `cartValue` property) with this very cart. */
  cartValue: string;
  value: Money;
  expiresAt: string;
}

export interface UnfulfillableItem {
  sku: string;
  quantity: number;
  reasons: string[];
}

export interface DeliveryWindow {
  start: string;
  end: string;
  quote: string;
}

export interface DeliveryOption {
  id: string;
  speed: Speed;
  fulfillable: boolean;
  /** What the shopper pays, from the merchant's pricing rules. */
  price: Money;
  /** Amazon's estimate, for the merchant. */
  fees: { total: string; currency: string; lines: { name: string; amount: string }[] };
  ship: DateRange;
  arrival: DateRange;
  timeZone?: string;
  deliveryWindows?: DeliveryWindow[];
  cashOnDelivery?: boolean;
  /** Present on fulfillable options; for Scheduled Delivery it is the first window's quote. */
  quote?: string;
  expiresAt?: string;
  /** Why Amazon cannot fulfil this option (unfulfillable options only). */
  reasons?: string[];
  unfulfillable?: UnfulfillableItem[];
  shippingNotes?: string[];
}

/**
 * What `element.confirm()` (the browser flow, publishable key) can order for this merchant. Options outside it are
 * orderable only from the merchant's server; `reasons` say why, as stable codes the element words for shoppers.
 */
export interface BrowserFlow {
  /** `Hold` (the merchant's server releases after payment), `Ship`, or null when browser orders are off. */
  action: OrderAction | null;
  /** Speeds a browser order can have. */
  speeds: Speed[];
  /** Whether a browser order may be cash on delivery. */
  cashOnDelivery: boolean;
  /** Why the rest cannot be ordered from a browser: `orders-off`, `scheduled-needs-ship`, `cod-needs-server`. */
  reasons: BrowserFlowReason[];
}
export type BrowserFlowReason = "orders-off" | "scheduled-needs-ship" | "cod-needs-server";

export interface DeliveryOptionsResponse {
  options: DeliveryOption[];
  unfulfillable: UnfulfillableItem[];
  reasons: string[];
  source: AnswerSource;
  marketplaceId: string;
  browserFlow: BrowserFlow;
  amznRequestId?: string;
}

export interface CreateOrderRequest {
  quote: string;
  orderId?: string;
  displayableOrderId?: string;
  orderDate?: string;
  comment?: string;
  address: OrderAddress;
  items: {
    sku: string;
    quantity: number;
    giftMessage?: string;
    displayableComment?: string;
    perUnitPrice?: string;
    perUnitTax?: string;
  }[];
  notificationEmails?: string[];
  policy?: OrderPolicy;
  action?: OrderAction;
}

export interface CreatedOrder {
  orderId: string;
  status: string;
  /** The action Amazon has for the order. */
  action: OrderAction;
  speed: Speed;
  deliveryWindow?: { start: string; end: string };
  price: Money;
  orderToken: string;
  orderTokenExpiresAt: string;
  amznRequestId?: string;
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
  action?: OrderAction;
  speed: Speed;
  marketplaceId: string;
  displayableOrderId: string;
  receivedDate: string;
  statusUpdatedDate: string;
  /** The marketplace's IANA time zone: the one its dates were promised in (checkout shows them so). */
  timeZone?: string;
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
  address?: OrderAddress;
}

export interface TrackingEvent {
  date: string;
  code: string;
  description: string;
  location?: { city?: string; state?: string; country?: string };
}

export interface PackageTrackingView {
  orderId: string;
  packageNumber: number;
  trackingNumber?: string;
  carrierCode?: string;
  carrierUrl?: string;
  trackingUrl?: string;
  status?: string;
  statusDescription?: string;
  shipDate?: string;
  estimatedArrivalDate?: string;
  deliveryWindow?: { startDate: string; endDate: string };
  signedForBy?: string;
  /** Carrier scan events; empty when the dialect reports none (then `eventsUnavailable` says why). */
  events: TrackingEvent[];
  eventsUnavailable?: string;
}

/** RFC 9457 problem details, as every error answer carries them. */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: { path: string; message: string }[];
  amznRequestId?: string;
  requestId?: string;
}
