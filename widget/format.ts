// Pure presentation logic: ordering, money, dates in the marketplace's time zone. No DOM, no I/O.
import { SPEEDS } from "../proxy/contract/v1.ts";
import type { DeliveryOption, DeliveryWindow, Money } from "./types.ts";

/**
 * What the shopper can choose from: fulfillable options for the way they pay (asked for cash on delivery, Amazon
 * answers each speed with and without COD; only one of the two applies), slowest (cheapest) speed first.
 */
export const offeredOptions = (options: DeliveryOption[], cashOnDelivery: boolean) =>
  options
    .filter((option) => option.fulfillable && !!option.cashOnDelivery === cashOnDelivery)
    .sort((a, b) => SPEEDS.indexOf(a.speed) - SPEEDS.indexOf(b.speed));

/** The shopper price, or `free` when it is zero. */
export const formatPrice = (price: Money, locale: string, free: string) =>
  Number(price.amount) === 0
    ? free
    : new Intl.NumberFormat(locale, { style: "currency", currency: price.currency }).format(Number(price.amount));

/** The zone of an option's dates: the proxy's, else Japan's for JP (where Scheduled Delivery lives), else the shopper's. */
export const timeZoneFor = (option: DeliveryOption, countryCode: string) =>
  option.timeZone ?? (countryCode === "JP" ? "Asia/Tokyo" : undefined);

/** The calendar day of an instant in a zone, as YYYY-MM-DD. */
export const dayKey = (instant: string | Date, timeZone?: string) =>
  new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(
    new Date(instant),
  );

// One day format for every date of the element (arrivals, picker days), so a list never mixes styles; hours drop
// the minutes when both ends are on the hour (8時～12時, 8 AM – 12 PM).
const dayFormat = (locale: string, timeZone: string | undefined, time?: "hour" | "minute") =>
  new Intl.DateTimeFormat(
    locale,
    time
      ? { hour: "numeric", minute: time === "minute" ? "2-digit" : undefined, timeZone }
      : { weekday: "short", month: "short", day: "numeric", timeZone },
  );

/**
 * A date range for people: "Wed, Mar 11", or "Wed, Mar 11 – Fri, Mar 13". Both ends in the one-day format, since
 * the locales' own range formats differ from it (Japanese ranges read 03/11(水)～03/13(金), days 3月11日(水)).
 */
export function formatDays(range: { earliest?: string; latest?: string }, locale: string, timeZone?: string) {
  const ends = [range.earliest ?? range.latest, range.latest ?? range.earliest];
  if (!ends[0]) return undefined;
  const format = dayFormat(locale, timeZone);
  return [...new Set(ends.map((end) => format.format(new Date(end!))))].join(locale.startsWith("ja") ? "～" : " – ");
}

/** Scheduled Delivery windows by local day, days and windows earliest first. */
export function windowsByDay(windows: DeliveryWindow[], timeZone?: string) {
  const days = new Map<string, DeliveryWindow[]>();
  for (const window of [...windows].sort((a, b) => Date.parse(a.start) - Date.parse(b.start))) {
    const key = dayKey(window.start, timeZone);
    days.set(key, [...(days.get(key) ?? []), window]);
  }
  return [...days.values()];
}

/** A window's day, as the arrival dates show days: "Wed, Mar 11". */
export const formatDay = (window: { start: string }, locale: string, timeZone?: string) =>
  dayFormat(locale, timeZone).format(new Date(window.start));

/** A window's hours: "8 AM – 12 PM", "2:30 – 4:00 PM". */
export const formatHours = (window: { start: string; end: string }, locale: string, timeZone?: string) => {
  const [start, end] = [new Date(window.start), new Date(window.end)];
  const onTheHour = start.getUTCMinutes() + end.getUTCMinutes() === 0;
  return dayFormat(locale, timeZone, onTheHour ? "hour" : "minute").formatRange(start, end);
};

/** A Scheduled Delivery window as the elements show it: its day, then its hours ("Fri, Dec 4 7 – 9 PM"). */
export const formatWindow = (window: { start: string; end: string }, locale: string, timeZone?: string) =>
  `${formatDay(window, locale, timeZone)} ${formatHours(window, locale, timeZone)}`;

/** An instant with its day and time, for tracking events: "Mar 11, 2:05 PM". */
export const formatMoment = (instant: string, locale: string, timeZone?: string) =>
  new Intl.DateTimeFormat(locale, {
    month: "short",
    day: "numeric",
    hour: "numeric",
    minute: "2-digit",
    timeZone,
  }).format(new Date(instant));
