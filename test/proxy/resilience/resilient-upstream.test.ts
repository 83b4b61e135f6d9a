import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  type FallbackRate,
  RESILIENCE_ERROR_CODES,
  type ResilienceEvent,
  type ResilienceOptions,
  withResilience,
} from "../../../proxy/resilience/index.ts";
import { createBucket, reserve } from "../../../proxy/resilience/token-bucket.ts";
import { UpstreamError, type UpstreamOperation } from "../../../proxy/upstream/types.ts";
import { fakeUpstream, type Handler, ok, previewRequest, previewResult, seededRandom, virtualTime } from "./fakes.ts";

const order = {
  marketplaceId: "ATVPDKIKX0DER",
  sellerFulfillmentOrderId: "mcf-1",
  displayableOrderId: "1",
  displayableOrderDate: "2026-11-18T12:00:00Z",
  displayableOrderComment: "Thanks",
  shippingSpeedCategory: "Standard" as const,
  destinationAddress: { name: "n", addressLine1: "l", countryCode: "US", postalCode: "98101" },
  items: [{ sellerSku: "MUG-01", sellerFulfillmentOrderItemId: "1", quantity: 1 }],
};

const amazonError = (status: number, extra: { rateLimitPerSecond?: number; retryable?: boolean } = {}) =>
  new UpstreamError({ operation: "getFulfillmentPreview", status, message: `HTTP ${status}`, ...extra });

function setup(handler: Handler, options: ResilienceOptions = {}) {
  const time = virtualTime();
  const events: ResilienceEvent[] = [];
  const upstream = fakeUpstream(handler);
  const resilient = withResilience(upstream, {
    clock: time.clock,
    sleep: time.sleep,
    random: seededRandom(1),
    onEvent: (event) => events.push(event),
    ...options,
  });
  return { time, events, upstream, resilient };
}

