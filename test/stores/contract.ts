// The store contract: every engine (memory, Redis, Durable Objects, Deno KV) must pass exactly these tests. Buckets
// are checked against the pure token-bucket math call by call; time for buckets is passed in, so only TTL expiry
// waits for real (and asserts nothing but "gone after ttl + margin").
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { seededRandom } from "../../bench/lib/stats.ts";
import { type RankedBucket, reserveFor, want } from "../../proxy/admission/demand-board.ts";
import { type BucketState, createBucket, drain, reserve, withRate } from "../../proxy/admission/token-bucket.ts";
import type { RatePlan } from "../../proxy/fulfillment/model.ts";
import { KEY_VALUE_KINDS } from "../../proxy/stores/bundle.ts";
import { merchantKey } from "../../proxy/stores/keys.ts";
import type { KeyValueStore, RateLimiterStore, Stores } from "../../proxy/stores/types.ts";

export interface StoresUnderTest {
  stores: Stores;
  close?(): Promise<void>;
}

const KINDS = KEY_VALUE_KINDS;
const TTL_MS = 200;
const EXPIRY_MARGIN_MS = 600;
const PARALLEL = 24;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A merchant no earlier run used, so engines that outlive the test (a shared Redis) start clean. */
const freshMerchant = (label: string) => `${label}-${crypto.randomUUID()}`;

