// The proxy's /v1 contract as the element sees it (DESIGN.md § Proxy HTTP contract); option shapes come from the
// proxy's own mapping (types only: nothing of the proxy is bundled).
import type { DeliveryOption, DeliveryWindowOption, UnfulfillableItem } from "../proxy/options/index.ts";
import type { ShippingSpeedCategory } from "../spec/generated/fulfillment-outbound-2020-07-01.ts";

export type Speed = ShippingSpeedCategory;

export type { DeliveryOption, Money, UnfulfillableItem } from "../proxy/options/index.ts";
export type DeliveryWindow = DeliveryWindowOption;

export type OptionsSource = "live" | "cache" | "stale" | "fallback";

export interface DeliveryOptionsResponse {
  options: DeliveryOption[];
  unfulfillable: UnfulfillableItem[];
  reasons: string[];
  source: OptionsSource;
  marketplaceId?: string;
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
  orderToken: string;
}

/** The option a shopper chose; for Scheduled Delivery `quote` is the chosen window's quote. */
export interface SelectedOption extends DeliveryOption {
  deliveryWindow?: DeliveryWindow;
}
