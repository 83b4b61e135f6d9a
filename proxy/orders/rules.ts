// The rules of turning a quote into an Amazon fulfillment order, as pure functions: who may order what with which
// action, whether the order matches its quote, the deterministic order id, and how an order Amazon already holds
// is told apart from another one.
import type { Caller } from "../auth/index.ts";
import type { BrowserOrders } from "../config/index.ts";
import type { BrowserFlow, CreateOrderRequest, OrderAction } from "../contract/v1.ts";
import { FINAL_STATUSES, type NewOrder, type Order } from "../fulfillment/model.ts";
import { findMarketplace, offersScheduledDelivery } from "../marketplaces/index.ts";
import type { FieldError } from "../problems/index.ts";
import { destinationMismatches, itemsDigest, normalizePostalCode } from "../quotes/digest.ts";
import type { VerifiedQuote } from "../quotes/index.ts";
import { canonicalJson, sha256, sha256Base64Url } from "../shared/digest.ts";
import {
  browserMayNotShip,
  browserOrdersOff,
  codNeedsServer,
  notAllowedFromBrowser,
  orderOnHold,
  scheduledDeliveryHold,
} from "./problems.ts";

/** What the browser flow can order under the merchant's policy: told to the element with every answer. */
export function browserFlow(browserOrders: BrowserOrders, marketplaceId: string): BrowserFlow {
  const japan = offersScheduledDelivery(marketplaceId);
  const speeds: BrowserFlow["speeds"] = ["Standard", "Expedited", "Priority"];
  if (browserOrders === "off") return { action: null, speeds: [], cashOnDelivery: false, reasons: ["orders-off"] };
  if (browserOrders === "ship") {
    return {
      action: "Ship",
      speeds: japan ? [...speeds, "ScheduledDelivery"] : speeds,
      cashOnDelivery: false,
      reasons: japan ? ["cod-needs-server"] : [],
    };
  }
  return {
    action: "Hold",
    speeds,
    cashOnDelivery: false,
    reasons: japan ? ["scheduled-needs-ship", "cod-needs-server"] : [],
  };
}

/** Refuses any browser order when the merchant turned them off (checked before reading the body). */
export function assertBrowserOrdersAllowed(browserOrders: BrowserOrders): void {
  if (browserOrders === "off") throw browserOrdersOff();
}

/** Create-order action per caller and configuration; throws a Problem explaining a refusal. */
export function decideAction(
  caller: Caller,
  requested: OrderAction | undefined,
  speed: string,
  browserOrders: BrowserOrders,
): OrderAction {
  const scheduled = speed === "ScheduledDelivery";
  if (caller === "browser") {
    assertBrowserOrdersAllowed(browserOrders);
    if (browserOrders === "hold") {
      if (requested === "Ship") throw browserMayNotShip();
      if (scheduled) throw scheduledDeliveryHold(true);
      return "Hold";
    }
  }
  const action = requested ?? "Ship";
  if (action === "Hold" && scheduled) throw scheduledDeliveryHold(false);
  return action;
}

/** Where the order differs from what its quote was issued for (empty when it matches). */
export async function quoteMismatches(
  quote: VerifiedQuote,
  request: Pick<CreateOrderRequest, "items" | "address">,
  allowedMarketplaces: readonly string[],
): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  if (!allowedMarketplaces.includes(quote.mkt)) {
    errors.push({ path: "quote", message: `is for marketplace ${quote.mkt}, which this proxy does not serve` });
  }
  const currency = findMarketplace(quote.mkt)?.currency;
  if (currency !== undefined && quote.cur !== currency) {
    errors.push({ path: "quote", message: `is priced in ${quote.cur}, not in ${currency} of its marketplace` });
  }
  if ((await itemsDigest(request.items)) !== quote.itm) {
    errors.push({ path: "items", message: "differ from the items the quote was issued for (SKUs and quantities)" });
  }
  for (const field of await destinationMismatches(quote.dst, request.address)) {
    errors.push({ path: `address.${field}`, message: "differs from the address the quote was issued for" });
  }
  return errors;
}

/**
 * What a browser may not put in an order: its own `orderId` (it could name another shopper's order and be handed
 * that order's token) and the amounts Amazon collects on delivery (`perUnitPrice`, `perUnitTax`): money to collect
 * comes only from the merchant's server. Throws a 403 naming every such field.
 */
export function assertBrowserMayOrder(request: Pick<CreateOrderRequest, "orderId" | "items">): void {
  const errors: FieldError[] = [];
  if (request.orderId !== undefined) {
    errors.push({ path: "orderId", message: "may only be chosen by the merchant's server (secret key)" });
  }
  request.items.forEach((item, index) => {
    for (const field of ["perUnitPrice", "perUnitTax"] as const) {
      if (item[field] !== undefined) {
        errors.push({ path: `items[${index}].${field}`, message: "may only be set by the merchant's server" });
      }
    }
  });
  if (errors.length > 0) throw notAllowedFromBrowser(errors);
}

/** Cash on delivery collects item prices only the merchant's server may state, so a browser cannot order it. */
export function assertBrowserQuote(quote: Pick<VerifiedQuote, "cod">): void {
  if (quote.cod) throw codNeedsServer();
}

/**
 * The same quote with the same order body from the same kind of caller always gives the same Amazon order id,
 * whatever Idempotency-Key came with it, so a retry after a lost answer finds the order instead of creating a second
 * one. 36 characters of [a-z0-9-], inside Amazon's 40.
 */
