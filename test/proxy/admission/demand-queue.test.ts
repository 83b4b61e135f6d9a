import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createDemandQueue, mostWanted } from "../../../proxy/admission/demand-queue.ts";
import type { RateLimiterStore } from "../../../proxy/stores/types.ts";
import { admission, cart, ok, previewResult, skuOf, virtualTime } from "./fakes.ts";

describe("mostWanted", () => {
  it("picks the key with the most waiting callers, the earliest among equals", () => {
    const tracked = new Map([
      ["a", { demand: 1, since: 10 }],
      ["b", { demand: 3, since: 30 }],
      ["c", { demand: 3, since: 20 }],
    ]);
    assert.equal(mostWanted(["a", "b", "c"], tracked), "c");
    assert.equal(mostWanted(["a", "b"], tracked), "b");
    assert.equal(mostWanted(["a"], tracked), "a");
    assert.equal(mostWanted([], tracked), undefined);
  });
});

describe("createDemandQueue", () => {
  const setup = () => {
    const time = virtualTime();
    const queue = createDemandQueue({
      clock: time.clock,
      sleep: time.sleep,
      tokenIntervalMs: () => 500,
      expired: (key) => new Error(`${key} expired`),
    });
    const woken: string[] = [];
    const wait = (key: string, retryInMs: number) =>
      queue.wait(key, retryInMs).then(
        () => void woken.push(key),
        (error: Error) => void woken.push(error.message),
      );
    return { time, queue, woken, wait, start: time.clock.now() };
  };

  it("wakes the most wanted waiter when the token is due, the next one a token later", async () => {
    const { time, queue, woken, wait, start } = setup();
    for (const key of ["lonely", "popular"]) queue.track(key, start + 2_000);
    queue.join("popular", start + 2_000);
    queue.join("popular", start + 2_000);
    queue.join("untracked", start + 2_000); // no effect
    void wait("lonely", 300);
    void wait("popular", 300);
    assert.equal(queue.size, 2);
    assert.ok(queue.isWaiting("lonely"));
    await time.advance(299);
    assert.deepEqual(woken, []);
    await time.advance(1);
    assert.deepEqual(woken, ["popular"], "the token goes to the request three shoppers wait for");
    assert.equal(queue.isWaiting("popular"), false);
    await time.advance(499);
    assert.deepEqual(woken, ["popular"]);
    await time.advance(1);
    assert.deepEqual(woken, ["popular", "lonely"]);
    assert.equal(queue.size, 0);
  });

  it("a waiter whose deadline passes first is rejected; a caller who joins later extends the deadline", async () => {
    const { time, queue, woken, wait, start } = setup();
    queue.track("a", start + 200);
    queue.track("b", start + 300);
    queue.join("b", start + 1_000);
    assert.equal(queue.deadlineOf("b"), start + 1_000);
    void wait("b", 400);
    void wait("a", 400);
    await time.advance(200);
    assert.deepEqual(woken, ["a expired"]);
    await time.advance(150);
    assert.deepEqual(woken, ["a expired"], "b is kept past its first caller's bound");
    await time.advance(50);
    assert.deepEqual(woken, ["a expired", "b"]);
    queue.untrack("a");
    queue.untrack("b");
    assert.equal(queue.deadlineOf("b"), Number.NEGATIVE_INFINITY);
  });
});

/** One token now, then one every 500 ms; shoppers wait at most 700 ms, then get the fallback table. */
function shortBudget() {
  const { time, events, dialect, pipeline } = admission(async () => ok(previewResult()), {
    ratePlans: { preview: { ratePerSecond: 2, burst: 1 } },
    burstHeadroom: 0,
    policies: { preview: { maxWaitMs: 700 } },
    fallbackRates: [{ speed: "Standard", amount: "6.50", currency: "USD", shipDays: 1, arrivalDays: 5 }],
  });
  return { time, events, dialect, pipeline };
}

