// The merchant's fallback rate table, turned into the same GetFulfillmentPreviewResult Amazon would send, so the
// proxy's normal mapping (prices, quotes) applies to it unchanged. Dates count business days (Mon–Fri, UTC).
import type { GetFulfillmentPreviewRequest, GetFulfillmentPreviewResult } from "../upstream/types.ts";

/** The merchant's fallback rate table, used when Amazon cannot answer. Amounts are decimal strings. */
export interface FallbackRate {
  speed: "Standard" | "Expedited" | "Priority";
  amount: string;
  currency: string;
  /** Business days from order to ship and to arrival. */
  shipDays: number;
  arrivalDays: number;
  /** ISO country codes this rate applies to; every country when absent. */
  countries?: string[];
}

const SPEEDS = new Set(["Standard", "Expedited", "Priority"]);
const DAY_MS = 86_400_000;

export function validateFallbackRates(rates: unknown, name = "fallbackRates"): FallbackRate[] {
  if (!Array.isArray(rates)) throw new TypeError(`${name} must be an array`);
  return rates.map((rate: Partial<FallbackRate>, index) => {
    const at = `${name}[${index}]`;
    if (typeof rate !== "object" || rate === null) throw new TypeError(`${at} must be an object`);
    if (!SPEEDS.has(rate.speed as string)) throw new TypeError(`${at}.speed must be Standard, Expedited or Priority`);
    if (typeof rate.amount !== "string" || !/^\d+(\.\d+)?$/.test(rate.amount)) {
      throw new TypeError(`${at}.amount must be a decimal string such as "5.99"`);
    }
    if (typeof rate.currency !== "string" || !/^[A-Z]{3}$/.test(rate.currency)) {
      throw new TypeError(`${at}.currency must be an ISO 4217 code such as "USD"`);
    }
    for (const field of ["shipDays", "arrivalDays"] as const) {
      const days = rate[field];
      if (!(Number.isInteger(days) && (days as number) >= 0 && (days as number) <= 60)) {
        throw new TypeError(`${at}.${field} must be a whole number of business days between 0 and 60`);
      }
    }
    if ((rate.arrivalDays as number) < (rate.shipDays as number)) {
      throw new TypeError(`${at}.arrivalDays must not be less than shipDays`);
    }
    if (rate.countries !== undefined) {
      if (
        !Array.isArray(rate.countries) ||
        !rate.countries.every((c) => typeof c === "string" && /^[A-Z]{2}$/.test(c))
      ) {
        throw new TypeError(`${at}.countries must be a list of ISO 3166 alpha-2 codes such as "US"`);
      }
    }
    // A clean copy: unknown fields (typos such as "country") are not carried along.
    return {
      speed: rate.speed as FallbackRate["speed"],
      amount: rate.amount,
      currency: rate.currency,
      shipDays: rate.shipDays as number,
      arrivalDays: rate.arrivalDays as number,
      ...(rate.countries ? { countries: [...rate.countries] } : {}),
    };
  });
}

/** `days` business days after `from` (weekends skipped; a start on a weekend first moves to Monday). */
export function addBusinessDays(from: number, days: number): number {
  let at = from;
  const isWeekend = (time: number) => {
    const day = new Date(time).getUTCDay();
    return day === 0 || day === 6;
  };
  while (isWeekend(at)) at += DAY_MS;
  for (let left = days; left > 0; ) {
    at += DAY_MS;
    if (!isWeekend(at)) left--;
  }
  return at;
}

/** The fallback answer for `request`, or undefined when no rate covers its country and speeds. */
export function fallbackPreview(
  request: GetFulfillmentPreviewRequest,
  rates: readonly FallbackRate[],
  now: number,
): GetFulfillmentPreviewResult | undefined {
  const country = request.address.countryCode.toUpperCase();
  const wanted = request.shippingSpeedCategories;
  const matching = rates.filter(
    (rate) => (!rate.countries || rate.countries.includes(country)) && (!wanted || wanted.includes(rate.speed)),
  );
  if (matching.length === 0) return undefined;
  const iso = (time: number) => new Date(time).toISOString();
  return {
    fulfillmentPreviews: matching.map((rate) => {
      const ship = iso(addBusinessDays(now, rate.shipDays));
      const arrival = iso(addBusinessDays(now, rate.arrivalDays));
      return {
        shippingSpeedCategory: rate.speed,
        isFulfillable: true,
        isCODCapable: false,
        marketplaceId: request.marketplaceId ?? "",
        estimatedFees: [
          { name: "FBAPerOrderFulfillmentFee", amount: { currencyCode: rate.currency, value: rate.amount } },
        ],
        fulfillmentPreviewShipments: [
          {
            earliestShipDate: ship,
            latestShipDate: ship,
            earliestArrivalDate: arrival,
            latestArrivalDate: arrival,
            fulfillmentPreviewItems: request.items.map((item) => ({
              sellerSku: item.sellerSku,
              quantity: item.quantity,
              sellerFulfillmentOrderItemId: item.sellerFulfillmentOrderItemId,
            })),
          },
        ],
      };
    }),
  };
}
