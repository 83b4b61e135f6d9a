// Pure presentation logic, exhaustively.
import {
  dayKey,
  formatDays,
  formatPrice,
  formatWindow,
  inTimeOrder,
  offeredOptions,
  timeZoneFor,
} from "../../widget/format.ts";
import { describe, equal, it, NOW, option, scheduledOption } from "./helpers.ts";

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

  it("words today and tomorrow relatively, other days and spans as ranges", () => {
    const la = "America/Los_Angeles";
    const on = (earliest: string, latest = earliest) => formatDays({ earliest, latest }, "en", la, NOW);
    equal(on("2026-03-10T20:00:00Z"), "today");
    equal(on("2026-03-11T20:00:00Z"), "tomorrow");
    equal(on("2026-03-12T20:00:00Z"), "Thu, Mar 12");
    equal(on("2026-03-11T20:00:00Z", "2026-03-13T20:00:00Z"), "Wed, Mar 11 – Fri, Mar 13");
    equal(on("2026-03-11T15:00:00Z", "2026-03-12T06:00:00Z"), "tomorrow", "both ends on the same local day");
    equal(formatDays({ earliest: "2026-03-11T20:00:00Z" }, "de", la, NOW), "morgen");
    equal(formatDays({}, "en", la, NOW), undefined);
    equal(
      formatDays({ earliest: "2026-03-14T20:00:00Z", latest: "2026-03-16T20:00:00Z" }, "ja", la, NOW),
      "03/14(土)～03/16(月)",
    );
  });

  it("orders Scheduled Delivery windows by time and names each with its Tokyo day", () => {
    const windows = scheduledOption().deliveryWindows!;
    const ordered = inTimeOrder(windows);
    equal(ordered.map((w) => w.quote).join(), "quote-w1,quote-w2,quote-w3");
    equal(windows[0]!.quote, "quote-w2", "the input is left as it was");
    // 23:00 UTC on 10 March is 08:00 on 11 March in Tokyo.
    equal(formatWindow(ordered[0]!, "en", "Asia/Tokyo"), "Wed, Mar 11, 8:00 AM – 12:00 PM");
    equal(formatWindow(ordered[1]!, "ja", "Asia/Tokyo"), "3/11(水) 14時00分～16時00分");
    equal(formatWindow(ordered[2]!, "de", "Asia/Tokyo"), "Do., 12. März, 08:00–12:00 Uhr");
  });
});
