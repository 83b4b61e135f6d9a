// The proxy's /v1 contract as the element sees it (DESIGN.md § Proxy HTTP contract).
import type { ShippingSpeedCategory } from "../spec/generated/fulfillment-outbound-2020-07-01.ts";

export type Speed = ShippingSpeedCategory;

export interface Money {
  /** Decimal string, e.g. "4.99". */
  amount: string;
  currency: string;
}

export interface TimeRange {
  earliest: string;
  latest: string;
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
  fees: { total: Money; lines: { name: string; amount: Money }[] };
  ship: TimeRange;
  arrival: TimeRange;
  timeZone?: string;
  deliveryWindows?: DeliveryWindow[];
  cashOnDelivery?: boolean;
  quote: string;
  expiresAt: string;
}

export interface UnfulfillableItem {
  sku: string;
  quantity: number;
  reasons: string[];
}

export type OptionsSource = "live" | "cache" | "stale" | "fallback";

export interface DeliveryOptionsResponse {
  options: DeliveryOption[];
  unfulfillable: UnfulfillableItem[];
  reasons: string[];
  source: OptionsSource;
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
  declaredValue?: Money;
  title?: string;
}

export interface DeliveryOptionsRequest {
  marketplaceId?: string;
  items: { sku: string; quantity: number; declaredValue?: Money }[];
  address: Address;
  speeds?: Speed[];
  cashOnDelivery?: boolean;
}

export interface OrderLine {
  sku: string;
  quantity: number;
  giftMessage?: string;
  displayableComment?: string;
  perUnitPrice?: Money;
  perUnitTax?: Money;
}

/** What `confirm(details)` accepts; `quote` comes from the selection, `address`/`items` default to the element's. */
export interface OrderDetails {
  address?: Address;
  items?: OrderLine[];
  orderId?: string;
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
  orderToken: string;
}

/** The option a shopper chose; for Scheduled Delivery `quote` is the chosen window's quote. */
export interface SelectedOption extends DeliveryOption {
  deliveryWindow?: DeliveryWindow;
}