describe("the preview pipeline's demand queue under a short budget", () => {
  it("gives the next token to the cart most shoppers wait for, and degrades the rest at the wait bound", async () => {
    const { time, events, dialect, pipeline } = shortBudget();
    const outcomes: Record<string, string[]> = {};
    const ask = (sku: string) =>
      pipeline.preview(cart(sku)).then((outcome) => {
        outcomes[sku] = [...(outcomes[sku] ?? []), outcome.source];
      });

    const first = ask("FIRST"); // takes the only token
    await time.advance(0);
    const rare = ask("RARE"); // waits 500 ms for the next token
    await time.advance(10);
    const popular = [ask("POPULAR"), ask("POPULAR"), ask("POPULAR")]; // arrive later, but three of them
    await time.advance(0);
    assert.equal(dialect.calls.length, 1);
    await time.advance(500);
    assert.deepEqual(
      dialect.calls.map((call) => skuOf(call.args)),
      ["FIRST", "POPULAR"],
    );
    await time.advance(500);
    await Promise.all([first, rare, ...popular]);
    assert.deepEqual(outcomes.POPULAR, ["live", "live", "live"], "one call answered all three");
    assert.deepEqual(outcomes.RARE, ["fallback"], "the lonely cart waited its 700 ms bound, then degraded");
    assert.equal(dialect.calls.length, 2, "no token was spent past the bound");
    assert.ok(events.some((event) => event.type === "queued"));
    assert.deepEqual(
      events.flatMap((event) => (event.type === "rejected" ? [event.stage] : [])).sort(),
      ["bound", "expired"],
      "the shopper left at its bound, and its queued call expired",
    );
  });

  it("each shopper waits up to its own bound; a later shopper keeps the queued call alive and gets it", async () => {
    const { time, dialect, pipeline } = shortBudget();
    const sources: string[] = [];
    const ask = (sku: string, label: string) =>
      pipeline.preview(cart(sku)).then((outcome) => void sources.push(`${label}:${outcome.source}`));
    const asks = [ask("FIRST", "first")];
    await time.advance(0);
    asks.push(ask("A", "a1"), ask("B", "b1"), ask("B", "b2"));
    await time.advance(600); // B (two shoppers) got the token at 500; A waits for the one at 1000
    asks.push(ask("A", "a2"));
    await time.advance(100);
    assert.deepEqual(sources.sort(), ["a1:fallback", "b1:live", "b2:live", "first:live"]);
    await time.advance(300);
    await Promise.all(asks);
    assert.ok(sources.includes("a2:live"), "the call a1 started answered a2");
    assert.deepEqual(
      dialect.calls.map((call) => skuOf(call.args)),
      ["FIRST", "B", "A"],
    );
  });

  it("a newcomer queues behind waiting shoppers instead of taking the token their turn is for", async () => {
    const time = virtualTime();
    // A limiter whose tokens the test hands out (as a shared store might free one early).
    let tokens = 0;
    const buckets: RateLimiterStore = {
      reserve: async () => {
        if (tokens === 0) return { granted: false, waitMs: 500 };
        tokens--;
        return { granted: true, waitMs: 0 };
      },
      setRate: async () => {},
      drain: async () => {},
    };
    const { dialect, pipeline } = admission(
      async () => ok(previewResult()),
      { policies: { preview: { maxWaitMs: 2_000 } } },
      { time, buckets },
    );
    const asks = [pipeline.preview(cart("B")), pipeline.preview(cart("B"))];
    await time.advance(100);
    tokens = 1; // free before B's turn comes round
    asks.push(pipeline.preview(cart("C")));
    await time.advance(400);
    assert.deepEqual(
      dialect.calls.map((call) => skuOf(call.args)),
      ["B"],
      "the token went to the waiting shoppers, not the newcomer",
    );
    tokens = 1;
    await time.advance(1_000);
    await Promise.all(asks);
    assert.deepEqual(
      dialect.calls.map((call) => skuOf(call.args)),
      ["B", "C"],
    );
  });
});