export async function deriveOrderId(quoteId: string, bodyDigest: string, caller: Caller): Promise<string> {
  const digest = await sha256(`order:${caller}:${quoteId}:${bodyDigest}`);
  const hex = [...digest.slice(0, 16)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
  return `mcf-${hex}`;
}

/** Digest of a request body: semantically equal bodies digest equally. */
export function bodyDigest(body: unknown): Promise<string> {
  return sha256Base64Url(`body:${canonicalJson(body)}`);
}

/**
 * The digest an order id is derived from: the body without the quote's spelling (the quote is represented by its
 * verified id), so another encoding of one signed quote cannot make a second order.
 */
export function orderBodyDigest(request: CreateOrderRequest): Promise<string> {
  const { quote: _spelling, ...rest } = request;
  return bodyDigest(rest);
}

export interface OrderContext {
  orderId: string;
  action: OrderAction;
  now: number;
  defaultComment: string;
}

/** The v1 order request and its verified quote → the model's new order. */
export function buildNewOrder(request: CreateOrderRequest, quote: VerifiedQuote, context: OrderContext): NewOrder {
  const money = (amount: string) => ({ amount, currency: quote.cur });
  const order: NewOrder = {
    orderId: context.orderId,
    marketplaceId: quote.mkt,
    displayableOrderId: request.displayableOrderId ?? request.orderId ?? context.orderId,
    orderDate: request.orderDate ?? new Date(context.now).toISOString(),
    comment: request.comment ?? context.defaultComment,
    speed: quote.spd,
    address: { ...request.address, countryCode: request.address.countryCode.toUpperCase() },
    action: context.action,
    policy: request.policy ?? "FillOrKill",
    items: request.items.map((item, index) => ({
      sku: item.sku,
      lineId: `${index + 1}`,
      quantity: item.quantity,
      ...(item.giftMessage ? { giftMessage: item.giftMessage } : {}),
      ...(item.displayableComment ? { displayableComment: item.displayableComment } : {}),
      ...(item.perUnitPrice ? { perUnitPrice: money(item.perUnitPrice) } : {}),
      ...(item.perUnitTax ? { perUnitTax: money(item.perUnitTax) } : {}),
    })),
  };
  if (quote.win) order.deliveryWindow = { start: quote.win.s, end: quote.win.e };
  if (request.notificationEmails?.length) order.notificationEmails = request.notificationEmails;
  if (quote.cod) order.cashOnDelivery = { shippingCharge: money(quote.amt) };
  return order;
}

const loose = (value: string | undefined) => (value ?? "").normalize("NFKC").trim().replace(/\s+/g, " ").toLowerCase();
const sameTime = (a: string | undefined, b: string | undefined) =>
  a === undefined || b === undefined ? a === b : Date.parse(a) === Date.parse(b);
const lineList = (items: readonly { sku: string; quantity: number }[]) =>
  items.map((item) => `${JSON.stringify(item.sku)}:${item.quantity}`).sort();

const ADDRESS_FIELDS = [
  "name",
  "line1",
  "line2",
  "line3",
  "city",
  "districtOrCounty",
  "stateOrRegion",
  "postalCode",
  "countryCode",
  "phone",
] as const;

/**
 * Where an order Amazon already holds under this id differs from the one we meant to create (empty: it is the same
 * order, e.g. a retry whose first answer was lost): marketplace, speed, destination address, lines and quantities,
 * delivery window and cash on delivery.
 */
export function orderDifferences(existing: Order, intended: NewOrder): string[] {
  const differences: string[] = [];
  if (existing.marketplaceId !== intended.marketplaceId) differences.push("marketplaceId");
  if (existing.speed !== intended.speed) differences.push("speed");
  for (const field of ADDRESS_FIELDS) {
    const same =
      field === "postalCode"
        ? normalizePostalCode(existing.address.postalCode) === normalizePostalCode(intended.address.postalCode)
        : loose(existing.address[field]) === loose(intended.address[field]);
    if (!same) differences.push(`address.${field}`);
  }
  if (lineList(existing.items).join(",") !== lineList(intended.items).join(",")) differences.push("items");
  if (
    !sameTime(existing.deliveryWindow?.start, intended.deliveryWindow?.start) ||
    !sameTime(existing.deliveryWindow?.end, intended.deliveryWindow?.end)
  ) {
    differences.push("deliveryWindow");
  }
  if (existing.cashOnDelivery !== !!intended.cashOnDelivery) differences.push("cashOnDelivery");
  return differences;
}

/**
 * An order read back (it already existed) keeps the action Amazon has. Asking to ship an identical order that is on
 * Hold must not answer as if it shipped: the merchant releases it explicitly.
 */
export function assertActionHonoured(orderId: string, requested: OrderAction, existing: Order): void {
  if (requested === "Ship" && existing.action === "Hold") throw orderOnHold(orderId);
}

/** Amazon's way of saying the sellerFulfillmentOrderId is taken. */
export function isAlreadyExists(status: number, errors: { code: string; message: string }[]): boolean {
  return (
    status === 409 ||
    (status === 400 &&
      errors.some((error) =>
        /already exists|duplicate|already been used|DuplicateRequest/i.test(`${error.code} ${error.message}`),
      ))
  );
}

/** Amazon's answer that no such order exists (an unknown id is 400 InvalidInput "… not found", or 404). */
export function isNotFound(status: number, errors: { message: string }[]): boolean {
  return status === 404 || (status === 400 && errors.some((error) => /not found/i.test(error.message)));
}

/** A browser may cancel only while nothing has been released to the warehouse. */
export function isOnHold(order: Order): boolean {
  return order.action === "Hold" && !FINAL_STATUSES.includes(order.status);
}
