// Amazon's fulfillment previews → the delivery options a shopper chooses from. Pure: no I/O, no clock; quotes are
// attached afterwards by a signer passed in.
import type {
  FulfillmentPreview,
  GetFulfillmentPreviewResult,
  ShippingSpeedCategory,
} from "../../spec/generated/fulfillment-outbound-2020-07-01.ts";
import { fromMinor, toMinor } from "../money/index.ts";
import { customerPrice, type PricingRules } from "../pricing/index.ts";
import type { QuoteClaims } from "../quotes/index.ts";

export interface Money {
  amount: string;
  currency: string;
}

export interface UnfulfillableItem {
  sku: string;
  quantity: number;
  reasons: string[];
}

export interface DeliveryWindowOption {
  start: string;
  end: string;
  quote: string;
}

export interface DeliveryOption {
  id: string;
  speed: ShippingSpeedCategory;
  fulfillable: boolean;
  price: Money;
  fees: { total: string; currency: string; lines: { name: string; amount: string }[] };
  ship: { earliest?: string; latest?: string };
  arrival: { earliest?: string; latest?: string };
  timeZone?: string;
  deliveryWindows?: DeliveryWindowOption[];
  cashOnDelivery?: boolean;
  /** Present on fulfillable options; for Scheduled Delivery it is the first window's quote. */
  quote?: string;
  expiresAt?: string;
  /** Why Amazon cannot fulfil this option (unfulfillable options only). */
  reasons?: string[];
  unfulfillable?: UnfulfillableItem[];
  shippingNotes?: string[];
}

/** An option before signing: what each quote of it must bind. */
export interface DraftOption extends Omit<DeliveryOption, "deliveryWindows" | "quote" | "expiresAt"> {
  windows?: { start: string; end: string }[];
}

export interface MappingContext {
  marketplaceId: string;
  /** Marketplace currency, used when Amazon returned no fees. */
  currency: string;
  /** Marketplace time zone, unless Amazon states the destination's. */
  timeZone?: string;
  pricing: PricingRules;
  /** Cart value from declared values (for free-over-threshold), in `currency`. */
  orderValue?: string;
}

export interface MappedPreviews {
  options: DraftOption[];
  unfulfillable: UnfulfillableItem[];
  reasons: string[];
}

const SPEED_ORDER: ShippingSpeedCategory[] = ["Standard", "Expedited", "Priority", "ScheduledDelivery"];

export function mapPreviews(result: GetFulfillmentPreviewResult, context: MappingContext): MappedPreviews {
  const previews = result.fulfillmentPreviews ?? [];
  const seen = new Set<string>();
  const options = previews.map((preview) => {
    const option = mapPreview(preview, context);
    let id = option.id;
    for (let n = 2; seen.has(id); n++) id = `${option.id}-${n}`;
    seen.add(id);
    return { ...option, id };
  });
  options.sort(
    (a, b) =>
      Number(b.fulfillable) - Number(a.fulfillable) ||
      SPEED_ORDER.indexOf(a.speed) - SPEED_ORDER.indexOf(b.speed) ||
      Number(a.cashOnDelivery ?? false) - Number(b.cashOnDelivery ?? false),
  );
  const anyFulfillable = options.some((option) => option.fulfillable);
  return {
    options,
    unfulfillable: unfulfillableEverywhere(previews),
    reasons: anyFulfillable ? [] : unique(previews.flatMap((preview) => preview.orderUnfulfillableReasons ?? [])),
  };
}

export function mapPreview(preview: FulfillmentPreview, context: MappingContext): DraftOption {
  const speed = preview.shippingSpeedCategory;
  const fees = preview.estimatedFees ?? [];
  const currency = fees[0]?.amount.currencyCode ?? context.currency;
  const feeLines = fees.map((fee) => ({
    name: fee.name,
    amount: fromMinor(toMinor(fee.amount.value, currency), currency),
  }));
  const feeTotal = fromMinor(
    feeLines.reduce((sum, line) => sum + toMinor(line.amount, currency), 0n),
    currency,
  );
  const shipments = preview.fulfillmentPreviewShipments ?? [];
  const cod = preview.isCODCapable === true;
  const option: DraftOption = {
    id: cod ? `${speed}-COD` : speed,
    speed,
    fulfillable: preview.isFulfillable,
    price: {
      amount: customerPrice(context.pricing, {
        speed,
        feeTotal,
        currency,
        ...(context.orderValue !== undefined ? { orderValue: context.orderValue } : {}),
      }),
      currency,
    },
    fees: { total: feeTotal, currency, lines: feeLines },
    ship: range(
      shipments.map((s) => s.earliestShipDate),
      shipments.map((s) => s.latestShipDate),
    ),
    arrival: range(
      shipments.map((s) => s.earliestArrivalDate),
      shipments.map((s) => s.latestArrivalDate),
    ),
  };
  const timeZone = preview.scheduledDeliveryInfo?.deliveryTimeZone ?? context.timeZone;
  if (timeZone) option.timeZone = timeZone;
  if (cod) option.cashOnDelivery = true;
  const windows = preview.scheduledDeliveryInfo?.deliveryWindows ?? [];
  if (windows.length > 0) {
    option.windows = windows
      .map((window) => ({ start: window.startDate, end: window.endDate }))
      .sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
  }
  const notes = unique(shipments.flatMap((shipment) => shipment.shippingNotes ?? []));
  if (notes.length > 0) option.shippingNotes = notes;
  if (!preview.isFulfillable) {
    option.reasons = unique(preview.orderUnfulfillableReasons ?? []);
    const items = mergeUnfulfillable([preview]);
    if (items.length > 0) option.unfulfillable = items;
  }
  return option;
}

