// Pure: where an order stands for a shopper, from Amazon's order status and its packages' tracking. No DOM, no I/O.
import type { OrderView, PackageTrackingView } from "./types.ts";

/** The steps a shopper follows, in order; `cancelled` and `problem` end an order off them. */
export const STEPS = ["received", "preparing", "shipped", "delivered"] as const;
export type Progress = (typeof STEPS)[number] | "held" | "cancelled" | "problem";

/**
 * Amazon's FulfillmentOrderStatus in shopper terms. "Complete" means shipped, not arrived: an order reads
 * delivered only once every package's carrier says so.
 */
export function orderProgress(order: OrderView, packages: (PackageTrackingView | undefined)[]): Progress {
  const { status } = order;
  if (status === "Cancelled") return "cancelled";
  if (status === "Unfulfillable" || status === "Invalid") return "problem";
  if (status === "Complete" || status === "CompletePartialled") {
    const delivered = packages.length > 0 && packages.every((entry) => entry?.status === "DELIVERED");
    return delivered ? "delivered" : "shipped";
  }
  if (order.action === "Hold") return "held";
  return status === "Processing" ? "preparing" : "received";
}

/** Whether the order will not move again, so there is nothing left to refresh. */
export const isSettled = (progress: Progress) =>
  progress === "delivered" || progress === "cancelled" || progress === "problem";

/** The next refresh delay: doubling from `base` while nothing changes, back to `base` when something did, capped. */
export const nextDelay = (previous: number | undefined, base: number, changed: boolean, cap = 16 * base) =>
  changed || previous === undefined ? base : Math.min(previous * 2, cap);

export type EventWords =
  | "pickupScheduled"
  | "pickedUp"
  | "arrivedAt"
  | "departed"
  | "inTransit"
  | "outForDelivery"
  | "delivered"
  | "attempted"
  | "arranging"
  | "readyForPickup"
  | "delayed"
  | "lost"
  | "returned";

// Amazon's tracking EventCode values (the 2020-07-01 model's enum), grouped into what a shopper needs to know; the
// rest keep the carrier's text. 101 is the carrier being told to collect, 102 the collection itself; 201 and 202 are
// a facility's arrival and departure scans (histories list them in pairs, so they must read apart); 306 and 307
// arrange a delivery, 308 and 801 (a locker) wait for the shopper to collect, 804 is the shopper collecting.
const eventGroups: [EventWords, number[]][] = [
  ["pickupScheduled", [101]],
  ["pickedUp", [102]],
  ["arrivedAt", [201]],
  ["departed", [202]],
  ["inTransit", [203, 204, 205, 206, 415, 419]],
  ["outForDelivery", [302]],
  ["delivered", [301, 804]],
  ["attempted", [304]],
  ["arranging", [306, 307]],
  ["readyForPickup", [308, 801]],
  ["delayed", [401, 402, 403, 404, 405, 406, 411, 412, 413, 414, 417, 418]],
  ["lost", [409]],
  ["returned", [309, 407, 408, 416]],
];

/** The shopper's words for a tracking event code such as `EVENT_302`, or undefined for codes without a group. */
export const eventWords = (code: string) =>
  eventGroups.find(([, codes]) => codes.includes(Number(code.replace("EVENT_", ""))))?.[0];

/** Tracking events, latest first. */
export const latestFirst = (tracking: PackageTrackingView | undefined) =>
  [...(tracking?.events ?? [])].sort((a, b) => Date.parse(b.date) - Date.parse(a.date));

/** When the package was delivered: the delivery event's date, else the latest event's once the carrier says delivered. */
export const deliveredAt = (tracking: PackageTrackingView | undefined) => {
  const events = latestFirst(tracking);
  return (
    events.find((event) => event.code === "EVENT_301")?.date ??
    (tracking?.status === "DELIVERED" ? events[0]?.date : undefined)
  );
};

/**
 * When the order arrives: the earliest and latest of the arrival estimates its items, shipments and packages carry
 * (an order shipped in parts arrives over several days), as checkout's range reads `{earliest, latest}`.
 */
export const arrivalRange = (order: OrderView, packages: (PackageTrackingView | undefined)[]) => {
  const dates = [...order.items, ...order.shipments, ...order.packages, ...packages]
    .map((entry) => entry?.estimatedArrivalDate)
    .filter((date): date is string => !!date)
    .sort((a, b) => Date.parse(a) - Date.parse(b));
  return { earliest: dates[0], latest: dates.at(-1) };
};