describe("withResilience", () => {
  it("passes answers through and keeps the upstream's dialect", async () => {
    const { resilient, time } = setup(async () => ok(previewResult(), { amznRequestId: "r1" }));
    const answer = await time.settle(resilient.getFulfillmentPreview(previewRequest()));
    assert.equal(answer.meta.amznRequestId, "r1");
    assert.equal(resilient.dialect, "fake");
    assert.equal(withResilience(resilient), resilient, "wrapping twice would double-throttle");
  });

  for (const failure of [
    { name: "429", error: () => amazonError(429) },
    { name: "503", error: () => amazonError(503) },
    { name: "a network error", error: () => new TypeError("fetch failed") },
  ]) {
    it(`retries ${failure.name} with jittered exponential backoff`, async () => {
      let attempts = 0;
      const { resilient, time, events } = setup(async () => {
        attempts++;
        if (attempts <= 2) throw failure.error();
        return ok(null);
      });
      const started = time.clock.now();
      await time.settle(resilient.createFulfillmentOrder(order));
      assert.equal(attempts, 3);
      const retries = events.filter((e) => e.type === "retry");
      assert.equal(retries.length, 2);
      const [first, second] = retries as Extract<ResilienceEvent, { type: "retry" }>[];
      assert.ok(first!.delayMs >= 50 && first!.delayMs <= 100, `first delay ${first!.delayMs}`);
      assert.ok(second!.delayMs >= 100 && second!.delayMs <= 200, `second delay ${second!.delayMs}`);
      assert.ok(time.clock.now() - started >= first!.delayMs + second!.delayMs);
    });
  }

  it("does not retry what retrying cannot fix (4xx, or retryable: false)", async () => {
    for (const error of [amazonError(400), amazonError(503, { retryable: false })]) {
      const { resilient, time, upstream } = setup(async () => {
        throw error;
      });
      await assert.rejects(time.settle(resilient.createFulfillmentOrder(order)), error);
      assert.equal(upstream.calls.length, 1);
    }
  });

  it("gives up after maxRetries with Amazon's error", async () => {
    const { resilient, time, upstream } = setup(async () => {
      throw amazonError(500);
    });
    await assert.rejects(time.settle(resilient.getFulfillmentOrder("mcf-1")), { status: 500 });
    assert.equal(upstream.calls.length, 3, "the read policy retries twice");
  });

  it("fails fast with a clear error when the wait for a token would exceed the bound", async () => {
    const { resilient, time, upstream } = setup(async () => ok(previewResult()), {
      ratePlans: { getFulfillmentPreview: { ratePerSecond: 2, burst: 2 } },
      burstHeadroom: 0,
      policies: { getFulfillmentPreview: { maxWaitMs: 1000 } },
    });
    const calls = [1, 2, 3, 4, 5].map(() => resilient.getFulfillmentPreview(previewRequest()));
    const outcomes = await time.settle(Promise.allSettled(calls));
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ["fulfilled", "fulfilled", "fulfilled", "fulfilled", "rejected"],
      "2 from the burst, 2 queued ≤ 1 s, the 5th would wait 1.5 s",
    );
    const refused = (outcomes[4] as PromiseRejectedResult).reason as UpstreamError;
    assert.ok(refused instanceof UpstreamError);
    assert.equal(refused.status, 0);
    assert.equal(refused.errors[0]?.code, RESILIENCE_ERROR_CODES.queueFull);
    assert.match(refused.message, /getFulfillmentPreview is rate limited.*1500 ms.*1000 ms/);
    assert.equal(upstream.calls.length, 4);
  });

  it("leaves two tokens of Amazon's burst unused by default, so network jitter cannot cause a 429", async () => {
    const { resilient, time, events } = setup(async () => ok(null), {
      policies: { createFulfillmentOrder: { maxWaitMs: 10_000 } },
    });
    await time.settle(Promise.all(Array.from({ length: 30 }, () => resilient.createFulfillmentOrder(order))));
    const queued = events.filter((e) => e.type === "queued");
    assert.deepEqual(queued, [
      { type: "queued", operation: "createFulfillmentOrder", waitMs: 500 },
      { type: "queued", operation: "createFulfillmentOrder", waitMs: 1000 },
    ]);
  });

  it("adapts the bucket to the rate Amazon reports in x-amzn-RateLimit-Limit", async () => {
    const { resilient, time, events } = setup(async () => ok(previewResult(), { rateLimitPerSecond: 0.5 }), {
      ratePlans: { getFulfillmentPreview: { ratePerSecond: 2, burst: 1 } },
      policies: { getFulfillmentPreview: { maxWaitMs: 10_000 } },
    });
    await time.settle(resilient.getFulfillmentPreview(previewRequest()));
    const started = time.clock.now();
    await time.settle(resilient.getFulfillmentPreview(previewRequest()));
    assert.equal(time.clock.now() - started, 2000, "at 0.5 req/s the next token is 2 s away, not 0.5 s");
    assert.deepEqual(
      events.filter((e) => e.type === "rate-adapted"),
      [{ type: "rate-adapted", operation: "getFulfillmentPreview", ratePerSecond: 0.5 }],
    );
  });

  it("also adapts from a throttled answer, and drains the bucket on 429", async () => {
    let attempts = 0;
    const { resilient, time, events } = setup(
      async () => {
        attempts++;
        if (attempts === 1) throw amazonError(429, { rateLimitPerSecond: 1 });
        return ok(previewResult());
      },
      { policies: { getFulfillmentPreview: { maxWaitMs: 10_000 } } },
    );
    const started = time.clock.now();
    await time.settle(resilient.getFulfillmentPreview(previewRequest()));
    assert.ok(events.some((e) => e.type === "throttled"));
    assert.ok(events.some((e) => e.type === "rate-adapted" && e.ratePerSecond === 1));
    assert.ok(time.clock.now() - started >= 1000, "after the drain the retry waits for a fresh token at 1 req/s");
  });

  it("times out an attempt that gets no answer, aborting the upstream call, then retries", async () => {
    let attempts = 0;
    let abortedWith: unknown;
    const { resilient, time, upstream } = setup(
      async (_op, _args, signal) => {
        attempts++;
        if (attempts === 1) {
          return new Promise((_, reject) =>
            signal?.addEventListener("abort", () => {
              abortedWith = signal.reason;
              reject(signal.reason);
            }),
          );
        }
        return ok(null);
      },
      { upstreamTimeoutMs: 3000 },
    );
    await time.settle(resilient.cancelFulfillmentOrder("mcf-1"));
    assert.equal(upstream.calls.length, 2);
    assert.ok(abortedWith instanceof Error);
    assert.equal(time.pendingTimers, 0, "no timer is left behind");
  });

  it("reports a timeout as a retryable UpstreamError when retries run out", async () => {
    const { resilient, time } = setup(() => new Promise(() => {}), {
      policies: { getFulfillmentOrder: { maxRetries: 0, timeoutMs: 100 } },
    });
    await assert.rejects(time.settle(resilient.getFulfillmentOrder("mcf-1")), (error: UpstreamError) => {
      assert.equal(error.errors[0]?.code, RESILIENCE_ERROR_CODES.timeout);
      assert.equal(error.retryable, true);
      return true;
    });
  });

  it("lets upstreamTimeoutMs set order timeouts but never stretch a preview's", async () => {
    const hang = () => new Promise<never>(() => {});
    const { resilient, time } = setup(hang, {
      upstreamTimeoutMs: 10_000,
      policies: { getFulfillmentPreview: { maxRetries: 0 }, cancelFulfillmentOrder: { maxRetries: 0 } },
    });
    const started = time.clock.now();
    await assert.rejects(time.settle(resilient.getFulfillmentPreview(previewRequest())), /within 2500 ms/);
    assert.equal(time.clock.now() - started, 2500);
    await assert.rejects(time.settle(resilient.cancelFulfillmentOrder("mcf-1")), /within 10000 ms/);
    const own = setup(hang, {
      upstreamTimeoutMs: 10_000,
      policies: { getFulfillmentPreview: { maxRetries: 0, timeoutMs: 4000 } },
    });
    await assert.rejects(own.time.settle(own.resilient.getFulfillmentPreview(previewRequest())), /within 4000 ms/);
  });

  it("stops waiting when the caller aborts", async () => {
    const { resilient, time } = setup(() => new Promise(() => {}));
    const controller = new AbortController();
    const call = resilient.getFulfillmentOrder("mcf-1", { signal: controller.signal });
    await time.advance(10);
    controller.abort(new Error("shopper left"));
    await assert.rejects(call, /shopper left/);
  });

  it("opens the circuit after consecutive failures, fails fast, then probes and closes", async () => {
    let healthy = false;
    const { resilient, time, upstream, events } = setup(
      async () => {
        if (!healthy) throw amazonError(503);
        return ok(previewResult());
      },
      { breaker: { failureThreshold: 3, openMs: 5000 }, policies: { getFulfillmentPreview: { maxRetries: 0 } } },
    );
    for (let i = 0; i < 3; i++) {
      await assert.rejects(time.settle(resilient.getFulfillmentPreview(previewRequest())), { status: 503 });
    }
    await assert.rejects(time.settle(resilient.getFulfillmentPreview(previewRequest())), (error: UpstreamError) => {
      assert.equal(error.errors[0]?.code, RESILIENCE_ERROR_CODES.circuitOpen);
      assert.match(error.message, /paused for 5 s/);
      return true;
    });
    assert.equal(upstream.calls.length, 3, "an open circuit sends nothing");
    await time.advance(5000);
    healthy = true;
    await time.settle(resilient.getFulfillmentPreview(previewRequest()));
    assert.deepEqual(
      events.filter((e) => e.type === "circuit").map((e) => (e as { state: string }).state),
      ["open", "half-open", "closed"],
    );
  });

  it("counts Amazon's 4xx answers as a healthy host", async () => {
    const { resilient, time, upstream } = setup(
      async () => {
        throw amazonError(400);
      },
      { breaker: { failureThreshold: 2 } },
    );
    for (let i = 0; i < 5; i++) await assert.rejects(time.settle(resilient.getFulfillmentOrder("x")), { status: 400 });
    assert.equal(upstream.calls.length, 5);
  });

  it("never drops an order under throttling, and never exceeds Amazon's rate", async () => {
    // The fake Amazon enforces 2 req/s burst 30 itself and answers 429 beyond it, like the real one.
    const time = virtualTime();
    let amazonBucket = createBucket({ ratePerSecond: 2, burst: 30 }, time.clock.now());
    let throttled = 0;
    const created = new Set<string>();
    const upstream = fakeUpstream(async (_operation: UpstreamOperation, args) => {
      const next = reserve(amazonBucket, time.clock.now(), 0);
      amazonBucket = next.state;
      if (!next.reservation.granted) {
        throttled++;
        throw new UpstreamError({ operation: "createFulfillmentOrder", status: 429, message: "QuotaExceeded" });
      }
      created.add((args[0] as typeof order).sellerFulfillmentOrderId);
      return ok(null);
    });
    const resilient = withResilience(upstream, { clock: time.clock, sleep: time.sleep, random: seededRandom(7) });
    const orders = Array.from({ length: 80 }, (_, i) =>
      resilient.createFulfillmentOrder({ ...order, sellerFulfillmentOrderId: `mcf-${i}` }),
    );
    const outcomes = await time.settle(Promise.allSettled(orders));
    assert.deepEqual(
      outcomes.filter((o) => o.status === "rejected"),
      [],
    );
    assert.equal(created.size, 80);
    assert.equal(throttled, 0);
    assert.equal(upstream.calls.length, 80, "no call was wasted");
  });

  it("shares buckets through a pluggable store", async () => {
    const time = virtualTime();
    const reservations: string[] = [];
    const store = {
      reserve: (key: string) => {
        reservations.push(key);
        return { granted: true, waitMs: 0 };
      },
      setRate: () => {},
      drain: () => {},
    };
    const resilient = withResilience(
      fakeUpstream(async () => ok(null)),
      { clock: time.clock, sleep: time.sleep, stores: { rateLimiter: store }, rateLimitKeyPrefix: "seller-1:" },
    );
    await time.settle(resilient.updateFulfillmentOrder("mcf-1", {}));
    assert.deepEqual(reservations, ["seller-1:updateFulfillmentOrder"]);
  });

  it("never turns Amazon's answer into an error because a shared store failed to adapt or drain", async () => {
    const time = virtualTime();
    let attempts = 0;
    const store = {
      reserve: () => ({ granted: true, waitMs: 0 }),
      setRate: () => Promise.reject(new Error("redis down")),
      drain: () => {
        throw new Error("redis down");
      },
    };
    const resilient = withResilience(
      fakeUpstream(async () => {
        attempts++;
        if (attempts === 1) throw amazonError(429, { rateLimitPerSecond: 1 });
        return ok(previewResult(), { rateLimitPerSecond: 0.5 });
      }),
      { clock: time.clock, sleep: time.sleep, random: seededRandom(2), stores: { rateLimiter: store } },
    );
    const answer = await time.settle(resilient.getFulfillmentPreview(previewRequest()));
    assert.equal(answer.meta.status, 200);
  });

  it("validates its options, naming the bad one", () => {
    const upstream = fakeUpstream(async () => ok(null));
    assert.throws(() => withResilience(upstream, { cacheTtlMs: -1 }), /resilience\.cacheTtlMs/);
    assert.throws(
      () => withResilience(upstream, { policies: { createFulfillmentOrder: { maxRetries: 1.5 } } }),
      /resilience\.policies\.createFulfillmentOrder\.maxRetries/,
    );
    assert.throws(
      () => withResilience(upstream, { ratePlans: { getFulfillmentPreview: { ratePerSecond: 0, burst: 1 } } }),
      /resilience\.ratePlans\.getFulfillmentPreview\.ratePerSecond/,
    );
    assert.throws(
      () => withResilience(upstream, { breaker: { failureThreshold: 0 } }),
      /resilience\.breaker\.failureThreshold/,
    );
    assert.throws(() => withResilience(upstream, { refreshAfterMs: 10, cacheTtlMs: 5 }), /refreshAfterMs/);
    assert.throws(
      () => withResilience(upstream, { fallbackRates: [{ speed: "Slow" } as unknown as FallbackRate] }),
      /resilience\.fallbackRates\[0\]\.speed/,
    );
  });
});
