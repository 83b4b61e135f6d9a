// Pure presentation logic, exhaustively.
import {
  dayKey,
  formatDay,
  formatDays,
  formatHours,
  formatPrice,
  offeredOptions,
  timeZoneFor,
  windowsByDay,
} from "../../widget/format.ts";
import { describe, equal, it, option, scheduledOption } from "./helpers.ts";

describe("format", () => {
  it("offers fulfillable options for the way the shopper pays, ordered by speed", () => {
    const options = [
      option("ScheduledDelivery", "1"),
      option("Priority", "1"),
      option("Priority", "2", { id: "Priority-COD", cashOnDelivery: true }),
      option("Expedited", "1", { fulfillable: false }),
      option("Standard", "1"),
      option("Standard", "2", { id: "Standard-COD", cashOnDelivery: true }),
    ];
    const ids = (cod: boolean) =>
      offeredOptions(options, cod)
        .map((o) => o.id)
        .join();
    equal(ids(false), "Standard,Priority,ScheduledDelivery");
    equal(ids(true), "Standard-COD,Priority-COD");
    equal(options[0]!.speed, "ScheduledDelivery", "the input is left as it was");
  });

  it("formats prices; any zero reads the free word", () => {
    equal(formatPrice({ amount: "0", currency: "USD" }, "en", "Free"), "Free");
    equal(formatPrice({ amount: "0.00", currency: "EUR" }, "de", "Kostenlos"), "Kostenlos");
    equal(formatPrice({ amount: "12.5", currency: "EUR" }, "de", "x"), "12,50\u00a0€");
    equal(formatPrice({ amount: "1200", currency: "JPY" }, "ja", "x"), "￥1,200");
    equal(formatPrice({ amount: "3.99", currency: "GBP" }, "en-GB", "x"), "£3.99");
  });

  it("uses the proxy's zone, else Tokyo for Japan, else the shopper's", () => {
    equal(timeZoneFor(option("Standard", "1", { timeZone: "Europe/Berlin" }), "JP"), "Europe/Berlin");
    equal(timeZoneFor(option("Standard", "1", { timeZone: undefined }), "JP"), "Asia/Tokyo");
    equal(timeZoneFor(option("Standard", "1", { timeZone: undefined }), "US"), undefined);
  });

  it("computes calendar days in a zone", () => {
    equal(dayKey("2026-03-10T16:00:00Z", "Asia/Tokyo"), "2026-03-11");
    equal(dayKey("2026-03-10T16:00:00Z", "America/Los_Angeles"), "2026-03-10");
  });

  it("words days and spans in one day format, whatever the locale's range format", () => {
    const la = "America/Los_Angeles";
    const on = (earliest: string, latest = earliest, locale = "en") => formatDays({ earliest, latest }, locale, la);
    equal(on("2026-03-12T20:00:00Z"), "Thu, Mar 12");
    equal(on("2026-03-11T20:00:00Z", "2026-03-13T20:00:00Z"), "Wed, Mar 11 – Fri, Mar 13");
    equal(on("2026-03-11T15:00:00Z", "2026-03-12T06:00:00Z"), "Wed, Mar 11", "both ends on the same local day");
    equal(formatDays({ earliest: "2026-03-11T20:00:00Z" }, "de", la), "Mi., 11. März");
    equal(formatDays({ latest: "2026-03-11T20:00:00Z" }, "en", la), "Wed, Mar 11");
    equal(formatDays({}, "en", la), undefined);
    equal(on("2026-03-14T20:00:00Z", "2026-03-16T20:00:00Z", "ja"), "3月14日(土)～3月16日(月)");
    equal(on("2026-03-14T20:00:00Z", "2026-03-14T20:00:00Z", "ja"), "3月14日(土)");
  });

  it("groups Scheduled Delivery windows by Tokyo day, in time order, and words days and hours", () => {
    const windows = scheduledOption().deliveryWindows!;
    const days = windowsByDay(windows, "Asia/Tokyo");
    equal(days.map((day) => day.map((w) => w.quote).join("+")).join(), "quote-w1+quote-w2,quote-w3");
    equal(windows[0]!.quote, "quote-w2", "the input is left as it was");
    equal(
      windowsByDay(windows, "UTC")
        .map((day) => day.length)
        .join(),
      "1,2",
      "days are the zone's",
    );
    // 23:00 UTC on 10 March is 08:00 on 11 March in Tokyo.
    const [first, second] = days[0]!;
    equal(formatDay(first!, "en", "Asia/Tokyo"), "Wed, Mar 11");
    equal(formatDay(first!, "ja", "Asia/Tokyo"), "3月11日(水)");
    equal(formatHours(first!, "en", "Asia/Tokyo"), "8 AM – 12 PM");
    equal(formatHours(second!, "ja", "Asia/Tokyo"), "14時～16時");
    equal(formatHours({ ...second!, start: "2026-03-11T05:30:00Z" }, "en", "Asia/Tokyo"), "2:30 – 4:00 PM");
    equal(formatHours(days[1]![0]!, "de", "Asia/Tokyo"), "08–12 Uhr");
  });
});
