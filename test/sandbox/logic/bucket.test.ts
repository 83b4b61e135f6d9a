import assert from "node:assert/strict";
import { test } from "node:test";
import { fullBucket, msUntilToken, refill, take } from "../../../sandbox/throttle/bucket.ts";
import { rateHeader, Throttle, USAGE_PLANS } from "../../../sandbox/throttle/index.ts";

const plan = { rate: 2, burst: 30 };

test("a full bucket allows exactly `burst` requests at one instant", () => {
  let bucket = fullBucket(plan, 0);
  let allowed = 0;
  for (let i = 0; i < 40; i++) {
    const r = take(bucket, plan, 0);
    bucket = r.bucket;
    if (r.allowed) allowed++;
  }
  assert.equal(allowed, 30);
  assert.equal(msUntilToken(bucket, plan), 500);
});

test("refill at the rate, capped at the burst, never backwards in time", () => {
  const empty = { tokens: 0, updatedAt: 1000 };
  assert.equal(refill(empty, plan, 1250).tokens, 0.5);
  assert.equal(refill(empty, plan, 1000 + 60_000).tokens, 30);
  assert.equal(refill(empty, plan, 500).tokens, 0, "a clock going backwards adds nothing");
  assert.equal(take(empty, plan, 1499).allowed, false);
  assert.equal(take(empty, plan, 1500).allowed, true);
  assert.equal(msUntilToken(fullBucket(plan, 0), plan), 0);
});

test("Throttle keys buckets by seller and operation; unknown operations are free", () => {
  const throttle = new Throttle({ op: { rate: 1, burst: 1 } });
  assert.equal(throttle.check("s1", "op", 0).allowed, true);
  assert.equal(throttle.check("s1", "op", 0).allowed, false);
  assert.equal(throttle.check("s2", "op", 0).allowed, true);
  assert.equal(throttle.check("s1", "other", 0).allowed, true);
  assert.equal(throttle.check("s1", "op", 1000).allowed, true);
  throttle.reset();
  assert.equal(throttle.check("s1", "op", 1000).allowed, true);
  const lenient = new Throttle({ op: { rate: 1, burst: 1 } }, false);
  for (let i = 0; i < 5; i++) assert.equal(lenient.check("s", "op", 0).allowed, true);
});

test("published plans: 2/30 for most operations, 5/30 for deliveryOffers; header text", () => {
  assert.deepEqual(USAGE_PLANS.getFulfillmentPreview, { rate: 2, burst: 30 });
  assert.deepEqual(USAGE_PLANS.createFulfillmentOrder, { rate: 2, burst: 30 });
  assert.deepEqual(USAGE_PLANS.deliveryOffers, { rate: 5, burst: 30 });
  assert.equal(rateHeader({ rate: 2, burst: 30 }), "2.0");
  assert.equal(rateHeader({ rate: 0.5, burst: 1 }), "0.5");
});
