import assert from "node:assert/strict";
import { test } from "node:test";
import { addOpenDays, deliveryWindows, estimateShipping, shipDay } from "../../../sandbox/dates/index.ts";
import { addDays, fromZoned, isoDate, isoInstant, toZoned, weekday, zoneOffset } from "../../../sandbox/dates/zoned.ts";
import { MARKETPLACES, type Marketplace } from "../../../sandbox/marketplaces.ts";

const market = (country: string): Marketplace => {
  const m = MARKETPLACES.find((x) => x.countryCode === country);
  if (!m) throw new Error(country);
  return m;
};
const US = market("US");
const JP = market("JP");
const DE = market("DE");
const iso = (ms: number) => isoInstant(ms);

test("zone offsets, including both sides of DST", () => {
  assert.equal(zoneOffset(Date.UTC(2026, 0, 5, 12), "Asia/Tokyo"), 9 * 3_600_000);
  assert.equal(zoneOffset(Date.UTC(2026, 0, 5, 12), "America/New_York"), -5 * 3_600_000);
  assert.equal(zoneOffset(Date.UTC(2026, 6, 5, 12), "America/New_York"), -4 * 3_600_000);
  assert.equal(zoneOffset(Date.UTC(2026, 6, 5, 12), "Europe/Berlin"), 2 * 3_600_000);
  assert.equal(zoneOffset(Date.UTC(2026, 0, 5, 12), "UTC"), 0);
});

test("fromZoned inverts toZoned, across DST changes", () => {
  for (const tz of ["Asia/Tokyo", "America/New_York", "Europe/London", "Europe/Berlin", "Australia/Sydney"]) {
    for (const instant of [
      Date.UTC(2026, 0, 5, 3),
      Date.UTC(2026, 2, 8, 12),
      Date.UTC(2026, 2, 29, 12),
      Date.UTC(2026, 9, 25, 12),
      Date.UTC(2026, 6, 1, 23),
    ]) {
      const z = toZoned(instant, tz);
      assert.equal(fromZoned(z, z.hour, z.minute, tz, z.second), instant, `${tz} ${new Date(instant).toISOString()}`);
    }
  }
  assert.equal(
    iso(fromZoned({ year: 2026, month: 3, day: 8 }, 12, 0, "America/New_York")),
    "2026-03-08T16:00:00Z",
    "EDT starts that morning",
  );
});

test("calendar helpers", () => {
  assert.deepEqual(addDays({ year: 2026, month: 12, day: 31 }, 1), { year: 2027, month: 1, day: 1 });
  assert.deepEqual(addDays({ year: 2028, month: 2, day: 28 }, 1), { year: 2028, month: 2, day: 29 });
  assert.equal(weekday({ year: 2026, month: 1, day: 5 }), 1);
  assert.equal(isoDate({ year: 2026, month: 1, day: 5 }), "2026-01-05");
  assert.equal(iso(Date.UTC(2026, 0, 5, 9, 0, 0, 123)), "2026-01-05T09:00:00Z");
  assert.deepEqual(
    addOpenDays({ year: 2026, month: 1, day: 2 }, 1, [1, 2, 3, 4, 5], []),
    { year: 2026, month: 1, day: 5 },
    "Fri 2 Jan + 1 business day = Mon",
  );
  assert.deepEqual(
    addOpenDays({ year: 2026, month: 1, day: 2 }, 2, [1, 2, 3, 4, 5], ["2026-01-05"]),
    { year: 2026, month: 1, day: 7 },
    "holiday skipped",
  );
  assert.deepEqual(
    addOpenDays({ year: 2026, month: 1, day: 3 }, 0, [1, 2, 3, 4, 5], []),
    { year: 2026, month: 1, day: 5 },
    "Sat rolls to Mon",
  );
});

