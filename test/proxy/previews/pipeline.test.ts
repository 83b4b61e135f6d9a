import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RESILIENCE_ERROR_CODES } from "../../../proxy/admission/errors.ts";
import type { ResilienceOptions } from "../../../proxy/admission/options.ts";
import { UpstreamError } from "../../../proxy/fulfillment/model.ts";
import type { FallbackRate } from "../../../proxy/previews/fallback.ts";
import { createMemoryRateLimiterStore, createMemoryStore } from "../../../proxy/stores/memory.ts";
import type { KeyValueStore, RateLimiterStore } from "../../../proxy/stores/types.ts";
import {
  admission,
  cart,
  feeOf,
  type Handler,
  ok,
  previewRequest,
  previewResult,
  seededRandom,
  virtualTime,
} from "../admission/fakes.ts";

const MINUTE = 60_000;
const fallbackRates: FallbackRate[] = [
  { speed: "Standard", amount: "6.50", currency: "USD", shipDays: 1, arrivalDays: 5, countries: ["US"] },
];
const down = () => new UpstreamError({ operation: "preview", status: 503, message: "Service Unavailable" });

function setup(
  handler: Handler,
  options: ResilienceOptions = {},
  parts: { cache?: KeyValueStore; buckets?: RateLimiterStore } = {},
) {
  const built = admission(
    handler,
    {
      random: seededRandom(3),
      cacheTtlMs: 5 * MINUTE,
      refreshAfterMs: 2 * MINUTE,
      staleTtlMs: 60 * MINUTE,
      ...options,
    },
    parts,
  );
  const { time, pipeline } = built;
  const preview = (request = previewRequest(), waitUntil?: (p: Promise<unknown>) => void) =>
    time.settle(pipeline.preview(request, waitUntil ? { waitUntil } : {}));
  return { ...built, preview };
}

/** What instances sharing one cache and bucket (1 token a second, burst 1) pass to `admission`. */
function sharedFleet() {
  const time = virtualTime();
  const shared = {
    time,
    buckets: createMemoryRateLimiterStore(),
    cache: createMemoryStore({ maxEntries: 100, clock: time.clock }),
    sharedCache: true,
  };
  const options = { ratePlans: { preview: { ratePerSecond: 1, burst: 1 } }, burstHeadroom: 0, fallbackRates };
  return { time, shared, options };
}

/** A dialect answering "1.00", "2.00", … so each live answer is recognisable. */
const counting = () => {
  let n = 0;
  return async () => ok(previewResult(`${++n}.00`), { amznRequestId: `req-${n}` });
};

/** A store that keeps values as JSON text, as Redis, Durable Objects and Deno KV do: what is read is a copy. */
function copyingStore(clock: { now(): number }): KeyValueStore {
  const inner = createMemoryStore({ maxEntries: 100, clock });
  return {
    get: async <T>(key: string) => {
      const text = await inner.get<string>(key);
      return text === undefined ? undefined : (JSON.parse(text) as T);
    },
    set: (key, value, ttlMs) => inner.set(key, JSON.stringify(value), ttlMs),
    delete: (key) => inner.delete(key),
    putIfAbsent: () => Promise.reject(new Error("not used")),
    compareAndSet: () => Promise.reject(new Error("not used")),
  };
}

