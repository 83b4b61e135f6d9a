import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createClient } from "redis";
import { merchantKey } from "../../proxy/stores/keys.ts";
import { createRedisStores, type RedisStores } from "../../proxy/stores/redis.ts";
import { type RunningRedis, startRedis } from "../helpers/redis-server.ts";
import { runStoreContract } from "./contract.ts";

runStoreContract("redis", async () => {
  const redis = await startRedis();
  const stores = await createRedisStores(redis.url);
  return {
    stores,
    close: async () => {
      await stores.close();
      await redis.close();
    },
  };
});

describe("Redis keys", () => {
  let redis: RunningRedis;
  let stores: RedisStores;
  before(async () => {
    redis = await startRedis();
    stores = await createRedisStores(redis.url);
  });
  after(async () => {
    await stores?.close();
    await redis?.close();
  });

  it("every key the stores write carries its kind, version and merchant, and a TTL", async () => {
    const key = (part: string) => merchantKey("shop-1", part);
    const plan = { ratePerSecond: 2, burst: 30 };
    await stores.previews.set(key("p"), { a: 1 }, 60_000);
    await stores.answers.putIfAbsent(key("a"), "x", 5_000);
    await stores.idempotency.set(key("i"), { state: "in-flight" }, 120_000);
    await stores.idempotency.compareAndSet(key("i"), { state: "in-flight" }, { state: "done" }, 86_400_000);
    await stores.quotes.set(key("q"), true, 900_000);
    await stores.tokens.set(key("t"), "token", 3_600_000);
    await stores.buckets.reserve(key("bucket"), plan, 1_000, 0);
    await stores.buckets.setRate(merchantKey("shop-1", "bucket", "rated"), plan, 1_000, 5);
    await stores.buckets.drain(merchantKey("shop-1", "bucket", "drained"), plan, 1_000);

    const client = createClient({ url: redis.url });
    await client.connect();
    try {
      const keys = (await client.keys("*")).sort();
      assert.deepEqual(keys, [
        "mcf:answers:v1:shop-1:a",
        "mcf:buckets:v1:shop-1:bucket",
        "mcf:buckets:v1:shop-1:bucket:drained",
        "mcf:buckets:v1:shop-1:bucket:rated",
        "mcf:idempotency:v1:shop-1:i",
        "mcf:previews:v1:shop-1:p",
        "mcf:quotes:v1:shop-1:q",
        "mcf:tokens:v1:shop-1:t",
      ]);
      for (const name of keys) {
        const ttl = await client.pTTL(name);
        assert.ok(ttl > 0, `${name} has no TTL (${ttl})`);
      }
      // A drained bucket lives until it would have refilled (30 tokens at 2/s) plus the idle margin.
      const drained = await client.pTTL("mcf:buckets:v1:shop-1:bucket:drained");
      assert.ok(drained > 60_000 && drained <= 75_000, String(drained));
    } finally {
      await client.close();
    }
  });
});
