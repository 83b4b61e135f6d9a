import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  asUpstreamError,
  isDegradable,
  isQueueFull,
  queueFullError,
  RESILIENCE_ERROR_CODES,
} from "../../../proxy/admission/errors.ts";
import { createGuard, guardOrders } from "../../../proxy/admission/guard.ts";
import { type ResilienceEvent, type ResilienceOptions, resolveOptions } from "../../../proxy/admission/options.ts";
import { createBucket, reserve } from "../../../proxy/admission/token-bucket.ts";
import { type NewOrder, UpstreamError } from "../../../proxy/fulfillment/model.ts";
import type { FallbackRate } from "../../../proxy/previews/fallback.ts";
import { InvalidSettings } from "../../../proxy/shared/invalid.ts";
import { createMemoryRateLimiterStore } from "../../../proxy/stores/memory.ts";
import type { RateLimiterStore } from "../../../proxy/stores/types.ts";
import {
  admission,
  FAKE_RATE_PLANS,
  fakeDialect,
  type Handler,
  newOrder,
  ok,
  previewRequest,
  previewResult,
  seededRandom,
  virtualTime,
} from "./fakes.ts";

const order = newOrder();

const amazonError = (status: number, extra: { rateLimitPerSecond?: number; retryable?: boolean } = {}) =>
  new UpstreamError({ operation: "preview", status, message: `HTTP ${status}`, ...extra });

function setup(handler: Handler, options: ResilienceOptions = {}, buckets?: RateLimiterStore, merchant?: string) {
  const { time, events, dialect, guard } = admission(
    handler,
    { random: seededRandom(1), ...options },
    { ...(buckets ? { buckets } : {}), ...(merchant ? { merchant } : {}) },
  );
  const orders = guardOrders(dialect, guard);
  /** A preview straight through the guard (the pipeline's own queueing left out). */
  const preview = (o: { signal?: AbortSignal } = {}) =>
    guard.run("preview", (signal) => dialect.preview(previewRequest(), { signal }), o);
  return { time, events, dialect, guard, orders, preview };
}

