// The local fallback with a real Redis that dies, stalls and comes back mid-test.
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import type { LogFields, LogLevel } from "../../proxy/log/index.ts";
import {
  DEFAULT_INSTANCE_SHARE,
  type FailoverRateLimiterStore,
  instanceShare,
  sharePlan,
  withLocalFallback,
} from "../../proxy/stores/failover.ts";
import { merchantKey } from "../../proxy/stores/keys.ts";
import { createRedisStores, type RedisStores } from "../../proxy/stores/redis.ts";
import { type RunningRedis, startRedis } from "../helpers/redis-server.ts";

const plan = { ratePerSecond: 2, burst: 30 };
const now = 1_760_000_000_000;

describe("instance share", () => {
  it("is 1/MCF_INSTANCES, or 1/10 when unset or nonsense", () => {
    assert.equal(instanceShare(4), 1 / 4);
    assert.equal(instanceShare(1), 1);
    for (const bad of [undefined, 0, -3, 2.5, Number.NaN]) assert.equal(instanceShare(bad), DEFAULT_INSTANCE_SHARE);
  });
  it("scales rate and burst, keeping at least one token", () => {
    assert.deepEqual(sharePlan(plan, 1 / 4), { ratePerSecond: 0.5, burst: 7 });
    assert.deepEqual(sharePlan(plan, 1 / 10), { ratePerSecond: 0.2, burst: 3 });
    assert.deepEqual(sharePlan({ ratePerSecond: 30, burst: 2 }, 1 / 10), { ratePerSecond: 3, burst: 1 });
  });
});

describe("buckets fall back to this instance's share when Redis is unavailable", () => {
  let redis: RunningRedis;
  let stores: RedisStores;
  let clock: { now(): number; at: number };
  let logged: { level: LogLevel; message: string; fields?: LogFields }[];
  let buckets: FailoverRateLimiterStore;

  before(async () => {
    redis = await startRedis();
    stores = await createRedisStores(redis.url, { timeoutMs: 200, connectTimeoutMs: 2_000 });
  });
  after(async () => {
    redis?.resume();
    await stores?.close();
    await redis?.close();
  });
  beforeEach(async () => {
    if (!stores) return;
    clock = { at: 0, now: () => clock.at };
    logged = [];
    buckets = withLocalFallback(stores.buckets, {
      instances: 10,
      timeoutMs: 300,
      retryMs: 1_000,
      clock,
      log: (level, message, fields) => logged.push({ level, message, ...(fields ? { fields } : {}) }),
    });
  });

  const grantedOf = async (key: string, calls: number) => {
    let granted = 0;
    for (let call = 0; call < calls; call++) if ((await buckets.reserve(key, plan, now, 0)).granted) granted++;
    return granted;
  };

  it("killed: the local share (3 of 30) serves, one log line each way, and the shared bucket is used again", async () => {
    const key = merchantKey(`m-${crypto.randomUUID()}`, "bucket", "getFulfillmentPreview");
    assert.equal(await grantedOf(key, 10), 10);
    assert.equal(buckets.status().mode, "shared");

    await redis.kill();
    assert.equal(await grantedOf(key, 10), 3);
    assert.equal(buckets.status().mode, "local");
    assert.equal(buckets.status().share, 0.1);
    assert.match(buckets.status().error ?? "", /./);
    assert.equal(logged.length, 1);
    assert.equal(logged[0]?.level, "warn");

    await redis.restart();
    // Still local until the retry time has come, then the next call probes and returns to the (fresh) shared bucket.
    assert.equal((await buckets.reserve(key, plan, now, 0)).granted, false);
    assert.equal(buckets.status().mode, "local");
    clock.at += 1_000;
    let granted = 0;
    for (let attempt = 0; attempt < 50 && buckets.status().mode === "local"; attempt++) {
      if ((await buckets.reserve(key, plan, now, 0)).granted) granted++;
      clock.at += 1_000;
      if (buckets.status().mode === "local") await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(buckets.status().mode, "shared");
    assert.deepEqual(
      logged.map((line) => line.level),
      ["warn", "info"],
    );
    assert.equal(granted + (await grantedOf(key, 40)), 30);
  });

  it("stalled: a call that gets no answer within the timeout falls back, and so do drain and setRate", async () => {
    const key = merchantKey(`m-${crypto.randomUUID()}`, "bucket", "createFulfillmentOrder");
    assert.equal((await buckets.reserve(key, plan, now, 0)).granted, true);
    redis.pause();
    try {
      assert.equal((await buckets.reserve(key, plan, now, 0)).granted, true);
      assert.equal(buckets.status().mode, "local");
      await buckets.drain(key, plan, now);
      // Drained local share: the next token is 1 / 0.2 per second = 5 s away.
      assert.deepEqual(await buckets.reserve(key, plan, now, 0), { granted: false, waitMs: 5_000 });
      await buckets.setRate(key, plan, now, 10); // Amazon's 10/s becomes 1/s for this instance
      assert.deepEqual(await buckets.reserve(key, plan, now, 0), { granted: false, waitMs: 1_000 });
      assert.equal(logged.length, 1);
    } finally {
      redis.resume();
    }
  });
});
