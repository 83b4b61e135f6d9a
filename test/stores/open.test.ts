import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { merchantKey } from "../../proxy/stores/keys.ts";
import { openStores, parseStoreUrl } from "../../proxy/stores/open.ts";
import { type RunningRedis, startRedis } from "../helpers/redis-server.ts";
import { freePort } from "../runtimes/harness.ts";

const quiet = { log: () => {} };

describe("MCF_STORE", () => {
  it("picks memory, redis or deno-kv, and names itself when it is anything else", () => {
    assert.deepEqual(parseStoreUrl(undefined), { engine: "memory" });
    assert.deepEqual(parseStoreUrl(" memory "), { engine: "memory" });
    assert.deepEqual(parseStoreUrl("redis://10.0.0.5:6379/2"), { engine: "redis", url: "redis://10.0.0.5:6379/2" });
    assert.deepEqual(parseStoreUrl("rediss://u:p@cache.example:6380"), {
      engine: "redis",
      url: "rediss://u:p@cache.example:6380",
    });
    assert.deepEqual(parseStoreUrl("deno-kv"), { engine: "deno-kv" });
    assert.deepEqual(parseStoreUrl("deno-kv:/var/kv.sqlite3"), { engine: "deno-kv", path: "/var/kv.sqlite3" });
    for (const bad of ["http://cache:6379", "redis://", "memcached://x", "kv"]) {
      assert.throws(() => parseStoreUrl(bad), /MCF_STORE/);
    }
  });

  it("deno-kv outside Deno is refused at start", async () => {
    await assert.rejects(openStores({ url: "deno-kv" }, quiet), /MCF_STORE=deno-kv needs Deno/);
  });

  it("memory: this process's stores, nothing to fail over", async () => {
    const opened = await openStores({}, quiet);
    assert.equal(opened.stores.engine, "memory");
    assert.deepEqual(opened.health(), { engine: "memory" });
    await opened.close();
  });

  it("a Redis that is down at start: the proxy starts, buckets use the local share, close returns", async () => {
    const logged: string[] = [];
    const port = await freePort(); // nothing listens there
    const opened = await openStores(
      { url: `redis://127.0.0.1:${port}/0`, instances: 2 },
      { log: (level, message) => logged.push(`${level} ${message}`) },
    );
    try {
      const key = merchantKey("shop", "bucket", "getFulfillmentPreview");
      const plan = { ratePerSecond: 2, burst: 30 };
      const granted = [];
      for (let call = 0; call < 20; call++)
        granted.push((await opened.stores.buckets.reserve(key, plan, 0, 0)).granted);
      assert.equal(granted.filter(Boolean).length, 15); // half of the burst: this instance's share of two
      assert.equal(opened.health().buckets?.mode, "local");
      assert.equal(logged.filter((line) => line.includes("buckets use this instance's share")).length, 1);
      await assert.rejects(opened.stores.idempotency.putIfAbsent(merchantKey("shop", "k"), 1, 1_000));
    } finally {
      await opened.close();
    }
  });

  describe("redis", () => {
    let redis: RunningRedis;
    before(async () => {
      redis = await startRedis();
    });
    after(async () => {
      await redis?.close();
    });

    it("two instances opened on one URL share entries and one bucket; health shows the fallback state", async () => {
      const one = await openStores({ url: redis.url, instances: 4 }, quiet);
      const two = await openStores({ url: redis.url, instances: 4 }, quiet);
      try {
        assert.equal(one.stores.engine, "redis");
        assert.deepEqual(
          { ...one.health(), buckets: { ...one.health().buckets, since: 0 } },
          { engine: "redis", buckets: { mode: "shared", since: 0, share: 0.25 } },
        );
        const key = merchantKey("shop", "idempotency", crypto.randomUUID());
        assert.equal(await one.stores.idempotency.putIfAbsent(key, "one", 60_000), undefined);
        assert.equal(await two.stores.idempotency.putIfAbsent(key, "two", 60_000), "one");
        const bucket = merchantKey("shop", "bucket", crypto.randomUUID());
        const plan = { ratePerSecond: 1, burst: 3 };
        const granted = await Promise.all(
          [one, two, one, two, one, two].map(
            async (instance) => (await instance.stores.buckets.reserve(bucket, plan, 0, 0)).granted,
          ),
        );
        assert.equal(granted.filter(Boolean).length, 3);
      } finally {
        await one.close();
        await two.close();
      }
    });
  });
});
