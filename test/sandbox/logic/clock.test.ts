import assert from "node:assert/strict";
import { test } from "node:test";
import { advanceableClock, DEFAULT_MANUAL_START, manualClock, scaledClock } from "../../../sandbox/clock.ts";

test("manual clock moves only when told", () => {
  const clock = manualClock();
  assert.equal(clock.now(), DEFAULT_MANUAL_START);
  assert.equal(new Date(DEFAULT_MANUAL_START).getUTCDay(), 1, "starts on a Monday");
  clock.advance(1500);
  assert.equal(clock.now(), DEFAULT_MANUAL_START + 1500);
  clock.set(42);
  assert.equal(clock.now(), 42);
});

test("scaled clock runs `scale` times faster than its base from creation", () => {
  const base = manualClock(1000);
  const fast = scaledClock(120, base);
  assert.equal(fast.now(), 1000);
  base.advance(1000);
  assert.equal(fast.now(), 1000 + 120_000);
  assert.throws(() => scaledClock(0, base), /positive/);
  assert.throws(() => scaledClock(Number.NaN, base), /positive/);
});

test("advanceable clock adds a forward-only offset to any clock", () => {
  const base = manualClock(0);
  const clock = advanceableClock(base);
  clock.advance(500);
  base.advance(100);
  assert.equal(clock.now(), 600);
  assert.equal(clock.offset, 500);
  assert.throws(() => clock.advance(-1), /forward/);
  assert.throws(() => clock.advance(Number.POSITIVE_INFINITY), /forward/);
});
