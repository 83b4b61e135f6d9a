import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  createBucket,
  drain,
  ratePlanProblems,
  refill,
  reserve,
  withRate,
} from "../../../proxy/admission/token-bucket.ts";
import { RATE_PLANS_2020_07_01 } from "../../../proxy/dialects/sp-api-2020-07-01/index.ts";
import { OPERATIONS } from "../../../proxy/fulfillment/model.ts";
import { createMemoryRateLimiterStore } from "../../../proxy/stores/memory.ts";

const plan = { ratePerSecond: 2, burst: 30 };

describe("token bucket", () => {
  it("uses Amazon's usage plans: 2 req/s with a burst of 30 for every Fulfillment Outbound operation", () => {
    // The plans now come with the dialect (2020-07-01 here); admission reads them from `dialect.ratePlans`.
    assert.deepEqual(Object.keys(RATE_PLANS_2020_07_01).sort(), [...OPERATIONS].sort());
    for (const operation of OPERATIONS) {
      assert.deepEqual(RATE_PLANS_2020_07_01[operation], { ratePerSecond: 2, burst: 30 });
    }
  });

  it("starts full and serves the whole burst without waiting", () => {
    let state = createBucket(plan, 0);
    for (let i = 0; i < 30; i++) {
      const next = reserve(state, 0, 0);
      assert.deepEqual(next.reservation, { granted: true, waitMs: 0 });
      state = next.state;
    }
    assert.equal(state.tokens, 0);
    assert.deepEqual(reserve(state, 0, 0).reservation, { granted: false, waitMs: 500 });
  });

  it("reserves future tokens in arrival order: each extra caller waits one more interval", () => {
    let state = { ...createBucket(plan, 0), tokens: 0 };
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      const next = reserve(state, 0, 10_000);
      waits.push(next.reservation.waitMs);
      state = next.state;
    }
    assert.deepEqual(waits, [500, 1000, 1500, 2000]);
    assert.equal(state.tokens, -4);
  });

  it("refuses a reservation whose wait exceeds the bound and takes nothing", () => {
    const state = { ...createBucket(plan, 0), tokens: -1 };
    const refused = reserve(state, 0, 999);
    assert.deepEqual(refused.reservation, { granted: false, waitMs: 1000 });
    assert.equal(refused.state.tokens, -1);
    assert.equal(reserve(state, 0, 1000).reservation.granted, true);
  });

  it("can leave tokens for others: a background take must keep `keep` tokens", () => {
    const state = { ...createBucket(plan, 0), tokens: 10 };
    assert.deepEqual(reserve(state, 0, 0, 9).reservation, { granted: true, waitMs: 0 });
    assert.deepEqual(reserve(state, 0, 0, 10).reservation, { granted: false, waitMs: 500 });
    assert.equal(reserve(state, 0, 0, 10).state.tokens, 10, "a refused take leaves the bucket as it was");
  });

  it("refills at the rate and never beyond the burst", () => {
    const empty = { ...createBucket(plan, 0), tokens: 0 };
    assert.equal(refill(empty, 250).tokens, 0.5);
    assert.equal(refill(empty, 1000).tokens, 2);
    assert.equal(refill(empty, 60_000).tokens, 30);
    assert.equal(refill(empty, -5).tokens, 0, "a clock going backwards earns nothing");
  });

  it("adapts to the rate Amazon reports, keeping tokens earned at the old rate", () => {
    const empty = { ...createBucket(plan, 0), tokens: 0 };
    const slower = withRate(empty, 1000, 0.5);
    assert.equal(slower.tokens, 2);
    assert.equal(slower.ratePerSecond, 0.5);
    assert.equal(refill(slower, 3000).tokens, 3);
    assert.equal(reserve({ ...slower, tokens: 0 }, 1000, 10_000).reservation.waitMs, 2000);
    assert.equal(withRate(empty, 0, 0).ratePerSecond, 2, "a nonsense rate is ignored");
    assert.equal(withRate(empty, 0, Number.NaN).ratePerSecond, 2);
  });

  it("drains after Amazon's 429 but keeps queued debt", () => {
    assert.equal(drain(createBucket(plan, 0), 0).tokens, 0);
    assert.equal(drain({ ...createBucket(plan, 0), tokens: -3 }, 0).tokens, -3);
  });

  it("validates plans, naming the field", () => {
    assert.deepEqual(
      ratePlanProblems({ ratePerSecond: 0, burst: 1 }).map((problem) => problem.path),
      ["ratePerSecond"],
    );
    assert.deepEqual(
      ratePlanProblems({ ratePerSecond: 1, burst: 0.5 }).map((problem) => problem.path),
      ["burst"],
    );
    assert.deepEqual(ratePlanProblems(plan), []);
  });

  it("keeps one bucket per key in the memory store", async () => {
    const store = createMemoryRateLimiterStore();
    for (let i = 0; i < 30; i++) assert.equal((await store.reserve("a", plan, 0, 0)).granted, true);
    assert.equal((await store.reserve("a", plan, 0, 0)).granted, false);
    assert.equal((await store.reserve("b", plan, 0, 0)).granted, true, "another operation has its own bucket");
    await store.setRate("a", plan, 0, 10);
    assert.deepEqual(await store.reserve("a", plan, 0, 1000), { granted: true, waitMs: 100 });
    await store.drain("b", plan, 0);
    assert.deepEqual(await store.reserve("b", plan, 0, 0), { granted: false, waitMs: 500 });
    assert.deepEqual(await store.reserve("c", plan, 0, 0, 29), { granted: true, waitMs: 0 }, "leaves 29");
    assert.deepEqual(await store.reserve("c", plan, 0, 0, 29), { granted: false, waitMs: 500 }, "would leave 28");
  });
});
