import type { CurrentStatus, EventCode } from "../../spec/generated/fulfillment-outbound-2020-07-01.ts";

/** How long an order released for shipping spends in each status before the next (ms of sandbox clock). */
export interface LifecycleTimings {
  planningAfterMs: number;
  processingAfterMs: number;
  shipAfterMs: number;
  /** Hold orders are cancelled automatically this long after creation (Amazon: 14 days). */
  holdExpiresAfterMs: number;
  /** FillAll: units still short this long after the order went to Ship become unfulfillable (Amazon: 24 hours). */
  fillAllGraceMs: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const DEFAULT_TIMINGS: LifecycleTimings = {
  planningAfterMs: 30 * MINUTE,
  processingAfterMs: 2 * HOUR,
  shipAfterMs: 4 * HOUR,
  holdExpiresAfterMs: 14 * DAY,
  fillAllGraceMs: DAY,
};

export type Phase = "Received" | "Planning" | "Processing" | "Shipped";

/** Where an order released at `releasedAt` stands at `now`, and since when. */
export function phaseAt(releasedAt: number, now: number, t: LifecycleTimings): { phase: Phase; since: number } {
  const elapsed = now - releasedAt;
  if (elapsed >= t.shipAfterMs) return { phase: "Shipped", since: releasedAt + t.shipAfterMs };
  if (elapsed >= t.processingAfterMs) return { phase: "Processing", since: releasedAt + t.processingAfterMs };
  if (elapsed >= t.planningAfterMs) return { phase: "Planning", since: releasedAt + t.planningAfterMs };
  return { phase: "Received", since: releasedAt };
}

/** The release time that puts an order in `phase` right at `now` (status updates in the sandbox). */
export function releaseTimeFor(phase: Phase, now: number, t: LifecycleTimings): number {
  const offset = {
    Received: 0,
    Planning: t.planningAfterMs,
    Processing: t.processingAfterMs,
    Shipped: t.shipAfterMs,
  }[phase];
  return now - offset;
}

/** Scheduled Delivery ships the day before its window. */
export const SCHEDULED_LEAD_MS = DAY;

/**
 * When an order released at `now` starts its lifecycle: at once, or late enough that it ships no earlier than the
 * estimate promised (after the cut-off, on a weekend or holiday, the day before a far-off delivery window).
 */
export function lifecycleStart(now: number, earliestShipDate: number, t: LifecycleTimings): number {
  return Math.max(now, earliestShipDate - t.shipAfterMs);
}

export interface TrackingStep {
  code: EventCode;
  at: number;
  /** Which end of the trip the scan happens at. */
  where: "origin" | "hub" | "destination";
}

export const EVENT_DESCRIPTIONS: Partial<Record<EventCode, string>> = {
  EVENT_101: "Carrier notified to pick up package.",
  EVENT_102: "Shipment picked up from seller's facility.",
  EVENT_201: "Arrival scan.",
  EVENT_202: "Departure scan.",
  EVENT_302: "Out for delivery.",
  EVENT_301: "Delivered.",
};

/** A package's scans from pickup to delivery, spread over the trip; only those already past are returned. */
export function trackingSteps(shippedAt: number, deliverAt: number, now: number): TrackingStep[] {
  const trip = Math.max(deliverAt - shippedAt, 2 * HOUR);
  const plan: TrackingStep[] = [
    { code: "EVENT_101", at: shippedAt, where: "origin" },
    { code: "EVENT_102", at: shippedAt + Math.round(trip * 0.05), where: "origin" },
    { code: "EVENT_201", at: shippedAt + Math.round(trip * 0.4), where: "hub" },
    { code: "EVENT_202", at: shippedAt + Math.round(trip * 0.5), where: "hub" },
    { code: "EVENT_302", at: shippedAt + Math.round(trip * 0.85), where: "destination" },
    { code: "EVENT_301", at: shippedAt + trip, where: "destination" },
  ];
  return plan.filter((step) => step.at <= now);
}

export function trackingStatus(steps: TrackingStep[]): { status: CurrentStatus; description: string } {
  const last = steps.at(-1)?.code;
  if (last === "EVENT_301") return { status: "DELIVERED", description: "Delivered" };
  if (last === "EVENT_302") return { status: "OUT_FOR_DELIVERY", description: "Out for delivery" };
  return { status: "IN_TRANSIT", description: "In transit" };
}
