import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { backoffDelay } from "../../../proxy/admission/backoff.ts";
import {
  admit,
  type BreakerState,
  closedBreaker,
  recordAbandoned,
  recordFailure,
  recordSuccess,
} from "../../../proxy/admission/circuit-breaker.ts";
import { seededRandom } from "./fakes.ts";

describe("backoff", () => {
  const base = { baseMs: 100, maxMs: 5000 };

  it("doubles the ceiling each attempt, between half and all of it", () => {
    assert.deepEqual(
      [0, 1, 2, 3].map((attempt) => backoffDelay(attempt, { ...base, random: () => 0 })),
      [50, 100, 200, 400],
    );
    assert.deepEqual(
      [0, 1, 2, 3].map((attempt) => backoffDelay(attempt, { ...base, random: () => 0.999999 })),
      [100, 200, 400, 800],
    );
  });

  it("is capped at maxMs", () => {
    assert.equal(backoffDelay(30, { ...base, random: () => 0.999999 }), 5000);
    assert.equal(backoffDelay(30, { ...base, random: () => 0 }), 2500);
  });

  it("jitters deterministically with a seeded random and spreads concurrent retries", () => {
    const a = Array.from({ length: 8 }, (_, i) => backoffDelay(2, { ...base, random: seededRandom(i) }));
    const b = Array.from({ length: 8 }, (_, i) => backoffDelay(2, { ...base, random: seededRandom(i) }));
    assert.deepEqual(a, b);
    assert.ok(new Set(a).size > 4, `delays should differ: ${a}`);
    for (const delay of a) assert.ok(delay >= 200 && delay <= 400);
  });

  it("clamps a misbehaving random source", () => {
    assert.equal(backoffDelay(0, { ...base, random: () => 7 }), 100);
    assert.equal(backoffDelay(0, { ...base, random: () => -1 }), 50);
  });
});

describe("circuit breaker", () => {
  const options = { failureThreshold: 3, openMs: 10_000, halfOpenProbes: 1 };

  const failTimes = (state: BreakerState, times: number, now = 0) => {
    let next = state;
    for (let i = 0; i < times; i++) next = recordFailure(next, now, options);
    return next;
  };

  it("stays closed below the threshold and a success resets the count", () => {
    assert.deepEqual(failTimes(closedBreaker, 2), { status: "closed", failures: 2 });
    assert.deepEqual(failTimes(recordSuccess(failTimes(closedBreaker, 2)), 2), { status: "closed", failures: 2 });
  });

  it("opens at the threshold and rejects until openMs has passed", () => {
    const open = failTimes(closedBreaker, 3, 1000);
    assert.deepEqual(open, { status: "open", openedAt: 1000 });
    assert.deepEqual(admit(open, 4000, options), { state: open, admitted: false, retryInMs: 7000 });
    assert.deepEqual(recordFailure(open, 5000, options), open, "late failures do not extend the pause");
  });

  it("lets one probe through when half-open; its success closes the circuit", () => {
    const open = failTimes(closedBreaker, 3, 0);
    const probe = admit(open, 10_000, options);
    assert.deepEqual(probe, { state: { status: "half-open", probesInFlight: 1 }, admitted: true, retryInMs: 0 });
    assert.equal(admit(probe.state, 10_001, options).admitted, false, "a second concurrent probe waits");
    assert.deepEqual(recordSuccess(probe.state), closedBreaker);
  });

  it("re-opens when the probe fails", () => {
    const probe = admit(failTimes(closedBreaker, 3, 0), 10_000, options);
    assert.deepEqual(recordFailure(probe.state, 10_500, options), { status: "open", openedAt: 10_500 });
  });

  it("frees the probe slot of an abandoned call", () => {
    const probe = admit(failTimes(closedBreaker, 3, 0), 10_000, options);
    const freed = recordAbandoned(probe.state);
    assert.deepEqual(freed, { status: "half-open", probesInFlight: 0 });
    assert.equal(admit(freed, 10_001, options).admitted, true);
    assert.deepEqual(recordAbandoned(closedBreaker), closedBreaker);
  });
});
