// The proxy's own fulfillment model: what routes, pricing, quotes and orders speak, whichever Amazon dialect is behind
// it. Each dialect (proxy/dialects/*) maps this model to and from its wire format and nothing of a wire shape
// leaks past it. Every value is plain JSON (shared stores keep previews), money is a decimal string, times are
// ISO 8601 instants.
import type { OrderAction, OrderPolicy, Speed } from "../contract/v1.ts";

export type { OrderAction, OrderPolicy, Speed };

/** An ISO 8601 instant, e.g. "2026-12-01T10:00:00Z". */
export type Instant = string;

export interface Money {
  /** Decimal string in the currency's precision, e.g. "5.99" or "1200". */
  amount: string;
  currency: string;
}

export interface Interval {
  start: Instant;
  end: Instant;
}

export interface Address {
  name: string;
  line1: string;
  line2?: string;
  line3?: string;
  city?: string;
  districtOrCounty?: string;
  stateOrRegion?: string;
  postalCode: string;
  /** ISO 3166-1 alpha-2, upper case. */
  countryCode: string;
  phone?: string;
}

/** The model's operations; each dialect has a rate plan for each. */
export const OPERATIONS = ["preview", "createOrder", "updateOrder", "getOrder", "cancelOrder", "getTracking"] as const;
export type Operation = (typeof OPERATIONS)[number];

export interface RatePlan {
  ratePerSecond: number;
  burst: number;
}

/** One usage plan for every operation (what each of Amazon's Fulfillment Outbound APIs states for those we call). */
export function everyOperation(plan: RatePlan): Readonly<Record<Operation, RatePlan>> {
  return Object.fromEntries(OPERATIONS.map((operation) => [operation, plan])) as Record<Operation, RatePlan>;
}

// ── Previews ──────────────────────────────────────────────────────────────────────────────────────────────────────

export interface PreviewLine {
  sku: string;
  quantity: number;
  /** Per-unit declared value (customs, insurance). */
  declaredValue?: Money;
}

export interface PreviewRequest {
  marketplaceId: string;
  /** Name and line 1 may be placeholders: a shopper has not typed them yet, and they do not change a preview. */
  address: Address;
  items: PreviewLine[];
  /** Only these speeds; every speed when absent. */
  speeds?: Speed[];
  /** Also preview cash on delivery (Japan). */
  cashOnDelivery?: boolean;
  /** Ask for Scheduled Delivery windows (Japan). */
  deliveryWindows?: boolean;
}

export interface FeeLine {
  /** Amazon's fee name, e.g. FBAPerOrderFulfillmentFee. */
  name: string;
  amount: Money;
}

export interface PreviewShipment {
  ship: { earliest?: Instant; latest?: Instant };
  arrival: { earliest?: Instant; latest?: Instant };
  items: { sku: string; quantity: number }[];
  notes?: string[];
}

export interface UnfulfillableLine {
  sku: string;
  quantity: number;
  reasons: string[];
}

/** One speed (with or without cash on delivery) for the whole cart. */
export interface Preview {
  speed: Speed;
  fulfillable: boolean;
  cashOnDelivery: boolean;
  fees: FeeLine[];
  shipments: PreviewShipment[];
  /** The zone Amazon states for the dates (Scheduled Delivery); absent: the marketplace's. */
  timeZone?: string;
  /** Scheduled Delivery windows on offer. */
  deliveryWindows?: Interval[];
  /** Why the order as a whole cannot be fulfilled at this speed (codes such as InvalidDestinationAddress). */
  reasons: string[];
  unfulfillable: UnfulfillableLine[];
}

export interface PreviewResult {
  previews: Preview[];
}

// ── Orders ────────────────────────────────────────────────────────────────────────────────────────────────────────

export interface OrderLine {
  sku: string;
  /** Unique within the order: "1", "2", … */
  lineId: string;
  quantity: number;
  giftMessage?: string;
  displayableComment?: string;
  perUnitPrice?: Money;
  perUnitTax?: Money;
}

export interface NewOrder {
  /** The seller's order id at Amazon (sellerFulfillmentOrderId): derived by the proxy, ≤ 40 characters. */
  orderId: string;
  marketplaceId: string;
  /** Printed on the packing slip. */
  displayableOrderId: string;
  orderDate: Instant;
  comment: string;
  speed: Speed;
  address: Address;
  action: OrderAction;
  policy: OrderPolicy;
  items: OrderLine[];
  deliveryWindow?: Interval;
  notificationEmails?: string[];
  /** Cash on delivery: Amazon collects item prices plus this shipping charge. */
  cashOnDelivery?: { shippingCharge: Money };
}

