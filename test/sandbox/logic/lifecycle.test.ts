import assert from "node:assert/strict";
import { test } from "node:test";
import {
  DEFAULT_TIMINGS,
  phaseAt,
  releaseTimeFor,
  trackingStatus,
  trackingSteps,
} from "../../../sandbox/orders/lifecycle.ts";

const t = DEFAULT_TIMINGS;
const HOUR = 3_600_000;

test("phase from elapsed time, with the time it began", () => {
  assert.deepEqual(phaseAt(0, 0, t), { phase: "Received", since: 0 });
  assert.deepEqual(phaseAt(0, t.planningAfterMs - 1, t), { phase: "Received", since: 0 });
  assert.deepEqual(phaseAt(0, t.planningAfterMs, t), { phase: "Planning", since: t.planningAfterMs });
  assert.deepEqual(phaseAt(0, t.processingAfterMs, t), { phase: "Processing", since: t.processingAfterMs });
  assert.deepEqual(phaseAt(0, t.shipAfterMs + HOUR, t), { phase: "Shipped", since: t.shipAfterMs });
  assert.equal(t.holdExpiresAfterMs, 14 * 24 * HOUR);
  assert.equal(t.fillAllGraceMs, 24 * HOUR);
});

test("releaseTimeFor puts an order exactly at the start of a phase", () => {
  for (const phase of ["Received", "Planning", "Processing", "Shipped"] as const) {
    const now = 10 * HOUR;
    assert.deepEqual(phaseAt(releaseTimeFor(phase, now, t), now, t), { phase, since: now });
  }
});

test("tracking steps unfold over the trip; status follows the last scan", () => {
  const shipped = 0;
  const deliver = 48 * HOUR;
  assert.deepEqual(trackingSteps(shipped, deliver, -1), []);
  assert.deepEqual(
    trackingSteps(shipped, deliver, 0).map((s) => s.code),
    ["EVENT_101"],
  );
  assert.equal(trackingStatus(trackingSteps(shipped, deliver, 0)).status, "IN_TRANSIT");
  const late = trackingSteps(shipped, deliver, deliver - 1);
  assert.deepEqual(
    late.map((s) => s.code),
    ["EVENT_101", "EVENT_102", "EVENT_201", "EVENT_202", "EVENT_302"],
  );
  assert.equal(trackingStatus(late).status, "OUT_FOR_DELIVERY");
  const done = trackingSteps(shipped, deliver, deliver);
  assert.equal(trackingStatus(done).status, "DELIVERED");
  assert.ok(
    done.every((s, i) => i === 0 || s.at >= (done[i - 1]?.at ?? 0)),
    "in time order",
  );
  assert.equal(trackingSteps(0, 1000, 2 * HOUR).at(-1)?.code, "EVENT_301", "trips last at least two hours");
});