/** Earliest of the earliest dates and latest of the latest, across shipments. */
function range(
  earliest: (string | undefined)[],
  latest: (string | undefined)[],
): { earliest?: string; latest?: string } {
  const first = pick(earliest, (a, b) => a < b);
  const last = pick(latest, (a, b) => a > b);
  return { ...(first ? { earliest: first } : {}), ...(last ? { latest: last } : {}) };
}

function pick(values: (string | undefined)[], better: (a: number, b: number) => boolean): string | undefined {
  let best: string | undefined;
  for (const value of values) {
    if (
      value &&
      !Number.isNaN(Date.parse(value)) &&
      (best === undefined || better(Date.parse(value), Date.parse(best)))
    ) {
      best = value;
    }
  }
  return best;
}

function mergeUnfulfillable(previews: FulfillmentPreview[]): UnfulfillableItem[] {
  const bySku = new Map<string, UnfulfillableItem>();
  for (const preview of previews) {
    for (const item of preview.unfulfillablePreviewItems ?? []) {
      const entry = bySku.get(item.sellerSku) ?? { sku: item.sellerSku, quantity: 0, reasons: [] };
      entry.quantity = Math.max(entry.quantity, item.quantity);
      entry.reasons = unique([...entry.reasons, ...(item.itemUnfulfillableReasons ?? [])]);
      bySku.set(item.sellerSku, entry);
    }
  }
  return [...bySku.values()];
}

/** Items no speed can fulfil: what the shopper must change in the cart. */
function unfulfillableEverywhere(previews: FulfillmentPreview[]): UnfulfillableItem[] {
  if (previews.length === 0) return [];
  const merged = mergeUnfulfillable(previews);
  return merged.filter((item) =>
    previews.every((preview) =>
      (preview.unfulfillablePreviewItems ?? []).some((entry) => entry.sellerSku === item.sku),
    ),
  );
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

/** The cart's value from declared per-unit values, or undefined when any line lacks one. */
export function orderValue(
  items: readonly { quantity: number; declaredValue?: string | undefined }[],
  currency: string,
): string | undefined {
  let total = 0n;
  for (const item of items) {
    if (item.declaredValue === undefined) return undefined;
    total += toMinor(item.declaredValue, currency) * BigInt(item.quantity);
  }
  return fromMinor(total, currency);
}

export type QuoteSigner = (claims: QuoteClaims) => Promise<{ token: string; expiresAt: number }>;

/** Signs one quote per fulfillable option, and one per Scheduled Delivery window. */
export async function attachQuotes(
  drafts: readonly DraftOption[],
  binding: { marketplaceId: string; itemsDigest: string; destinationDigest: string },
  sign: QuoteSigner,
): Promise<DeliveryOption[]> {
  return Promise.all(
    drafts.map(async ({ windows, ...draft }): Promise<DeliveryOption> => {
      if (!draft.fulfillable) return draft;
      const claims = (window?: { start: string; end: string }): QuoteClaims => ({
        opt: draft.id,
        mkt: binding.marketplaceId,
        spd: draft.speed,
        ...(window ? { win: { s: window.start, e: window.end } } : {}),
        itm: binding.itemsDigest,
        dst: binding.destinationDigest,
        amt: draft.price.amount,
        cur: draft.price.currency,
        ...(draft.cashOnDelivery ? { cod: true } : {}),
      });
      if (windows && windows.length > 0) {
        const signed = await Promise.all(windows.map((window) => sign(claims(window))));
        const deliveryWindows = windows.map((window, index) => ({ ...window, quote: signed[index]!.token }));
        return {
          ...draft,
          deliveryWindows,
          quote: signed[0]!.token,
          expiresAt: new Date(signed[0]!.expiresAt).toISOString(),
        };
      }
      const signed = await sign(claims());
      return { ...draft, quote: signed.token, expiresAt: new Date(signed.expiresAt).toISOString() };
    }),
  );
}