describe("admission guard", () => {
  it("passes answers through, for previews and for every order operation", async () => {
    const { orders, preview, time, dialect } = setup(async (operation) =>
      ok(operation === "preview" ? previewResult() : null, { amznRequestId: `r-${operation}` }),
    );
    const answer = await time.settle(preview());
    assert.equal(answer.meta.amznRequestId, "r-preview");
    assert.deepEqual(answer.data, previewResult());
    await time.settle(orders.createOrder(order));
    await time.settle(orders.releaseHold("mcf-1"));
    await time.settle(orders.getOrder("mcf-1"));
    await time.settle(orders.cancelOrder("mcf-1"));
    const tracked = await time.settle(orders.getTracking({} as never, 1));
    assert.equal(tracked.meta.amznRequestId, "r-getTracking");
    assert.deepEqual(
      dialect.calls.map((call) => call.operation),
      ["preview", "createOrder", "updateOrder", "getOrder", "cancelOrder", "getTracking"],
    );
  });

  it("spends one token per call: a call entering `admitted` (the pipeline took its token) spends none", async () => {
    // Options are resolved once and the pipeline enters the same guard with its token, so nothing is throttled twice.
    const { guard, dialect, time } = setup(async () => ok(previewResult()), {
      ratePlans: { preview: { ratePerSecond: 2, burst: 2 } },
      burstHeadroom: 0,
      policies: { preview: { maxWaitMs: 0 } },
    });
    const send = (signal: AbortSignal) => dialect.preview(previewRequest(), { signal });
    assert.equal((await guard.tryAdmit("preview")).granted, true);
    await time.settle(guard.run("preview", send, { admitted: true }));
    await time.settle(guard.run("preview", send));
    await assert.rejects(time.settle(guard.run("preview", send)), (error: unknown) => isQueueFull(error));
    assert.equal(dialect.calls.length, 2);
  });

  for (const failure of [
    { name: "429", error: () => amazonError(429) },
    { name: "503", error: () => amazonError(503) },
    { name: "a network error", error: () => new TypeError("fetch failed") },
  ]) {
    it(`retries ${failure.name} with jittered exponential backoff`, async () => {
      let attempts = 0;
      const { orders, time, events } = setup(async () => {
        attempts++;
        if (attempts <= 2) throw failure.error();
        return ok({ confirmed: true });
      });
      const started = time.clock.now();
      await time.settle(orders.createOrder(order));
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
      const { orders, time, dialect } = setup(async () => {
        throw error;
      });
      await assert.rejects(time.settle(orders.createOrder(order)), error);
      assert.equal(dialect.calls.length, 1);
    }
  });

  it("gives up after maxRetries with Amazon's error", async () => {
    const { orders, time, dialect } = setup(async () => {
      throw amazonError(500);
    });
    await assert.rejects(time.settle(orders.getOrder("mcf-1")), { status: 500 });
    assert.equal(dialect.calls.length, 3, "the read policy retries twice");
  });

  it("fails fast with a clear error when the wait for a token would exceed the bound", async () => {
    const { preview, time, dialect, events } = setup(async () => ok(previewResult()), {
      ratePlans: { preview: { ratePerSecond: 2, burst: 2 } },
      burstHeadroom: 0,
      policies: { preview: { maxWaitMs: 1000 } },
    });
    const calls = [1, 2, 3, 4, 5].map(() => preview());
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
    assert.match(refused.message, /preview is rate limited.*1500 ms.*1000 ms/);
    assert.equal(dialect.calls.length, 4);
    assert.deepEqual(
      events.filter((e) => e.type === "rejected"),
      [{ type: "rejected", operation: "preview", reason: "queue-full", waitMs: 1500 }],
    );
  });

  it("reports a full queue as a plain UpstreamError with a code (no error class of its own)", () => {
    const error = queueFullError("createOrder", 1500, 1000);
    assert.ok(error instanceof UpstreamError);
    assert.equal(error.name, "UpstreamError");
    assert.equal(error.operation, "createOrder");
    assert.equal(error.status, 0);
    assert.equal(error.retryable, false);
    assert.equal(isQueueFull(error), true);
    assert.equal(isDegradable(error), true, "a preview refused locally degrades instead of failing");
    assert.equal(isQueueFull(amazonError(429)), false);
    assert.equal(isQueueFull(new Error(RESILIENCE_ERROR_CODES.queueFull)), false);
    assert.equal(isDegradable(amazonError(400)), false);
    assert.equal(isDegradable(amazonError(502)), true);
    const network = asUpstreamError(new TypeError("fetch failed"), "getOrder");
    assert.equal(network.errors[0]?.code, RESILIENCE_ERROR_CODES.network);
    assert.equal(network.retryable, true);
    assert.equal(asUpstreamError(error, "preview"), error, "an UpstreamError is kept as it is");
  });

  it("tryAdmit never waits: a token now (leaving `keep`), or how long until one would be free", async () => {
    const { guard, time, events } = setup(async () => ok(null), {
      ratePlans: { preview: { ratePerSecond: 2, burst: 3 } },
      burstHeadroom: 0,
    });
    assert.deepEqual(await guard.tryAdmit("preview", 2), { granted: true, waitMs: 0 }, "3 → 2 leaves 2");
    assert.deepEqual(await guard.tryAdmit("preview", 2), { granted: false, waitMs: 500 }, "2 → 1 would not");
    assert.deepEqual(await guard.tryAdmit("preview"), { granted: true, waitMs: 0 });
    assert.deepEqual(await guard.tryAdmit("preview"), { granted: true, waitMs: 0 });
    assert.deepEqual(await guard.tryAdmit("preview"), { granted: false, waitMs: 500 });
    assert.equal(time.pendingTimers, 0, "nothing waits");
    assert.deepEqual(events, [], "tryAdmit reports nothing: its caller decides what a refusal means");
    assert.deepEqual(
      await guard.tryAdmit("createOrder"),
      { granted: true, waitMs: 0 },
      "each operation its own bucket",
    );
  });

  it("leaves two tokens of Amazon's burst unused by default, so network jitter cannot cause a 429", async () => {
    const { orders, time, events } = setup(async () => ok({ confirmed: true }), {
      policies: { createOrder: { maxWaitMs: 10_000 } },
    });
    await time.settle(Promise.all(Array.from({ length: 30 }, () => orders.createOrder(order))));
    const queued = events.filter((e) => e.type === "queued");
    assert.deepEqual(queued, [
      { type: "queued", operation: "createOrder", waitMs: 500 },
      { type: "queued", operation: "createOrder", waitMs: 1000 },
    ]);
  });

  it("adapts the bucket to the rate Amazon reports in x-amzn-RateLimit-Limit", async () => {
    const { preview, time, events } = setup(async () => ok(previewResult(), { rateLimitPerSecond: 0.5 }), {
      ratePlans: { preview: { ratePerSecond: 2, burst: 1 } },
      policies: { preview: { maxWaitMs: 10_000 } },
    });
    await time.settle(preview());
    const started = time.clock.now();
    await time.settle(preview());
    assert.equal(time.clock.now() - started, 2000, "at 0.5 req/s the next token is 2 s away, not 0.5 s");
    assert.deepEqual(
      events.filter((e) => e.type === "rate-adapted"),
      [{ type: "rate-adapted", operation: "preview", ratePerSecond: 0.5 }],
    );
  });

  it("also adapts from a throttled answer, and drains the bucket on 429", async () => {
    let attempts = 0;
    const { preview, time, events } = setup(
      async () => {
        attempts++;
        if (attempts === 1) throw amazonError(429, { rateLimitPerSecond: 1 });
        return ok(previewResult());
      },
      { policies: { preview: { maxWaitMs: 10_000 } } },
    );
    const started = time.clock.now();
    await time.settle(preview());
    assert.ok(events.some((e) => e.type === "throttled"));
    assert.ok(events.some((e) => e.type === "rate-adapted" && e.ratePerSecond === 1));
    assert.ok(time.clock.now() - started >= 1000, "after the drain the retry waits for a fresh token at 1 req/s");
  });

  it("times out an attempt that gets no answer, aborting the dialect's call, then retries", async () => {
    let attempts = 0;
    let abortedWith: unknown;
    const { orders, time, dialect } = setup(
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
    const started = time.clock.now();
    await time.settle(orders.cancelOrder("mcf-1"));
    assert.equal(dialect.calls.length, 2);
    assert.ok(abortedWith instanceof UpstreamError, "the dialect's signal carries the timeout");
    assert.equal((abortedWith as UpstreamError).errors[0]?.code, RESILIENCE_ERROR_CODES.timeout);
    assert.ok(time.clock.now() - started >= 3000);
    assert.equal(time.pendingTimers, 0, "no timer is left behind");
  });

  it("gives each attempt exactly one timeout: the policy's", async () => {
    const hang = () => new Promise<never>(() => {});
    const { preview, time, dialect } = setup(hang, { policies: { preview: { maxRetries: 2, timeoutMs: 700 } } });
    const started = time.clock.now();
    await assert.rejects(time.settle(preview()), /within 700 ms/);
    assert.equal(dialect.calls.length, 3);
    const spent = time.clock.now() - started;
    assert.ok(spent >= 3 * 700 && spent < 3 * 700 + 1000, `three attempts of 700 ms plus backoff, got ${spent}`);
    assert.equal(time.pendingTimers, 0);
  });

  it("reports a timeout as a retryable UpstreamError when retries run out", async () => {
    const { orders, time } = setup(() => new Promise(() => {}), {
      policies: { getOrder: { maxRetries: 0, timeoutMs: 100 } },
    });
    await assert.rejects(time.settle(orders.getOrder("mcf-1")), (error: UpstreamError) => {
      assert.equal(error.errors[0]?.code, RESILIENCE_ERROR_CODES.timeout);
      assert.equal(error.retryable, true);
      return true;
    });
  });

  it("lets upstreamTimeoutMs set order timeouts but never stretch a preview's", async () => {
    const hang = () => new Promise<never>(() => {});
    const { preview, orders, time } = setup(hang, {
      upstreamTimeoutMs: 10_000,
      policies: { preview: { maxRetries: 0 }, cancelOrder: { maxRetries: 0 } },
    });
    const started = time.clock.now();
    await assert.rejects(time.settle(preview()), /within 2500 ms/);
    assert.equal(time.clock.now() - started, 2500);
    await assert.rejects(time.settle(orders.cancelOrder("mcf-1")), /within 10000 ms/);
    const own = setup(hang, {
      upstreamTimeoutMs: 10_000,
      policies: { preview: { maxRetries: 0, timeoutMs: 4000 } },
    });
    await assert.rejects(own.time.settle(own.preview()), /within 4000 ms/);
    const shorter = setup(hang, { upstreamTimeoutMs: 1000, policies: { preview: { maxRetries: 0 } } });
    await assert.rejects(shorter.time.settle(shorter.preview()), /within 1000 ms/, "it may shorten a preview's");
  });

  it("stops waiting when the caller aborts", async () => {
    const { orders, time } = setup(() => new Promise(() => {}));
    const controller = new AbortController();
    const call = orders.getOrder("mcf-1", { signal: controller.signal });
    await time.advance(10);
    controller.abort(new Error("shopper left"));
    await assert.rejects(call, /shopper left/);
  });

  it("opens the circuit after consecutive failures, fails fast, then probes and closes", async () => {
    let healthy = false;
    const { preview, time, dialect, events } = setup(
      async () => {
        if (!healthy) throw amazonError(503);
        return ok(previewResult());
      },
      { breaker: { failureThreshold: 3, openMs: 5000 }, policies: { preview: { maxRetries: 0 } } },
    );
    for (let i = 0; i < 3; i++) {
      await assert.rejects(time.settle(preview()), { status: 503 });
    }
    await assert.rejects(time.settle(preview()), (error: UpstreamError) => {
      assert.equal(error.errors[0]?.code, RESILIENCE_ERROR_CODES.circuitOpen);
      assert.match(error.message, /paused for 5 s/);
      return true;
    });
    assert.equal(dialect.calls.length, 3, "an open circuit sends nothing");
    await time.advance(5000);
    healthy = true;
    await time.settle(preview());
    assert.deepEqual(
      events.filter((e) => e.type === "circuit").map((e) => (e as { state: string }).state),
      ["open", "half-open", "closed"],
    );
  });

  it("has one circuit for previews and orders: Amazon failing previews pauses orders too", async () => {
    const { preview, orders, time, dialect } = setup(
      async () => {
        throw amazonError(503);
      },
      { breaker: { failureThreshold: 2 }, policies: { preview: { maxRetries: 0 } } },
    );
    await assert.rejects(time.settle(preview()), { status: 503 });
    await assert.rejects(time.settle(preview()), { status: 503 });
    await assert.rejects(time.settle(orders.getOrder("mcf-1")), (error: UpstreamError) => {
      assert.equal(error.errors[0]?.code, RESILIENCE_ERROR_CODES.circuitOpen);
      return true;
    });
    assert.equal(dialect.calls.length, 2);
  });

  it("counts Amazon's 4xx answers as a healthy host", async () => {
    const { orders, time, dialect } = setup(
      async () => {
        throw amazonError(400);
      },
      { breaker: { failureThreshold: 2 } },
    );
    for (let i = 0; i < 5; i++) await assert.rejects(time.settle(orders.getOrder("x")), { status: 400 });
    assert.equal(dialect.calls.length, 5);
  });

  it("never drops an order under throttling, and never exceeds Amazon's rate", async () => {
    // The fake Amazon enforces 2 req/s burst 30 itself and answers 429 beyond it, like the real one.
    const time = virtualTime();
    let amazonBucket = createBucket({ ratePerSecond: 2, burst: 30 }, time.clock.now());
    let throttled = 0;
    const created = new Set<string>();
    const dialect = fakeDialect(async (_operation, args) => {
      const next = reserve(amazonBucket, time.clock.now(), 0);
      amazonBucket = next.state;
      if (!next.reservation.granted) {
        throttled++;
        throw new UpstreamError({ operation: "createOrder", status: 429, message: "QuotaExceeded" });
      }
      created.add((args[0] as NewOrder).orderId);
      return ok({ confirmed: true });
    });
    const options = resolveOptions({ clock: time.clock, sleep: time.sleep, random: seededRandom(7) }, FAKE_RATE_PLANS);
    const orders = guardOrders(dialect, createGuard(options, createMemoryRateLimiterStore(), "default"));
    const all = Array.from({ length: 80 }, (_, i) => orders.createOrder(newOrder(`mcf-${i}`)));
    const outcomes = await time.settle(Promise.allSettled(all));
    assert.deepEqual(
      outcomes.filter((o) => o.status === "rejected"),
      [],
    );
    assert.equal(created.size, 80);
    assert.equal(throttled, 0);
    assert.equal(dialect.calls.length, 80, "no call was wasted");
  });

  it("shares buckets through a pluggable store, keyed by merchant and operation", async () => {
    const reservations: string[] = [];
    const store: RateLimiterStore = {
      reserve: async (key) => {
        reservations.push(key);
        return { granted: true, waitMs: 0 };
      },
      setRate: async () => {},
      drain: async () => {},
    };
    const { orders, time } = setup(async () => ok(null), {}, store, "seller-1");
    await time.settle(orders.releaseHold("mcf-1"));
    assert.deepEqual(reservations, ["v1:seller-1:bucket:updateOrder"]);
  });

  it("two guards over one store share one merchant's bucket (a fleet stays inside one quota)", async () => {
    const time = virtualTime();
    const buckets = createMemoryRateLimiterStore();
    const options: ResilienceOptions = {
      ratePlans: { preview: { ratePerSecond: 2, burst: 2 } },
      burstHeadroom: 0,
      policies: { preview: { maxWaitMs: 0 } },
    };
    const a = admission(async () => ok(previewResult()), options, { time, buckets });
    const b = admission(async () => ok(previewResult()), options, { time, buckets });
    const other = admission(async () => ok(previewResult()), options, { time, buckets, merchant: "other" });
    assert.equal((await a.guard.tryAdmit("preview")).granted, true);
    assert.equal((await b.guard.tryAdmit("preview")).granted, true);
    assert.equal((await a.guard.tryAdmit("preview")).granted, false, "instance b spent the last token");
    assert.equal((await other.guard.tryAdmit("preview")).granted, true, "another merchant has its own bucket");
  });

  it("fails closed when the rate limiter fails: nothing is sent, the error says why", async () => {
    const broken: RateLimiterStore = {
      reserve: () => Promise.reject(new Error("redis down")),
      setRate: async () => {},
      drain: async () => {},
    };
    const { orders, time, dialect } = setup(async () => ok(null), {}, broken);
    await assert.rejects(time.settle(orders.getOrder("mcf-1")), (error: UpstreamError) => {
      assert.equal(error.errors[0]?.code, RESILIENCE_ERROR_CODES.rateLimiterUnavailable);
      assert.match(error.message, /redis down/);
      return true;
    });
    assert.equal(dialect.calls.length, 0);
  });

  it("never turns Amazon's answer into an error because a shared store failed to adapt or drain", async () => {
    let attempts = 0;
    const store: RateLimiterStore = {
      reserve: async () => ({ granted: true, waitMs: 0 }),
      setRate: () => Promise.reject(new Error("redis down")),
      drain: async () => {
        throw new Error("redis down");
      },
    };
    const { preview, time } = setup(
      async () => {
        attempts++;
        if (attempts === 1) throw amazonError(429, { rateLimitPerSecond: 1 });
        return ok(previewResult(), { rateLimitPerSecond: 0.5 });
      },
      { random: seededRandom(2) },
      store,
    );
    const answer = await time.settle(preview());
    assert.equal(answer.meta.status, 200);
  });

  it("resolves its options once, validating them and naming the bad one", () => {
    const resolve = (options: ResilienceOptions) => resolveOptions(options, FAKE_RATE_PLANS);
    assert.throws(() => resolve({ cacheTtlMs: -1 }), /resilience\.cacheTtlMs/);
    assert.throws(
      () => resolve({ policies: { createOrder: { maxRetries: 1.5 } } }),
      /resilience\.policies\.createOrder\.maxRetries/,
    );
    assert.throws(
      () => resolve({ ratePlans: { preview: { ratePerSecond: 0, burst: 1 } } }),
      /resilience\.ratePlans\.preview\.ratePerSecond/,
    );
    assert.throws(() => resolve({ breaker: { failureThreshold: 0 } }), /resilience\.breaker\.failureThreshold/);
    assert.throws(() => resolve({ refreshAfterMs: 10, cacheTtlMs: 5 }), /refreshAfterMs/);
    assert.throws(
      () => resolve({ fallbackRates: [{ speed: "Slow" } as unknown as FallbackRate] }),
      /resilience\.fallbackRates\[0\]\.speed/,
    );
    assert.throws(
      () => resolve({ cacheTtlMs: -1, breaker: { openMs: -5 } }),
      (error: unknown) => {
        assert.ok(error instanceof InvalidSettings, "one validation style: InvalidSettings");
        assert.deepEqual(
          error.problems.map((problem) => problem.path),
          ["resilience.cacheTtlMs", "resilience.breaker.openMs"],
          "every bad option is named at once",
        );
        return true;
      },
    );
  });

  it("resolves defaults from the dialect's plans, less the headroom, and the per-operation policies", () => {
    const resolved = resolveOptions({}, FAKE_RATE_PLANS);
    assert.deepEqual(resolved.ratePlans.preview, { ratePerSecond: 2, burst: 28 });
    assert.deepEqual(resolved.policies.preview, { maxWaitMs: 2_000, maxRetries: 1, timeoutMs: 2_500 });
    assert.deepEqual(resolved.policies.createOrder, { maxWaitMs: 30_000, maxRetries: 5, timeoutMs: 10_000 });
    assert.deepEqual(resolved.policies.getTracking, { maxWaitMs: 5_000, maxRetries: 2, timeoutMs: 5_000 });
    assert.equal(resolved.refreshMinTokens, 14, "half the burst");
    assert.equal(resolved.refreshAfterMs, resolved.cacheTtlMs / 2);
    const slower = { ...FAKE_RATE_PLANS, preview: { ratePerSecond: 0.5, burst: 10 } };
    assert.deepEqual(resolveOptions({ burstHeadroom: 0 }, slower).ratePlans.preview, { ratePerSecond: 0.5, burst: 10 });
  });
});
