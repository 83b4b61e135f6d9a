// The proxy's /v1 contract as the element sees it (DESIGN.md § Proxy HTTP contract), plus the element's own types.
// TODO(contract): import these shapes from proxy/contract/v1.ts once it is committed; until then they mirror it.

export type Speed = "Standard" | "Expedited" | "Priority" | "ScheduledDelivery";

export interface Money {
  amount: string;
  currency: string;
}

export interface DateRange {
  earliest?: string;
  latest?: string;
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
  price: Money;
  fees: { total: string; currency: string; lines: { name: string; amount: string }[] };
  ship: DateRange;
  arrival: DateRange;
  timeZone?: string;
  deliveryWindows?: DeliveryWindow[];
  cashOnDelivery?: boolean;
  quote?: string;
  expiresAt?: string;
  reasons?: string[];
}

export interface UnfulfillableItem {
  sku: string;
  quantity: number;
  reasons: string[];
}

export type BrowserFlowReason = "orders-off" | "scheduled-needs-ship" | "cod-needs-server";

/** What `confirm()` (browser flow, publishable key) can order for this merchant. */
export interface BrowserFlow {
  action: "Ship" | "Hold" | null;
  speeds: Speed[];
  cashOnDelivery: boolean;
  reasons: BrowserFlowReason[];
}

export interface DeliveryOptionsResponse {
  options: DeliveryOption[];
  unfulfillable: UnfulfillableItem[];
  reasons: string[];
  source: "live" | "cache" | "stale" | "fallback";
  marketplaceId?: string;
  /** Missing from older proxies: then everything is orderable from the browser. */
  browserFlow?: BrowserFlow;
}

export interface Address {
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

/** A cart line. `title` is only shown to the shopper (unfulfillable list); it is never sent to the proxy. */
export interface Item {
  sku: string;
  quantity: number;
  /** Per-unit value as a decimal string, e.g. "19.99". */
  declaredValue?: string;
  title?: string;
}

export interface DeliveryOptionsRequest {
  marketplaceId?: string;
  items: { sku: string; quantity: number; declaredValue?: string }[];
  address: Address;
  speeds?: Speed[];
  cashOnDelivery?: boolean;
}

export interface OrderLine {
  sku: string;
  quantity: number;
  giftMessage?: string;
  displayableComment?: string;
}

/**
 * What `confirm(details)` accepts; `quote` comes from the selection, `address`/`items` default to the element's.
 * Order ids, prices and taxes are the merchant server's to set (secret key), so a browser cannot send them.
 */
export interface OrderDetails {
  address?: Address;
  items?: OrderLine[];
  displayableOrderId?: string;
  orderDate?: string;
  comment?: string;
  notificationEmails?: string[];
  policy?: "FillOrKill" | "FillAll" | "FillAllAvailable";
}

export interface OrderResponse {
  orderId: string;
  status: string;
  action: "Ship" | "Hold";
  speed: Speed;
  deliveryWindow?: { start: string; end: string };
  /** What the shopper pays for shipping. */
  price?: Money;
  orderToken: string;
}

/** The option a shopper chose; for Scheduled Delivery `quote` is the chosen window's quote. */
export interface SelectedOption extends DeliveryOption {
  deliveryWindow?: DeliveryWindow;
}

// Order status (GET /v1/orders/{id}, GET /v1/orders/{id}/packages/{n}): the fields the status element reads.

export interface OrderView {
  orderId: string;
  status: string;
  action?: "Ship" | "Hold";
  speed: Speed;
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
  packages: {
    packageNumber: number;
    carrierCode: string;
    trackingNumber?: string;
    amazonTrackingNumber?: string;
    estimatedArrivalDate?: string;
    shipmentId: string;
  }[];
  trackingNumbers: string[];
  /** The full destination; only for the merchant's server. */
  address?: Address;
}

export interface TrackingEvent {
  date: string;
  code: string;
  description: string;
  location?: { city?: string; stateOrRegion?: string; countryCode?: string; postalCode?: string };
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
  estimatedArrivalDate?: string;
  events: TrackingEvent[];
  eventsUnavailable?: string;
}
