// Pure presentation logic: ordering, money, dates in the marketplace's time zone. No DOM, no I/O.
import type { DeliveryOption, DeliveryWindow, Money } from "./types.ts";

const speedOrder = ["Standard", "Expedited", "Priority", "ScheduledDelivery"];

/**
 * What the shopper can choose from: fulfillable options for the way they pay (asked for cash on delivery, Amazon
 * answers each speed with and without COD; only one of the two applies), slowest (cheapest) speed first.
 */
export const offeredOptions = (options: DeliveryOption[], cashOnDelivery: boolean) =>
  options
    .filter((option) => option.fulfillable && !!option.cashOnDelivery === cashOnDelivery)
    .sort((a, b) => speedOrder.indexOf(a.speed) - speedOrder.indexOf(b.speed));

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

const dayFormat = { weekday: "short", month: "short", day: "numeric" } as const;

/**
 * A date range for people: "today"/"tomorrow" when the whole range falls on that day,
 * otherwise the locale's own range format ("Tue, Nov 24 – Thu, Nov 26").
 */
export function formatDays(
  range: { earliest?: string; latest?: string },
  locale: string,
  timeZone: string | undefined,
  now: Date,
) {
  const earliest = range.earliest ?? range.latest;
  const latest = range.latest ?? earliest;
  if (!earliest || !latest) return undefined;
  const first = dayKey(earliest, timeZone);
  const days = (Date.parse(first) - Date.parse(dayKey(now, timeZone))) / 86_400_000;
  if (first === dayKey(latest, timeZone) && (days === 0 || days === 1)) {
    return new Intl.RelativeTimeFormat(locale, { numeric: "auto" }).format(days, "day");
  }
  return new Intl.DateTimeFormat(locale, { ...dayFormat, timeZone }).formatRange(new Date(earliest), new Date(latest));
}

/** Scheduled Delivery windows, earliest first. */
export const inTimeOrder = (windows: DeliveryWindow[]) =>
  [...windows].sort((a, b) => Date.parse(a.start) - Date.parse(b.start));

/** A delivery window with its day, so a closed picker still says which day: "Wed, Mar 11, 8:00 AM – 12:00 PM". */
export const formatWindow = (window: DeliveryWindow, locale: string, timeZone: string | undefined) =>
  new Intl.DateTimeFormat(locale, { ...dayFormat, hour: "numeric", minute: "2-digit", timeZone }).formatRange(
    new Date(window.start),
    new Date(window.end),
  );