describe("preview pipeline", () => {
  it("answers live, then from the cache until the TTL", async () => {
    const { preview, time, dialect } = setup(counting());
    const first = await preview();
    assert.equal(first.source, "live");
    assert.equal(first.entry.amznRequestId, "req-1");
    await time.advance(MINUTE);
    const second = await preview();
    assert.equal(second.source, "cache");
    assert.equal(feeOf(second.entry.result), "1.00");
    assert.equal(dialect.calls.length, 1);
    await time.advance(4 * MINUTE);
    const third = await preview();
    assert.equal(third.source, "live", "past the TTL the preview is fetched again");
    assert.equal(feeOf(third.entry.result), "2.00");
  });

  it("keys the cache by merchant: the outcome names its store key", async () => {
    const { preview } = setup(counting());
    const outcome = await preview();
    assert.match(outcome.key, /^v1:default:preview:/);
  });

  it("serves the same cart in another spelling from the cache", async () => {
    const { preview, dialect } = setup(counting());
    await preview();
    const sameCart = previewRequest({
      address: { name: "Other", line1: "2 Pine St", countryCode: "us", postalCode: "98101", stateOrRegion: "wa" },
    });
    assert.equal((await preview(sameCart)).source, "cache");
    assert.equal(dialect.calls.length, 1);
  });

  it("names each cached entry by a version, the same for every cache hit, even through a copying store", async () => {
    // Signed answers are reused per (request, entry version), never by object identity, so this must hold even
    // when the store hands out copies (a shared store).
    const time = virtualTime();
    const built = admission(counting(), {}, { cache: copyingStore(time.clock), time });
    const preview = () => time.settle(built.pipeline.preview(previewRequest()));
    const live = await preview();
    const hit = await preview();
    const again = await preview();
    assert.equal(hit.source, "cache");
    assert.notEqual(hit.entry, live.entry, "the store handed out a copy");
    assert.equal(typeof live.entry.version, "string");
    assert.ok(live.entry.version.length > 0);
    assert.equal(hit.entry.version, live.entry.version);
    assert.equal(again.entry.version, live.entry.version);
    assert.deepEqual(hit.entry, live.entry, "plain JSON: the copy answers like the original");
    assert.equal(built.dialect.calls.length, 1);
  });

  it("gives a refreshed preview a new version, and a fallback answer the version `fallback`", async () => {
    const { preview, time } = setup(counting());
    const first = await preview();
    await time.advance(3 * MINUTE);
    const background: Promise<unknown>[] = [];
    await preview(undefined, (p) => background.push(p));
    await time.settle(Promise.all(background));
    const refreshed = await preview();
    assert.equal(refreshed.source, "cache");
    assert.equal(feeOf(refreshed.entry.result), "2.00");
    assert.notEqual(refreshed.entry.version, first.entry.version);

    const failing = setup(
      async () => {
        throw down();
      },
      { fallbackRates },
    );
    const fallback = await failing.preview();
    assert.equal(fallback.source, "fallback");
    assert.equal(fallback.entry.version, "fallback");
  });

  it("revalidates in the background once older than refreshAfterMs (stale-while-revalidate)", async () => {
    const { preview, time, dialect } = setup(counting());
    await preview();
    await time.advance(3 * MINUTE);
    const background: Promise<unknown>[] = [];
    const served = await preview(undefined, (p) => background.push(p));
    assert.equal(served.source, "cache");
    assert.equal(feeOf(served.entry.result), "1.00", "the shopper is not kept waiting for the refresh");
    assert.equal(background.length, 1, "the refresh is handed to waitUntil");
    await time.settle(Promise.all(background));
    assert.equal(dialect.calls.length, 2);
    await time.advance(3 * MINUTE);
    const refreshed = await preview();
    assert.equal(feeOf(refreshed.entry.result), "2.00");
    assert.equal(refreshed.source, "cache", "the refresh restarted the TTL");
  });

  it("skips background refreshes while shoppers need the tokens", async () => {
    const { preview, pipeline, time, dialect, events } = setup(counting(), {
      ratePlans: { preview: { ratePerSecond: 2, burst: 4 } },
      burstHeadroom: 0,
      refreshMinTokens: 2,
    });
    await preview();
    await time.advance(3 * MINUTE);
    // Two other carts leave 1 token: below the 2 a refresh must leave behind.
    await preview(cart("A"));
    await preview(cart("B"));
    const background: Promise<unknown>[] = [];
    assert.equal(
      (await time.settle(pipeline.preview(previewRequest(), { waitUntil: (p) => background.push(p) }))).source,
      "cache",
    );
    await time.settle(Promise.all(background));
    assert.equal(dialect.calls.length, 3, "no refresh was sent");
    assert.equal(events.filter((e) => e.type === "refresh-skipped").length, 1);
    assert.equal(events.filter((e) => e.type === "rejected").length, 0, "a skipped refresh is not a warning");
  });

  it("a background refresh never queues: with no spare token it is skipped at once, with no wait", async () => {
    // What `lowPriority` used to mean, now a rule of the pipeline: never queue, never retry, only spare tokens.
    const { preview, pipeline, time, dialect, events } = setup(counting(), {
      ratePlans: { preview: { ratePerSecond: 2, burst: 1 } },
      burstHeadroom: 0,
      refreshMinTokens: 0,
    });
    await preview();
    await time.advance(3 * MINUTE);
    await preview(cart("A")); // spends the only token
    events.length = 0;
    const background: Promise<unknown>[] = [];
    const started = time.clock.now();
    const served = await pipeline.preview(previewRequest(), { waitUntil: (p) => background.push(p) });
    assert.equal(served.source, "cache");
    assert.equal(background.length, 1);
    await Promise.all(background); // no time passes: it settles without any timer firing
    assert.equal(time.clock.now(), started);
    assert.equal(dialect.calls.length, 2, "no refresh was sent");
    assert.deepEqual(
      events.map((e) => e.type),
      ["preview", "refresh-skipped"],
      "neither queued nor rejected",
    );
  });

  it("a background refresh never retries and never degrades: a failure is reported and the entry kept", async () => {
    let calls = 0;
    const { preview, time, dialect, events } = setup(
      async () => {
        calls++;
        if (calls === 1) return ok(previewResult("1.00"));
        throw down();
      },
      { fallbackRates },
    );
    await preview();
    await time.advance(3 * MINUTE);
    const background: Promise<unknown>[] = [];
    await preview(undefined, (p) => background.push(p));
    await time.settle(Promise.all(background));
    assert.equal(dialect.calls.length, 2, "one refresh attempt, no retry (a shopper's call retries once)");
    assert.equal(events.filter((e) => e.type === "revalidate-failed").length, 1);
    const after = await preview();
    assert.equal(after.source, "cache");
    assert.equal(feeOf(after.entry.result), "1.00");
  });

  it("a shopper's live preview retries once (the preview policy), a refresh not at all", async () => {
    let calls = 0;
    const { preview, dialect } = setup(async () => {
      calls++;
      if (calls === 1) throw down();
      return ok(previewResult("2.00"));
    });
    const answer = await preview();
    assert.equal(answer.source, "live");
    assert.equal(dialect.calls.length, 2);
  });

  it("coalesces identical concurrent requests into one upstream call", async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { pipeline, time, dialect, events } = setup(async () => {
      await gate;
      return ok(previewResult("4.20"));
    });
    const shoppers = Array.from({ length: 25 }, () => pipeline.preview(previewRequest()));
    await time.advance(0);
    release();
    const answers = await time.settle(Promise.all(shoppers));
    assert.equal(dialect.calls.length, 1);
    assert.ok(answers.every((a) => a.source === "live" && feeOf(a.entry.result) === "4.20"));
    assert.equal(events.filter((e) => e.type === "preview" && e.coalesced).length, 24);
  });

  it("lets one shopper give up without cancelling the call others share", async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { pipeline, time, dialect } = setup(async () => {
      await gate;
      return ok(previewResult());
    });
    const leaving = new AbortController();
    const first = pipeline.preview(previewRequest(), { signal: leaving.signal });
    const second = pipeline.preview(previewRequest());
    await time.advance(0);
    leaving.abort(new Error("navigated away"));
    await assert.rejects(first, /navigated away/);
    release();
    assert.equal((await time.settle(second)).source, "live");
    assert.equal(dialect.calls.length, 1);
  });

  it("answers a stale preview when Amazon fails after the TTL", async () => {
    let healthy = true;
    const { preview, time } = setup(async () => {
      if (!healthy) throw down();
      return ok(previewResult("1.00"));
    });
    await preview();
    healthy = false;
    await time.advance(30 * MINUTE);
    const answer = await preview();
    assert.equal(answer.source, "stale");
    assert.equal(feeOf(answer.entry.result), "1.00");
  });

  it("answers stale when the bucket is empty instead of queueing past the bound", async () => {
    const { preview, pipeline, time, dialect } = setup(counting(), {
      ratePlans: { preview: { ratePerSecond: 2, burst: 1 } },
      policies: { preview: { maxWaitMs: 0 } },
    });
    await preview(previewRequest());
    await time.advance(6 * MINUTE);
    // Another cart takes the only token; the expired cart cannot get one without waiting.
    const [otherAnswer, expired] = await time.settle(
      Promise.all([pipeline.preview(cart("TEE-01")), pipeline.preview(previewRequest())]),
    );
    assert.equal(otherAnswer.source, "live");
    assert.equal(expired.source, "stale");
    assert.equal(dialect.calls.length, 2);
  });

  it("waits at most the preview's 2 s bound for a token by default, then degrades", async () => {
    const { pipeline, time, dialect, events } = setup(counting(), {
      ratePlans: { preview: { ratePerSecond: 0.25, burst: 1 } },
      burstHeadroom: 0,
      fallbackRates,
    });
    await time.settle(pipeline.preview(cart("A")));
    const started = time.clock.now();
    const degraded = await time.settle(pipeline.preview(cart("B")));
    assert.equal(degraded.source, "fallback", "the next token is 4 s away: more than a shopper waits");
    assert.equal(time.clock.now() - started, 0, "a wait known to be too long is refused at once");
    assert.equal(dialect.calls.length, 1);
    assert.ok(events.some((e) => e.type === "rejected" && e.reason === "queue-full"));

    const patient = setup(counting(), {
      ratePlans: { preview: { ratePerSecond: 0.6, burst: 1 } },
      burstHeadroom: 0,
      fallbackRates,
    });
    await patient.time.settle(patient.pipeline.preview(cart("A")));
    const from = patient.time.clock.now();
    const live = await patient.time.settle(patient.pipeline.preview(cart("B")));
    assert.equal(live.source, "live", "the next token is 1.67 s away: within the bound, so the shopper waits");
    assert.equal(patient.time.clock.now() - from, 1667);
  });

  it("instances sharing the cache and bucket give the next token to the fleet's most wanted preview", async () => {
    const { time, shared, options } = sharedFleet();
    const a = admission(counting(), options, shared);
    const b = admission(counting(), options, shared);
    await time.settle(a.pipeline.preview(cart("W"))); // the one token
    const lonely = a.pipeline.preview(cart("P")); // waits longest, alone, and is instance a's only waiting request
    await time.advance(100);
    // Three shoppers want Q: one on b, which fetches it, two on a, which wait for b's answer.
    const wanted = [b.pipeline.preview(cart("Q")), a.pipeline.preview(cart("Q")), a.pipeline.preview(cart("Q"))];
    const [p, ...q] = await time.settle(Promise.all([lonely, ...wanted]));
    assert.deepEqual(
      q.map((outcome) => outcome.source),
      ["live", "live", "live"],
      "the token due at 1 s goes to Q, which three shoppers wait for",
    );
    assert.equal(p?.source, "fallback", "P's bound passed before the next token");
    assert.equal(a.dialect.calls.length + b.dialect.calls.length, 2);
  });

  it("a shopper waiting for another instance's call waits past its bound once that call holds its token", async () => {
    const { time, shared, options } = sharedFleet();
    // Amazon takes 2.2 s, within the call's 2.5 s timeout but past the 2 s a shopper waits for a token.
    const slow = () => {
      const answer = counting();
      return async () => {
        await time.sleep(2_200);
        return answer();
      };
    };
    const a = admission(slow(), options, shared);
    const b = admission(slow(), options, shared);
    const first = a.pipeline.preview(cart("Q")); // takes the token at once and calls
    await time.advance(100);
    const second = b.pipeline.preview(cart("Q")); // bound at 2.1 s, the call answers at 2.2 s
    const [fetched, waited] = await time.settle(Promise.all([first, second]));
    assert.equal(fetched.source, "live");
    assert.equal(waited.source, "live", "the call was under way: b's shopper waits for it as a's would");
    assert.equal(waited.entry.version, fetched.entry.version);
    assert.equal(a.dialect.calls.length + b.dialect.calls.length, 1);
    assert.equal(shared.cache.size, 1, "the flight marker is gone with the flight");
  });

  it("answers from the merchant's fallback rates when nothing is cached and Amazon fails", async () => {
    const { preview } = setup(
      async () => {
        throw down();
      },
      { fallbackRates },
    );
    const answer = await preview();
    assert.equal(answer.source, "fallback");
    assert.equal(feeOf(answer.entry.result), "6.50");
    assert.equal(answer.entry.result.previews[0]?.speed, "Standard");
  });

  it("answers fallback while the circuit is open, without calling Amazon", async () => {
    const { preview, dialect } = setup(
      async () => {
        throw down();
      },
      { fallbackRates, breaker: { failureThreshold: 1, openMs: MINUTE } },
    );
    await preview();
    const calls = dialect.calls.length;
    assert.equal((await preview(cart("TEE-01", 2))).source, "fallback");
    assert.equal(dialect.calls.length, calls);
  });

  it("still fails when neither a stale preview nor a fallback rate covers the request", async () => {
    const { preview } = setup(
      async () => {
        throw down();
      },
      { fallbackRates },
    );
    const canada = previewRequest({ address: { name: "n", line1: "l", countryCode: "CA", postalCode: "K1A0B1" } });
    await assert.rejects(preview(canada), { status: 503 });
  });

  it("does not hide Amazon rejecting the request itself (4xx) behind a degraded answer", async () => {
    const invalid = new UpstreamError({ operation: "preview", status: 400, message: "Invalid SKU" });
    const { preview } = setup(
      async () => {
        throw invalid;
      },
      { fallbackRates },
    );
    await assert.rejects(preview(), invalid);
  });

  it("bounds memory: the least recently used previews are evicted", async () => {
    const time = virtualTime();
    const cache = createMemoryStore({ maxEntries: 3, clock: time.clock });
    const built = admission(counting(), {}, { cache, time });
    const preview = (sku: string) => time.settle(built.pipeline.preview(cart(sku)));
    for (const sku of ["A", "B", "C", "D"]) await preview(sku);
    assert.equal(cache.size, 3);
    assert.equal((await preview("D")).source, "cache");
    assert.equal((await preview("A")).source, "live", "A was evicted");
    assert.equal(built.dialect.calls.length, 5);
  });

  it("keeps a preview for the TTL plus the stale window, then forgets it", async () => {
    const time = virtualTime();
    const cache = createMemoryStore({ maxEntries: 10, clock: time.clock });
    const built = admission(
      async () => {
        if (built.dialect.calls.length > 1) throw down();
        return ok(previewResult());
      },
      { cacheTtlMs: 5 * MINUTE, staleTtlMs: 10 * MINUTE },
      { cache, time },
    );
    await time.settle(built.pipeline.preview(previewRequest()));
    await time.advance(15 * MINUTE - 1);
    assert.equal((await time.settle(built.pipeline.preview(previewRequest()))).source, "stale");
    await time.advance(1);
    assert.equal(cache.size, 1);
    await assert.rejects(time.settle(built.pipeline.preview(previewRequest())), { status: 503 });
    assert.equal(cache.size, 0, "past the stale window the entry expired");
  });

  it("keeps answering when a shared cache store fails", async () => {
    const broken: KeyValueStore = {
      get: () => Promise.reject(new Error("redis down")),
      set: () => Promise.reject(new Error("redis down")),
      delete: () => Promise.reject(new Error("redis down")),
      putIfAbsent: () => Promise.reject(new Error("redis down")),
      compareAndSet: () => Promise.reject(new Error("redis down")),
    };
    const { preview, events } = setup(counting(), {}, { cache: broken });
    assert.equal((await preview()).source, "live");
    assert.equal(events.filter((e) => e.type === "cache-error").length, 2);
  });

  it("fails closed when a shared rate limiter fails: no call to Amazon, a degraded answer", async () => {
    const broken: RateLimiterStore = {
      reserve: () => Promise.reject(new Error("durable object unreachable")),
      setRate: async () => {},
      drain: async () => {},
    };
    const { preview, dialect } = setup(counting(), { fallbackRates }, { buckets: broken });
    assert.equal((await preview()).source, "fallback");
    assert.equal(dialect.calls.length, 0);
  });

  it("shares the bucket with the order operations of the same guard", async () => {
    // Before: a resilient upstream handed to the preview service shared its bucket (read back through a Symbol).
    // Now there is one guard, built from options resolved once; whatever spends its preview token, the pipeline
    // sees it spent.
    const { guard, dialect, pipeline, time } = setup(counting(), {
      ratePlans: { preview: { ratePerSecond: 1, burst: 1 } },
      policies: { preview: { maxWaitMs: 0 } },
      fallbackRates,
    });
    await time.settle(guard.run("preview", (signal) => dialect.preview(previewRequest(), { signal })));
    const answer = await time.settle(pipeline.preview(previewRequest()));
    assert.equal(answer.source, "fallback", "the token was spent");
    assert.equal(dialect.calls.length, 1);
  });

  it("reports a refused preview as the local quota error when nothing can stand in", async () => {
    const { pipeline, time } = setup(counting(), {
      ratePlans: { preview: { ratePerSecond: 1, burst: 1 } },
      policies: { preview: { maxWaitMs: 0 } },
    });
    await time.settle(pipeline.preview(cart("A")));
    await assert.rejects(time.settle(pipeline.preview(cart("B"))), (error: UpstreamError) => {
      assert.equal(error.status, 0);
      assert.equal(error.errors[0]?.code, RESILIENCE_ERROR_CODES.queueFull);
      return true;
    });
  });
});
