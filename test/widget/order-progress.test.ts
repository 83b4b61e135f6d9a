// Where an order stands for a shopper, its refresh delays and tracking words: pure, exhaustively.
import {
  arrivalRange,
  deliveredAt,
  eventWords,
  isSettled,
  nextDelay,
  orderProgress,
} from "../../widget/order-progress.ts";
import { orderCatalogs, orderEnglish } from "../../widget/order-status.strings.ts";
import { catalogFor } from "../../widget/strings.ts";
import type { OrderView, PackageTrackingView } from "../../widget/types.ts";
import { describe, equal, it } from "./helpers.ts";

const order = (status: string, action: OrderView["action"] = "Ship") => ({ status, action }) as OrderView;
const pkg = (status: string, events: PackageTrackingView["events"] = []) => ({ status, events }) as PackageTrackingView;

describe("order progress", () => {
  it("maps every Amazon order status to the shopper's step", () => {
    const cases: [string, string][] = [
      ["New", "received"],
      ["Received", "received"],
      ["Planning", "received"],
      ["Processing", "preparing"],
      ["Cancelled", "cancelled"],
      ["Unfulfillable", "problem"],
      ["Invalid", "problem"],
      ["Complete", "shipped"],
      ["CompletePartialled", "shipped"],
    ];
    for (const [status, progress] of cases) equal(orderProgress(order(status), []), progress, status);
    equal(orderProgress(order("Received", "Hold"), []), "held");
    equal(orderProgress(order("Cancelled", "Hold"), []), "cancelled");
  });

  it("is delivered only when every package's carrier says so", () => {
    equal(orderProgress(order("Complete"), [pkg("DELIVERED"), pkg("DELIVERED")]), "delivered");
    equal(orderProgress(order("Complete"), [pkg("DELIVERED"), pkg("IN_TRANSIT")]), "shipped");
    equal(
      orderProgress(order("Complete"), [pkg("DELIVERED"), undefined]),
      "shipped",
      "unknown tracking is not delivered",
    );
    equal(orderProgress(order("Processing"), [pkg("DELIVERED")]), "preparing");
  });

  it("settles on delivered, cancelled and problem only", () => {
    for (const progress of ["delivered", "cancelled", "problem"] as const) equal(isSettled(progress), true);
    for (const progress of ["received", "held", "preparing", "shipped"] as const) equal(isSettled(progress), false);
  });

  it("backs off by doubling while nothing changes, up to 16 times the base, and starts over on a change", () => {
    let delay: number | undefined;
    const delays: number[] = [];
    for (let i = 0; i < 7; i++) {
      delay = nextDelay(delay, 1000, false);
      delays.push(delay);
    }
    equal(delays.join(), "1000,2000,4000,8000,16000,16000,16000");
    equal(nextDelay(16000, 1000, true), 1000);
    equal(nextDelay(4000, 1000, false, 5000), 5000);
  });

  it("words tracking event codes by what they mean to a shopper; unknown codes have none", () => {
    equal(eventWords("EVENT_101"), "pickupScheduled", "the carrier is told to collect: not collected yet");
    equal(eventWords("EVENT_102"), "pickedUp");
    equal(eventWords("EVENT_202"), "departed");
    equal(eventWords("EVENT_302"), "outForDelivery");
    equal(eventWords("EVENT_301"), "delivered");
    equal(eventWords("EVENT_304"), "attempted");
    equal(eventWords("EVENT_406"), "delayed");
    equal(eventWords("EVENT_408"), "returned");
    equal(eventWords("SOMETHING"), undefined);
  });

  it("words every code of Amazon's EventCode enum (2020-07-01 model) by its meaning, none two ways", async () => {
    // Amazon's own descriptions, from the vendored model: each code's group must fit it.
    const model = await (await fetch("/spec/fulfillmentOutbound_2020-07-01.json")).json();
    const table = model.definitions.EventCode["x-docgen-enum-table-extension"] as { value: string }[];
    const expected: Record<string, string> = {
      EVENT_101: "pickupScheduled", // Carrier notified to pick up package.
      EVENT_102: "pickedUp", // Shipment picked up from seller's facility.
      EVENT_201: "arrivedAt", // Arrival scan.
      EVENT_202: "departed", // Departure scan.
      EVENT_203: "inTransit", // Arrived at destination country.
      EVENT_204: "inTransit", // Initiated customs clearance process.
      EVENT_205: "inTransit", // Completed customs clearance process.
      EVENT_206: "inTransit", // In transit to pickup location.
      EVENT_301: "delivered", // Delivered.
      EVENT_302: "outForDelivery", // Out for delivery.
      EVENT_304: "attempted", // Delivery attempted.
      EVENT_306: "arranging", // Customer contacted to arrange delivery.
      EVENT_307: "arranging", // Delivery appointment scheduled.
      EVENT_308: "readyForPickup", // Available for pickup.
      EVENT_309: "returned", // Returned to seller.
      EVENT_401: "delayed", // Held by carrier - incorrect address.
      EVENT_402: "delayed", // Customs clearance delay.
      EVENT_403: "delayed", // Customer moved.
      EVENT_404: "delayed", // Delay in delivery due to external factors.
      EVENT_405: "delayed", // Shipment damaged.
      EVENT_406: "delayed", // Held by carrier.
      EVENT_407: "returned", // Customer refused delivery.
      EVENT_408: "returned", // Returning to seller.
      EVENT_409: "lost", // Lost by carrier.
      EVENT_411: "delayed", // Paperwork received - did not receive shipment.
      EVENT_412: "delayed", // Shipment received - did not receive paperwork.
      EVENT_413: "delayed", // Held by carrier - customer refused shipment due to customs charges.
      EVENT_414: "delayed", // Missorted by carrier.
      EVENT_415: "inTransit", // Received from prior carrier.
      EVENT_416: "returned", // Undeliverable.
      EVENT_417: "delayed", // Shipment missorted.
      EVENT_418: "delayed", // Shipment delayed.
      EVENT_419: "inTransit", // Address corrected - delivery rescheduled.
      EVENT_801: "readyForPickup", // Package delivered to locker.
      EVENT_804: "delivered", // Package picked up from locker.
    };
    equal(table.map((entry) => entry.value).join(), Object.keys(expected).join(), "the model's codes");
    for (const [code, words] of Object.entries(expected)) equal(eventWords(code), words, code);
  });

  it("gives each event group its own words in every language", () => {
    const groups = [
      ...new Set(
        ["101", "102", "201", "301", "302", "304", "306", "308", "401", "409", "408"].map(
          (n) => eventWords(`EVENT_${n}`)!,
        ),
      ),
    ];
    equal(groups.length, 11);
    for (const lang of ["en", ...Object.keys(orderCatalogs)]) {
      const strings = catalogFor(lang, orderEnglish, orderCatalogs);
      const words = groups.map((group) => strings[group]);
      equal(new Set(words).size, groups.length, `${lang}: ${words.join(" | ")}`);
      for (const word of words) equal(!!word?.trim(), true, `${lang}: every group has words`);
    }
  });

  it("dates the delivery by its event, else the latest event once delivered", () => {
    const events = [
      { date: "2026-03-11T18:30:00Z", code: "EVENT_301", description: "" },
      { date: "2026-03-11T06:00:00Z", code: "EVENT_202", description: "" },
    ];
    equal(deliveredAt(pkg("DELIVERED", events)), "2026-03-11T18:30:00Z");
    equal(deliveredAt(pkg("DELIVERED", [events[1]!])), "2026-03-11T06:00:00Z");
    equal(deliveredAt(pkg("IN_TRANSIT", [events[1]!])), undefined);
    equal(deliveredAt(undefined), undefined);
  });

  it("spans the order's arrival estimates, earliest to latest, across items, shipments and packages", () => {
    const view = {
      items: [{ estimatedArrivalDate: "2026-03-14T20:00:00Z" }, {}],
      shipments: [{ estimatedArrivalDate: "2026-03-12T20:00:00Z" }],
      packages: [],
    } as unknown as OrderView;
    const track = { estimatedArrivalDate: "2026-03-13T20:00:00Z" } as PackageTrackingView;
    const range = arrivalRange(view, [track, undefined]);
    equal(`${range.earliest} ${range.latest}`, "2026-03-12T20:00:00Z 2026-03-14T20:00:00Z");
    const none = arrivalRange({ items: [], shipments: [], packages: [] } as unknown as OrderView, []);
    equal(`${none.earliest} ${none.latest}`, "undefined undefined");
  });
});