test("ship day: today before the cut-off, next ship day after it, weekends and holidays skipped", () => {
  // 13:59 and 14:00 New York on Monday 5 Jan 2026.
  assert.deepEqual(shipDay(Date.UTC(2026, 0, 5, 18, 59), US), { year: 2026, month: 1, day: 5 });
  assert.deepEqual(shipDay(Date.UTC(2026, 0, 5, 19, 0), US), { year: 2026, month: 1, day: 6 });
  // Friday after the cut-off ships Monday.
  assert.deepEqual(shipDay(Date.UTC(2026, 0, 9, 20), US), { year: 2026, month: 1, day: 12 });
  // Saturday in the US ships Monday; Saturday in JP ships the same day (JP ships every day).
  assert.deepEqual(shipDay(Date.UTC(2026, 0, 10, 15), US), { year: 2026, month: 1, day: 12 });
  assert.deepEqual(shipDay(Date.UTC(2026, 0, 10, 1), JP), { year: 2026, month: 1, day: 10 });
  // Thanksgiving (26 Nov 2026) is not a ship day.
  assert.deepEqual(shipDay(Date.UTC(2026, 10, 26, 15), US), { year: 2026, month: 11, day: 27 });
  // New Year holidays in JP.
  assert.deepEqual(shipDay(Date.UTC(2025, 11, 31, 10), JP), { year: 2026, month: 1, day: 3 });
  // The local date decides: 23:30 UTC Monday is already Tuesday in Tokyo.
  assert.deepEqual(shipDay(Date.UTC(2026, 0, 5, 23, 30), JP), { year: 2026, month: 1, day: 6 });
});

test("estimateShipping uses handling days, transit days and delivery days", () => {
  const now = Date.UTC(2026, 0, 5, 15); // Mon 10:00 New York
  const standard = estimateShipping(now, US, { handlingDays: 1, minDays: 3, maxDays: 5 });
  assert.equal(iso(standard.earliestShipDate), iso(now));
  assert.equal(iso(standard.latestShipDate), "2026-01-07T04:59:59Z", "Tue 23:59:59 EST");
  assert.equal(iso(standard.earliestArrivalDate), "2026-01-08T13:00:00Z", "Thu 08:00 EST");
  assert.equal(
    iso(standard.latestArrivalDate),
    "2026-01-13T02:00:00Z",
    "5 delivery days (Mon–Sat) after Tue: Mon 12th 21:00 EST",
  );
  const friday = estimateShipping(Date.UTC(2026, 0, 9, 20), DE, { handlingDays: 0, minDays: 1, maxDays: 1 });
  assert.equal(iso(friday.earliestShipDate), "2026-01-11T23:00:00Z", "Monday 00:00 Berlin");
  assert.equal(iso(friday.earliestArrivalDate), "2026-01-13T07:00:00Z", "Tuesday 08:00 Berlin");
});

test("JP delivery windows: five local slots a day for seven days, from the first arrival day", () => {
  const now = Date.UTC(2026, 0, 5, 9); // 18:00 JST, after the 15:00 cut-off
  const transit = JP.transit.ScheduledDelivery;
  assert.ok(transit && JP.deliveryWindows);
  const windows = deliveryWindows(now, JP, transit, JP.deliveryWindows);
  assert.equal(windows.length, 35);
  assert.equal(iso(windows[0]?.start ?? 0), "2026-01-06T23:00:00Z", "7 Jan 08:00 JST");
  assert.equal(iso(windows[0]?.end ?? 0), "2026-01-07T03:00:00Z", "12:00 JST");
  assert.equal(iso(windows[4]?.start ?? 0), "2026-01-07T10:00:00Z", "19:00 JST");
  assert.equal(iso(windows[34]?.end ?? 0), "2026-01-13T12:00:00Z", "13 Jan 21:00 JST");
  const morning = deliveryWindows(Date.UTC(2026, 0, 5, 1), JP, transit, JP.deliveryWindows);
  assert.equal(iso(morning[0]?.start ?? 0), "2026-01-05T23:00:00Z", "before the cut-off: next day's windows");
  const holiday = deliveryWindows(Date.UTC(2025, 11, 30, 1), JP, transit, JP.deliveryWindows);
  assert.ok(
    holiday.every((w) => !["2026-01-01", "2026-01-02"].includes(isoDate(toZoned(w.start, "Asia/Tokyo")))),
    "no windows on holidays",
  );
});
