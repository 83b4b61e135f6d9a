// The merchant's fallback rate table, turned into the same PreviewResult a dialect gives, so the normal mapping
// (prices, quotes) applies to it unchanged. Dates count business days (Mon–Fri, UTC).
import type { PreviewRequest, PreviewResult } from "../fulfillment/model.ts";
import { problemCollector } from "../shared/invalid.ts";

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

/** A clean copy of the table (unknown fields such as a typo'd "country" are not carried); InvalidSettings otherwise. */
export function validateFallbackRates(rates: unknown, name = "fallbackRates"): FallbackRate[] {
  const bad = problemCollector();
  if (!Array.isArray(rates)) {
    bad.add(name, "must be an array");
    bad.done("Invalid fallback rates");
  }
  const clean = (rates as Partial<FallbackRate>[]).map((rate, index) => {
    const at = `${name}[${index}]`;
    if (typeof rate !== "object" || rate === null) {
      bad.add(at, "must be an object");
      return undefined;
    }
    if (!SPEEDS.has(rate.speed as string)) bad.add(`${at}.speed`, "must be Standard, Expedited or Priority");
    if (typeof rate.amount !== "string" || !/^\d+(\.\d+)?$/.test(rate.amount)) {
      bad.add(`${at}.amount`, 'must be a decimal string such as "5.99"');
    }
    if (typeof rate.currency !== "string" || !/^[A-Z]{3}$/.test(rate.currency)) {
      bad.add(`${at}.currency`, 'must be an ISO 4217 code such as "USD"');
    }
    for (const field of ["shipDays", "arrivalDays"] as const) {
      const days = rate[field];
      if (!(Number.isInteger(days) && (days as number) >= 0 && (days as number) <= 60)) {
        bad.add(`${at}.${field}`, "must be a whole number of business days between 0 and 60");
      }
    }
    if ((rate.arrivalDays as number) < (rate.shipDays as number)) {
      bad.add(`${at}.arrivalDays`, "must not be less than shipDays");
    }
    const countriesOk =
      rate.countries === undefined ||
      (Array.isArray(rate.countries) && rate.countries.every((c) => typeof c === "string" && /^[A-Z]{2}$/.test(c)));
    if (!countriesOk) bad.add(`${at}.countries`, 'must be a list of ISO 3166 alpha-2 codes such as "US"');
    return {
      speed: rate.speed as FallbackRate["speed"],
      amount: rate.amount as string,
      currency: rate.currency as string,
      shipDays: rate.shipDays as number,
      arrivalDays: rate.arrivalDays as number,
      ...(rate.countries ? { countries: [...rate.countries] } : {}),
    };
  });
  bad.done("Invalid fallback rates");
  return clean as FallbackRate[];
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
  request: PreviewRequest,
  rates: readonly FallbackRate[],
  now: number,
): PreviewResult | undefined {
  const country = request.address.countryCode.toUpperCase();
  const wanted = request.speeds;
  const matching = rates.filter(
    (rate) => (!rate.countries || rate.countries.includes(country)) && (!wanted || wanted.includes(rate.speed)),
  );
  if (matching.length === 0) return undefined;
  const iso = (time: number) => new Date(time).toISOString();
  return {
    previews: matching.map((rate) => {
      const ship = iso(addBusinessDays(now, rate.shipDays));
      const arrival = iso(addBusinessDays(now, rate.arrivalDays));
      return {
        speed: rate.speed,
        fulfillable: true,
        cashOnDelivery: false,
        fees: [{ name: "FBAPerOrderFulfillmentFee", amount: { currency: rate.currency, amount: rate.amount } }],
        shipments: [
          {
            ship: { earliest: ship, latest: ship },
            arrival: { earliest: arrival, latest: arrival },
            items: request.items.map((item) => ({ sku: item.sku, quantity: item.quantity })),
          },
        ],
        reasons: [],
        unfulfillable: [],
      };
    }),
  };
}
