import type { Marketplace, Transit } from "../marketplaces.ts";
import { addDays, type CivilDate, fromZoned, isoDate, toZoned, weekday } from "./zoned.ts";

export type { CivilDate } from "./zoned.ts";
export { isoInstant, toZoned } from "./zoned.ts";

/** The parts of a marketplace that decide dates. */
export type ShippingCalendar = Pick<
  Marketplace,
  "timeZone" | "cutoffHour" | "shipWeekdays" | "deliveryWeekdays" | "holidays"
>;

export interface ShippingEstimate {
  earliestShipDate: number;
  latestShipDate: number;
  earliestArrivalDate: number;
  latestArrivalDate: number;
}

/** Deliveries land between these local hours. */
export const DELIVERY_DAY_START_HOUR = 8;
export const DELIVERY_DAY_END_HOUR = 21;

function isOpen(date: CivilDate, weekdays: number[], holidays: string[]): boolean {
  return weekdays.includes(weekday(date)) && !holidays.includes(isoDate(date));
}

/** The first open day on or after `date`. */
function nextOpenDay(date: CivilDate, weekdays: number[], holidays: string[]): CivilDate {
  let day = date;
  for (let guard = 0; guard < 366 && !isOpen(day, weekdays, holidays); guard++) day = addDays(day, 1);
  return day;
}

/** The `count`-th open day strictly after `date` (count 0 returns the next open day on or after `date`). */
export function addOpenDays(date: CivilDate, count: number, weekdays: number[], holidays: string[]): CivilDate {
  let day = nextOpenDay(date, weekdays, holidays);
  for (let i = 0; i < count; i++) day = nextOpenDay(addDays(day, 1), weekdays, holidays);
  return day;
}

/** The local day the order leaves the fulfilment centre: today before the cut-off on a ship day, else the next one. */
export function shipDay(now: number, calendar: ShippingCalendar): CivilDate {
  const local = toZoned(now, calendar.timeZone);
  const today: CivilDate = { year: local.year, month: local.month, day: local.day };
  const beforeCutoff = local.hour < calendar.cutoffHour;
  if (beforeCutoff && isOpen(today, calendar.shipWeekdays, calendar.holidays)) return today;
  return nextOpenDay(addDays(today, 1), calendar.shipWeekdays, calendar.holidays);
}

export function estimateShipping(now: number, calendar: ShippingCalendar, transit: Transit): ShippingEstimate {
  const { timeZone, shipWeekdays, deliveryWeekdays, holidays } = calendar;
  const firstShipDay = shipDay(now, calendar);
  const lastShipDay = addOpenDays(firstShipDay, transit.handlingDays, shipWeekdays, holidays);
  const startOfFirstShipDay = fromZoned(firstShipDay, 0, 0, timeZone);
  const earliestShipDate = Math.max(now, startOfFirstShipDay);
  const latestShipDate = fromZoned(lastShipDay, 23, 59, timeZone, 59);
  const earliestArrivalDay = addOpenDays(firstShipDay, transit.minDays, deliveryWeekdays, holidays);
  const latestArrivalDay = addOpenDays(lastShipDay, transit.maxDays, deliveryWeekdays, holidays);
  return {
    earliestShipDate,
    latestShipDate,
    earliestArrivalDate: fromZoned(earliestArrivalDay, DELIVERY_DAY_START_HOUR, 0, timeZone),
    latestArrivalDate: fromZoned(latestArrivalDay, DELIVERY_DAY_END_HOUR, 0, timeZone),
  };
}

export interface Window {
  start: number;
  end: number;
}

/**
 * Scheduled Delivery windows: every configured local slot on each delivery day from the first day the order can
 * arrive, for `days` days.
 */
export function deliveryWindows(
  now: number,
  calendar: ShippingCalendar,
  transit: Transit,
  offer: { days: number; slots: [number, number][] },
): Window[] {
  const firstDay = addOpenDays(shipDay(now, calendar), transit.minDays, calendar.deliveryWeekdays, calendar.holidays);
  const windows: Window[] = [];
  for (let offset = 0; offset < offer.days; offset++) {
    const day = addDays(firstDay, offset);
    if (!isOpen(day, calendar.deliveryWeekdays, calendar.holidays)) continue;
    for (const [startHour, endHour] of offer.slots) {
      windows.push({
        start: fromZoned(day, startHour, 0, calendar.timeZone),
        end: fromZoned(day, endHour, 0, calendar.timeZone),
      });
    }
  }
  return windows;
}
