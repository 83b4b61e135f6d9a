// The fulfillment model's previews → the delivery options a shopper chooses from. Pure: no I/O, no clock; quotes
// are attached afterwards by a signer passed in.
import { type DeliveryOption, SPEEDS, type UnfulfillableItem } from "../contract/v1.ts";
import type { Preview, PreviewResult } from "../fulfillment/model.ts";
import { fromMinor, toMinor } from "../money/index.ts";
import { customerPrice, type PricingRules } from "../pricing/index.ts";
import type { QuoteClaims } from "../quotes/index.ts";

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
  /** The cart's value as the merchant's server signed it (for free-over-threshold), in `currency`. */
  orderValue?: string;
}

export interface MappedPreviews {
  options: DraftOption[];
  unfulfillable: UnfulfillableItem[];
  reasons: string[];
}

export function mapPreviews(result: PreviewResult, context: MappingContext): MappedPreviews {
  const { previews } = result;
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
      SPEEDS.indexOf(a.speed) - SPEEDS.indexOf(b.speed) ||
      Number(a.cashOnDelivery ?? false) - Number(b.cashOnDelivery ?? false),
  );
  const anyFulfillable = options.some((option) => option.fulfillable);
  return {
    options,
    unfulfillable: unfulfillableEverywhere(previews),
    reasons: anyFulfillable ? [] : unique(previews.flatMap((preview) => preview.reasons)),
  };
}

export function mapPreview(preview: Preview, context: MappingContext): DraftOption {
  const { speed, shipments } = preview;
  const currency = preview.fees[0]?.amount.currency ?? context.currency;
  const feeLines = preview.fees.map((fee) => ({
    name: fee.name,
    amount: fromMinor(toMinor(fee.amount.amount, currency), currency),
  }));
  const feeTotal = fromMinor(
    feeLines.reduce((sum, line) => sum + toMinor(line.amount, currency), 0n),
    currency,
  );
  const cod = preview.cashOnDelivery;
  const option: DraftOption = {
    id: cod ? `${speed}-COD` : speed,
    speed,
    fulfillable: preview.fulfillable,
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
      shipments.map((s) => s.ship.earliest),
      shipments.map((s) => s.ship.latest),
    ),
    arrival: range(
      shipments.map((s) => s.arrival.earliest),
      shipments.map((s) => s.arrival.latest),
    ),
  };
  const timeZone = preview.timeZone ?? context.timeZone;
  if (timeZone) option.timeZone = timeZone;
  if (cod) option.cashOnDelivery = true;
  const windows = preview.deliveryWindows ?? [];
  if (windows.length > 0) {
    option.windows = windows
      .map((window) => ({ start: window.start, end: window.end }))
      .sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
  }
  const notes = unique(shipments.flatMap((shipment) => shipment.notes ?? []));
  if (notes.length > 0) option.shippingNotes = notes;
  if (!preview.fulfillable) {
    option.reasons = unique(preview.reasons);
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

function mergeUnfulfillable(previews: Preview[]): UnfulfillableItem[] {
  const bySku = new Map<string, UnfulfillableItem>();
  for (const preview of previews) {
    for (const item of preview.unfulfillable) {
      const entry = bySku.get(item.sku) ?? { sku: item.sku, quantity: 0, reasons: [] };
      entry.quantity = Math.max(entry.quantity, item.quantity);
      entry.reasons = unique([...entry.reasons, ...item.reasons]);
      bySku.set(item.sku, entry);
    }
  }
  return [...bySku.values()];
}

/** Items no speed can fulfil: what the shopper must change in the cart. */
function unfulfillableEverywhere(previews: Preview[]): UnfulfillableItem[] {
  if (previews.length === 0) return [];
  const merged = mergeUnfulfillable(previews);
  return merged.filter((item) =>
    previews.every((preview) => preview.unfulfillable.some((entry) => entry.sku === item.sku)),
  );
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

/** The cart's value from the merchant's unit prices, in the currency's precision. */
export function cartValue(items: readonly { quantity: number; unitPrice: string }[], currency: string): string {
  let total = 0n;
  for (const item of items) total += toMinor(item.unitPrice, currency) * BigInt(item.quantity);
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
