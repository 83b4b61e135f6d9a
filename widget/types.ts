// The proxy's /v1 contract as the elements see it (types and constants only, so no proxy code is bundled), plus the
// elements' own types.
import type {
  BrowserFlow,
  CreatedOrder,
  DeliveryOption,
  DeliveryWindow,
  OrderPolicy,
  PreviewAddress,
  DeliveryOptionsResponse as V1DeliveryOptionsResponse,
} from "../proxy/contract/v1.ts";

export type {
  BrowserFlow,
  BrowserFlowReason,
  DateRange,
  DeliveryOption,
  DeliveryOptionsRequest,
  DeliveryWindow,
  Money,
  OrderView,
  PackageTrackingView,
  ProblemDocument,
  Speed,
  TrackingEvent,
  UnfulfillableItem,
} from "../proxy/contract/v1.ts";

/** A delivery-options answer; proxies older than `browserFlow` leave it out (then everything is orderable). */
export type DeliveryOptionsResponse = Omit<V1DeliveryOptionsResponse, "browserFlow"> & { browserFlow?: BrowserFlow };

/** The destination as far as the shopper has typed it. */
export type Address = PreviewAddress;

/** The proxy's 201 answer to `confirm()`. */
export type OrderResponse = CreatedOrder;

/** A cart line. `title` is only shown to the shopper (unfulfillable list); it is never sent to the proxy. */
export interface Item {
  sku: string;
  quantity: number;
  /** Per-unit value as a decimal string, e.g. "19.99". */
  declaredValue?: string;
  title?: string;
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
  policy?: OrderPolicy;
}

/** The option a shopper chose; for Scheduled Delivery `quote` is the chosen window's quote. */
export interface SelectedOption extends DeliveryOption {
  deliveryWindow?: DeliveryWindow;
}
