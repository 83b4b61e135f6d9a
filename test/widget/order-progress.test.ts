// Where an order stands for a shopper, its refresh delays and tracking words: pure, exhaustively.
import { deliveredAt, eventWords, isSettled, nextDelay, orderProgress } from "../../widget/order-progress.ts";
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
    equal(eventWords("EVENT_101"), "pickedUp");
    equal(eventWords("EVENT_202"), "inTransit");
    equal(eventWords("EVENT_302"), "outForDelivery");
    equal(eventWords("EVENT_301"), "delivered");
    equal(eventWords("EVENT_304"), "attempted");
    equal(eventWords("EVENT_406"), "delayed");
    equal(eventWords("EVENT_408"), "returned");
    equal(eventWords("EVENT_801"), undefined);
    equal(eventWords("SOMETHING"), undefined);
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
});
