// MCF_STORE=rediss://: the Redis stores over TLS to a real redis-server listening only on TLS, with a certificate
// made for the run; an untrusted certificate is refused, not silently accepted.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { merchantKey } from "../../proxy/stores/keys.ts";
import { createRedisStores } from "../../proxy/stores/redis.ts";
import { type RunningRedis, startRedis } from "../helpers/redis-server.ts";

describe("Redis stores over TLS (rediss://)", () => {
  let redis: RunningRedis;
  before(async () => {
    redis = await startRedis({ tls: true });
  });
  after(async () => {
    await redis?.close();
  });

  it("stores and reserves atomically over TLS when the server's certificate is trusted", async () => {
    assert.match(redis.url, /^rediss:\/\//);
    const stores = await createRedisStores(redis.url, { ...(redis.ca ? { ca: redis.ca } : {}) });
    try {
      const key = merchantKey("shop", "idempotency", crypto.randomUUID());
      const racers = await Promise.all([1, 2, 3].map((n) => stores.idempotency.putIfAbsent(key, n, 10_000)));
      assert.equal(racers.filter((result) => result === undefined).length, 1);
      const plan = { ratePerSecond: 1, burst: 1 };
      const bucket = merchantKey("shop", "bucket", crypto.randomUUID());
      assert.deepEqual(await stores.buckets.reserve(bucket, plan, 0, 0), { granted: true, waitMs: 0 });
      assert.deepEqual(await stores.buckets.reserve(bucket, plan, 0, 0), { granted: false, waitMs: 1_000 });
    } finally {
      await stores.close();
    }
  });

  it("refuses a certificate nobody vouches for: calls fail instead of talking to an unverified server", async () => {
    const changes: boolean[] = [];
    const stores = await createRedisStores(redis.url, {
      connectTimeoutMs: 1_000,
      onConnectionChange: (connected) => changes.push(connected),
    });
    try {
      await assert.rejects(stores.tokens.get(merchantKey("shop", "token")));
      assert.equal(changes.includes(true), false);
    } finally {
      await stores.close();
    }
  });
});