export function runStoreContract(engine: string, open: () => Promise<StoresUnderTest>): void {
  describe(`store contract: ${engine}`, () => {
    let opened: StoresUnderTest;
    let stores: Stores;
    before(async () => {
      opened = await open();
      stores = opened.stores;
    });
    after(async () => {
      await opened?.close?.();
    });

    it("names its engine", () => {
      assert.equal(stores.engine, engine);
    });

    for (const kind of KINDS) {
      describe(`${kind}`, () => {
        const store = () => stores[kind] as KeyValueStore;

        it("gets what was set, as JSON, and nothing for a key never set", async () => {
          const key = merchantKey(freshMerchant("m"), "entry", "with:colons");
          const value = { amount: "12.30", list: [1, 2, { deep: true }], text: "ü ✓", none: null };
          assert.equal(await store().get(key), undefined);
          await store().set(key, value, 60_000);
          assert.deepEqual(await store().get(key), value);
          await store().set(key, "replaced", 60_000);
          assert.equal(await store().get(key), "replaced");
        });

        it("deletes", async () => {
          const key = merchantKey(freshMerchant("m"), "gone");
          await store().set(key, 1, 60_000);
          await store().delete(key);
          assert.equal(await store().get(key), undefined);
          await store().delete(key); // deleting a missing key is fine
        });

        it("forgets a value after its TTL", async () => {
          const key = merchantKey(freshMerchant("m"), "short");
          const kept = merchantKey(freshMerchant("m"), "long");
          await store().set(key, "soon gone", TTL_MS);
          await store().set(kept, "still here", 60_000);
          await sleep(TTL_MS + EXPIRY_MARGIN_MS);
          assert.equal(await store().get(key), undefined);
          assert.equal(await store().get(kept), "still here");
          // An expired key is absent for putIfAbsent too.
          assert.equal(await store().putIfAbsent(key, "again", 60_000), undefined);
          assert.equal(await store().get(key), "again");
        });

        it("putIfAbsent stores once and hands later callers the stored value", async () => {
          const key = merchantKey(freshMerchant("m"), "once");
          assert.equal(await store().putIfAbsent(key, { by: "first" }, 60_000), undefined);
          assert.deepEqual(await store().putIfAbsent(key, { by: "second" }, 60_000), { by: "first" });
          assert.deepEqual(await store().get(key), { by: "first" });
        });

        it(`putIfAbsent from ${PARALLEL} parallel callers stores exactly one`, async () => {
          const key = merchantKey(freshMerchant("m"), "race");
          const results = await Promise.all(
            Array.from({ length: PARALLEL }, (_, caller) => store().putIfAbsent(key, { caller }, 60_000)),
          );
          const winners = results.flatMap((result, caller) => (result === undefined ? [caller] : []));
          assert.equal(winners.length, 1, `winners: ${winners}`);
          const stored = await store().get<{ caller: number }>(key);
          assert.deepEqual(stored, { caller: winners[0] });
          for (const result of results) if (result !== undefined) assert.deepEqual(result, stored);
        });

        it("compareAndSet replaces only the expected value, never a missing one", async () => {
          const key = merchantKey(freshMerchant("m"), "cas");
          assert.equal(await store().compareAndSet(key, { state: "a" }, { state: "b" }, 60_000), false);
          assert.equal(await store().get(key), undefined);
          await store().set(key, { state: "in-flight", at: 1 }, 60_000);
          assert.equal(await store().compareAndSet(key, { state: "other" }, { state: "b" }, 60_000), false);
          assert.deepEqual(await store().get(key), { state: "in-flight", at: 1 });
          const read = await store().get(key);
          assert.equal(await store().compareAndSet(key, read, { state: "done", status: 201 }, 60_000), true);
          assert.deepEqual(await store().get(key), { state: "done", status: 201 });
        });

        it("compareAndSet renews the TTL it is given", async () => {
          const key = merchantKey(freshMerchant("m"), "cas-ttl");
          await store().set(key, "first", 60_000);
          assert.equal(await store().compareAndSet(key, "first", "short-lived", TTL_MS), true);
          await sleep(TTL_MS + EXPIRY_MARGIN_MS);
          assert.equal(await store().get(key), undefined);
        });

        it(`compareAndSet from ${PARALLEL} parallel callers with one expected value: exactly one wins`, async () => {
          const key = merchantKey(freshMerchant("m"), "cas-race");
          await store().set(key, { version: 0 }, 60_000);
          const results = await Promise.all(
            Array.from({ length: PARALLEL }, (_, caller) =>
              store().compareAndSet(key, { version: 0 }, { version: 1, caller }, 60_000),
            ),
          );
          const winners = results.flatMap((won, caller) => (won ? [caller] : []));
          assert.equal(winners.length, 1, `winners: ${winners}`);
          assert.deepEqual(await store().get(key), { version: 1, caller: winners[0] });
        });

        it("compareAndSet loops from parallel callers lose no update", async () => {
          const key = merchantKey(freshMerchant("m"), "counter");
          await store().set(key, { count: 0 }, 60_000);
          const increment = async () => {
            for (;;) {
              const current = (await store().get<{ count: number }>(key))!;
              if (await store().compareAndSet(key, current, { count: current.count + 1 }, 60_000)) return;
            }
          };
          await Promise.all(Array.from({ length: 8 }, increment));
          assert.deepEqual(await store().get(key), { count: 8 });
        });

        it("keeps two merchants' entries apart", async () => {
          const a = freshMerchant("a");
          const b = freshMerchant("b");
          await store().set(merchantKey(a, "same"), "for a", 60_000);
          await store().set(merchantKey(b, "same"), "for b", 60_000);
          assert.equal(await store().get(merchantKey(a, "same")), "for a");
          assert.equal(await store().get(merchantKey(b, "same")), "for b");
          await store().delete(merchantKey(a, "same"));
          assert.equal(await store().get(merchantKey(b, "same")), "for b");
          assert.equal(await store().putIfAbsent(merchantKey(a, "same"), "a again", 60_000), undefined);
        });
      });
    }

    it("keeps the kinds apart: one key in two stores is two entries", async () => {
      const key = merchantKey(freshMerchant("m"), "shared-name");
      await Promise.all(KINDS.map((kind) => stores[kind].set(key, kind, 60_000)));
      for (const kind of KINDS) assert.equal(await stores[kind].get(key), kind);
    });

    describe("buckets", () => {
      const plan: RatePlan = { ratePerSecond: 2, burst: 30 };
      const start = 1_760_000_000_000;

      it("answers every reserve, setRate and drain exactly as the token-bucket math does", async () => {
        const key = merchantKey(freshMerchant("m"), "bucket", "getFulfillmentPreview");
        const random = seededRandom(12);
        let model: BucketState = createBucket(plan, start);
        let now = start;
        for (let step = 0; step < 300; step++) {
          now += Math.floor(random() * 700);
          const roll = random();
          if (roll < 0.05) {
            const rate = [0.5, 1, 2, 5, 7.3][Math.floor(random() * 5)]!;
            await stores.buckets.setRate(key, plan, now, rate);
            model = withRate(model, now, rate);
          } else if (roll < 0.09) {
            await stores.buckets.drain(key, plan, now);
            model = drain(model, now);
          } else {
            const maxWaitMs = [0, 250, 1_000, 5_000][Math.floor(random() * 4)]!;
            const keep = random() < 0.2 ? 5 : 0;
            const expected = reserve(model, now, maxWaitMs, keep);
            model = expected.state;
            const actual = await stores.buckets.reserve(key, plan, now, maxWaitMs, keep);
            assert.deepEqual(actual, expected.reservation, `step ${step} at +${now - start} ms`);
          }
        }
      });

      it("starts a bucket full from its plan, and a refused reserve takes nothing", async () => {
        const key = merchantKey(freshMerchant("m"), "bucket", "createFulfillmentOrder");
        const small: RatePlan = { ratePerSecond: 1, burst: 2 };
        assert.deepEqual(await stores.buckets.reserve(key, small, start, 0), { granted: true, waitMs: 0 });
        assert.deepEqual(await stores.buckets.reserve(key, small, start, 0), { granted: true, waitMs: 0 });
        assert.deepEqual(await stores.buckets.reserve(key, small, start, 0), { granted: false, waitMs: 1_000 });
        assert.deepEqual(await stores.buckets.reserve(key, small, start, 0), { granted: false, waitMs: 1_000 });
        assert.deepEqual(await stores.buckets.reserve(key, small, start, 1_000), { granted: true, waitMs: 1_000 });
        assert.deepEqual(await stores.buckets.reserve(key, small, start + 2_000, 0), { granted: true, waitMs: 0 });
      });

      it(`${PARALLEL} parallel reserves never grant more than the burst`, async () => {
        const key = merchantKey(freshMerchant("m"), "bucket", "race");
        const small: RatePlan = { ratePerSecond: 1, burst: 5 };
        const results = await Promise.all(
          Array.from({ length: PARALLEL }, () => stores.buckets.reserve(key, small, start, 0)),
        );
        assert.equal(results.filter((result) => result.granted).length, 5);
        // Waiting callers are queued in order: each one's wait is one token later than the previous one's.
        const queued = await Promise.all(
          Array.from({ length: 4 }, () => stores.buckets.reserve(key, small, start, 10_000)),
        );
        assert.deepEqual(
          queued.map((result) => result.waitMs).sort((x, y) => x - y),
          [1_000, 2_000, 3_000, 4_000],
        );
      });

      it("setRate changes how fast tokens come back", async () => {
        const key = merchantKey(freshMerchant("m"), "bucket", "rate");
        const small: RatePlan = { ratePerSecond: 1, burst: 1 };
        assert.equal((await stores.buckets.reserve(key, small, start, 0)).granted, true);
        await stores.buckets.setRate(key, small, start, 4);
        assert.deepEqual(await stores.buckets.reserve(key, small, start, 0), { granted: false, waitMs: 250 });
        assert.deepEqual(await stores.buckets.reserve(key, small, start + 250, 0), { granted: true, waitMs: 0 });
        // A rate that makes no sense is ignored.
        await stores.buckets.setRate(key, small, start + 250, 0);
        assert.deepEqual(await stores.buckets.reserve(key, small, start + 250, 0), { granted: false, waitMs: 250 });
      });

      it("drain empties the bucket, leaving earlier reservations in place", async () => {
        const key = merchantKey(freshMerchant("m"), "bucket", "drain");
        const small: RatePlan = { ratePerSecond: 2, burst: 10 };
        await stores.buckets.drain(key, small, start);
        assert.deepEqual(await stores.buckets.reserve(key, small, start, 0), { granted: false, waitMs: 500 });
        assert.deepEqual(await stores.buckets.reserve(key, small, start, 500), { granted: true, waitMs: 500 });
        await stores.buckets.drain(key, small, start); // tokens are below zero: drain keeps the queue
        assert.deepEqual(await stores.buckets.reserve(key, small, start, 5_000), { granted: true, waitMs: 1_000 });
      });

      it("ranks waiting items (want, reserveFor) exactly as the demand-board math does, between plain reserves", async () => {
        const buckets = stores.buckets as Required<RateLimiterStore>;
        assert.ok(stores.buckets.want && stores.buckets.reserveFor, "the engine keeps a fleet-wide demand queue");
        const key = merchantKey(freshMerchant("m"), "bucket", "getFulfillmentPreview");
        const small: RatePlan = { ratePerSecond: 2, burst: 4 };
        const items = ["preview:a", "preview:b", "preview:c", "preview:d", "preview:e"];
        const random = seededRandom(34);
        let model: RankedBucket = createBucket(small, start);
        let now = start;
        for (let step = 0; step < 300; step++) {
          now += Math.floor(random() * 300);
          const item = items[Math.floor(random() * items.length)]!;
          const roll = random();
          if (roll < 0.45) {
            const change = random() < 0.7 ? 1 : -1;
            const deadline = now + Math.floor(random() * 2_000);
            await buckets.want(key, small, item, change, now, deadline);
            model = want(model, item, change, now, deadline);
          } else if (roll < 0.9) {
            const keep = random() < 0.2 ? 1 : 0;
            const expected = reserveFor(model, item, now, keep);
            model = expected.state;
            const actual = await buckets.reserveFor(key, small, item, now, keep);
            assert.deepEqual(actual, expected.reservation, `step ${step} at +${now - start} ms`);
          } else {
            const expected = reserve(model, now, 0);
            model = expected.state;
            assert.deepEqual(await stores.buckets.reserve(key, small, now, 0), expected.reservation, `step ${step}`);
          }
        }
      });

      it("gives the last token to the most wanted item, however the parallel callers arrive", async () => {
        const buckets = stores.buckets as Required<RateLimiterStore>;
        assert.ok(stores.buckets.want && stores.buckets.reserveFor);
        const key = merchantKey(freshMerchant("m"), "bucket", "getFulfillmentPreview");
        const one: RatePlan = { ratePerSecond: 1, burst: 1 };
        const items = Array.from({ length: 6 }, (_, index) => `preview:${index}`);
        for (const [index, item] of items.entries()) {
          for (let shopper = 0; shopper <= index; shopper++) {
            await buckets.want(key, one, item, 1, start, start + 2_000);
          }
        }
        const answers = await Promise.all(items.map((item) => buckets.reserveFor(key, one, item, start + 10)));
        assert.deepEqual(
          answers.map((answer) => answer.granted),
          [false, false, false, false, false, true],
        );
        // Next in line is the one with five shoppers: its turn is one token away, the one-shopper item's five.
        assert.deepEqual(answers[4], { granted: false, waitMs: 1_000, deadline: start + 2_000 });
        assert.deepEqual(answers[0], { granted: false, waitMs: 5_000, deadline: start + 2_000 });
      });

      it("keeps two merchants' buckets apart", async () => {
        const small: RatePlan = { ratePerSecond: 1, burst: 1 };
        const a = merchantKey(freshMerchant("a"), "bucket", "getFulfillmentPreview");
        const b = merchantKey(freshMerchant("b"), "bucket", "getFulfillmentPreview");
        assert.equal((await stores.buckets.reserve(a, small, start, 0)).granted, true);
        assert.equal((await stores.buckets.reserve(a, small, start, 0)).granted, false);
        assert.equal((await stores.buckets.reserve(b, small, start, 0)).granted, true);
        await stores.buckets.drain(b, small, start + 5_000);
        assert.equal((await stores.buckets.reserve(a, small, start + 5_000, 0)).granted, true);
      });
    });
  });
}