export const ORDER_STATUSES = [
  "Received",
  "Invalid",
  "Planning",
  "Processing",
  "Cancelled",
  "Complete",
  "CompletePartialled",
  "Unfulfillable",
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Statuses after which nothing more happens to an order. */
export const FINAL_STATUSES: readonly OrderStatus[] = [
  "Invalid",
  "Cancelled",
  "Complete",
  "CompletePartialled",
  "Unfulfillable",
];

export interface Package {
  packageNumber: number;
  carrier: string;
  trackingNumber?: string;
  amazonTrackingNumber?: string;
  estimatedArrivalAt?: Instant;
}

export interface Shipment {
  id: string;
  status: string;
  shippedAt?: Instant;
  estimatedArrivalAt?: Instant;
  items: { sku: string; quantity: number; packageNumber?: number }[];
  packages: Package[];
}

export interface Order {
  orderId: string;
  marketplaceId: string;
  displayableOrderId: string;
  speed: Speed;
  /** Absent when the dialect does not report it. */
  action?: OrderAction;
  status: OrderStatus;
  receivedAt: Instant;
  statusUpdatedAt: Instant;
  address: Address;
  deliveryWindow?: Interval;
  cashOnDelivery: boolean;
  items: {
    sku: string;
    lineId: string;
    quantity: number;
    cancelledQuantity: number;
    unfulfillableQuantity: number;
    estimatedShipAt?: Instant;
    estimatedArrivalAt?: Instant;
  }[];
  shipments: Shipment[];
}

export interface TrackingEvent {
  at: Instant;
  code: string;
  description: string;
  location?: { city?: string; state?: string; country?: string };
}

export interface PackageTracking {
  packageNumber: number;
  trackingNumber?: string;
  carrier?: string;
  carrierUrl?: string;
  trackingUrl?: string;
  status?: string;
  statusDescription?: string;
  shippedAt?: Instant;
  estimatedArrivalAt?: Instant;
  deliveryWindow?: Interval;
  signedForBy?: string;
  events: TrackingEvent[];
  /** Set when the dialect has no carrier events at all (2026-07-04): why the list is empty. */
  eventsUnavailable?: string;
}

// ── Calls and failures ────────────────────────────────────────────────────────────────────────────────────────────

export interface CallOptions {
  /** Aborts the attempt; the caller's resilience layer owns the one timeout per attempt. */
  signal?: AbortSignal;
}

/** What came back besides the body: Amazon's request id and the rate it says applies (x-amzn-RateLimit-Limit). */
export interface UpstreamMeta {
  status: number;
  amznRequestId?: string;
  rateLimitPerSecond?: number;
}

export interface UpstreamResult<T> {
  data: T;
  meta: UpstreamMeta;
}

/** One entry of Amazon's error list, whatever the dialect's wire form (JSON errors, MWS Error XML). */
export interface UpstreamErrorEntry {
  code: string;
  message: string;
  details?: string;
}

/**
 * Any failure of an upstream call. `status` is Amazon's HTTP status, or 0 when no answer arrived (network error,
 * timeout, open circuit). An answer Amazon gave that does not fit its own model is status 502 (`malformed`).
 * `retryable` tells the resilience layer whether a retry is safe and useful.
 */
export class UpstreamError extends Error {
  readonly operation: Operation | "token";
  readonly status: number;
  readonly errors: UpstreamErrorEntry[];
  readonly amznRequestId: string | undefined;
  readonly retryable: boolean;
  readonly rateLimitPerSecond: number | undefined;

  constructor(init: {
    operation: Operation | "token";
    status: number;
    message: string;
    errors?: UpstreamErrorEntry[];
    amznRequestId?: string | undefined;
    retryable?: boolean;
    rateLimitPerSecond?: number | undefined;
    cause?: unknown;
  }) {
    super(init.message, { cause: init.cause });
    this.name = "UpstreamError";
    this.operation = init.operation;
    this.status = init.status;
    this.errors = init.errors ?? [];
    this.amznRequestId = init.amznRequestId;
    this.retryable = init.retryable ?? (init.status === 0 || init.status === 429 || init.status >= 500);
    this.rateLimitPerSecond = init.rateLimitPerSecond;
  }
}

/** The error code a dialect gives an answer that does not fit Amazon's own model (truncated, wrong shape). */
export const MALFORMED_ANSWER = "MalformedAnswer";

/** What a dialect says when asked for something its Amazon API cannot do: a 422 naming the v1 field. */
export class UnsupportedByDialect extends Error {
  readonly path: string;
  constructor(path: string, message: string) {
    super(message);
    this.name = "UnsupportedByDialect";
    this.path = path;
  }
}

/**
 * One Amazon Fulfillment Outbound API. Implementations throw UpstreamError on any failure (including an answer that
 * fails validation against the dialect's model) and UnsupportedByDialect for a request they cannot express.
 */
export interface FulfillmentDialect {
  /** "2020-07-01", "2026-07-04" or "mws-2010-10-01". */
  readonly name: string;
  /** Amazon's usage plan per operation, as the dialect's model states it. */
  readonly ratePlans: Readonly<Record<Operation, RatePlan>>;
  preview(request: PreviewRequest, options?: CallOptions): Promise<UpstreamResult<PreviewResult>>;
  /**
   * Creates the order. Resolves once Amazon accepted it; `data.confirmed` is false when Amazon only queued it (the
   * caller reads the order back until it has a status).
   */
  createOrder(order: NewOrder, options?: CallOptions): Promise<UpstreamResult<{ confirmed: boolean }>>;
  /** Releases an order on Hold (action Ship). */
  releaseHold(orderId: string, options?: CallOptions): Promise<UpstreamResult<null>>;
  getOrder(orderId: string, options?: CallOptions): Promise<UpstreamResult<Order>>;
  cancelOrder(orderId: string, options?: CallOptions): Promise<UpstreamResult<null>>;
  /** Tracking of one package of `order` (2026-07-04 has no tracking operation and answers from the order). */
  getTracking(order: Order, packageNumber: number, options?: CallOptions): Promise<UpstreamResult<PackageTracking>>;
  /** A cheap call that proves credentials and reachability (LWA token, MWS GetServiceStatus). */
  checkHealth(options?: CallOptions): Promise<{ status: "ok" | "down"; reason?: string }>;
}
