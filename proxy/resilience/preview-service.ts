// createPreviewService: previews from the cache when fresh enough (refreshed in the background once older than
// `refreshAfterMs`), otherwise one coalesced live call per distinct request; when Amazon cannot answer (throttled,
// failing, circuit open) a stale preview or the merchant's fallback rates instead of an error.
import type {
  FulfillmentUpstream,
  GetFulfillmentPreviewRequest,
  GetFulfillmentPreviewResult,
} from "../upstream/types.ts";
import { createDemandQueue } from "./demand-queue.ts";
import { isDegradable, isQueueFull, QueueFullError, queueFullError } from "./errors.ts";
import { fallbackPreview } from "./fallback.ts";
import { type ResilienceOptions, resolveOptions } from "./options.ts";
import { createMemoryPreviewCache, type PreviewCacheEntry } from "./preview-cache.ts";
import { previewKey } from "./preview-key.ts";
import { resilienceOptionsOf, withResilience } from "./resilient-upstream.ts";
import { createSingleFlight } from "./single-flight.ts";

/** Where a preview answer came from; surfaced to the element as `source`. */
export type PreviewSource = "live" | "cache" | "stale" | "fallback";

export interface PreviewOutcome {
  /** Shared with the cache: treat as read-only. */
  result: GetFulfillmentPreviewResult;
  source: PreviewSource;
  amznRequestId?: string;
}

export interface PreviewCallOptions {
  /** Stops this caller waiting; a live call other callers share keeps going. */
  signal?: AbortSignal;
  /** Keeps a background refresh alive after the response is sent (Workers' `ctx.waitUntil`). */
  waitUntil?: (promise: Promise<unknown>) => void;
}

export interface PreviewService {
  preview(request: GetFulfillmentPreviewRequest, options?: PreviewCallOptions): Promise<PreviewOutcome>;
}

/** `upstream` may be raw (it is then wrapped with `withResilience(upstream, options)`) or already resilient. */
export function createPreviewService(upstream: FulfillmentUpstream, options: ResilienceOptions = {}): PreviewService {
  const {
    clock,
    sleep,
    cacheTtlMs,
    refreshAfterMs,
    refreshMinTokens,
    staleTtlMs,
    cacheMaxEntries,
    fallbackRates,
    onEvent,
  } = resolveOptions(options);
  const resilient = withResilience(upstream, options);
  // The wrapped upstream's plan and wait bound govern the queue (it may have been built with its own options).
  const throttle = resilienceOptionsOf(resilient);
  const { maxWaitMs } = throttle.policies.getFulfillmentPreview;
  const queue = createDemandQueue({
    clock,
    sleep,
    tokenIntervalMs: () => 1000 / throttle.ratePlans.getFulfillmentPreview.ratePerSecond,
    expired: () => queueFullError("getFulfillmentPreview", maxWaitMs, maxWaitMs),
  });
  const cache = options.stores?.previewCache ?? createMemoryPreviewCache({ maxEntries: cacheMaxEntries, clock });
  const flights = createSingleFlight<PreviewCacheEntry>();
  const retainMs = cacheTtlMs + staleTtlMs;

  const cached = async (key: string) => {
    try {
      return await cache.get(key);
    } catch (error) {
      onEvent({ type: "cache-error", error });
      return undefined;
    }
  };

  const store = async (key: string, data: GetFulfillmentPreviewResult, amznRequestId: string | undefined) => {
    const entry: PreviewCacheEntry = { result: data, storedAt: clock.now(), amznRequestId };
    try {
      await cache.set(key, entry, retainMs);
    } catch (error) {
      onEvent({ type: "cache-error", error });
    }
    return entry;
  };

  const rejected = (waitMs: number) =>
    onEvent({ type: "rejected", operation: "getFulfillmentPreview", reason: "queue-full", waitMs });

  /**
   * A shopper's live call. It takes a token at once if one is free and nobody is waiting; otherwise it waits in the
   * demand queue (the request most shoppers wait for goes first) until its turn, or until the last of its shoppers'
   * wait bounds has passed.
   */
  const shopperCall = async (key: string, request: GetFulfillmentPreviewRequest, deadline: number) => {
    queue.track(key, deadline);
    try {
      let queued = queue.size > 0;
      if (queued) {
        // Others are waiting: a newcomer queues behind them instead of taking the token their turn is for.
        onEvent({ type: "queued", operation: "getFulfillmentPreview", waitMs: 0 });
        await queue.wait(key, Number.POSITIVE_INFINITY);
      }
      for (;;) {
        try {
          const { data, meta } = await resilient.getFulfillmentPreview(request, {
            admissionWaitMs: 0,
            lowPriority: true,
          });
          return await store(key, data, meta.amznRequestId);
        } catch (error) {
          if (!(error instanceof QueueFullError)) throw error;
          if (clock.now() + error.waitMs > queue.deadlineOf(key)) {
            rejected(error.waitMs);
            throw error;
          }
          if (!queued) onEvent({ type: "queued", operation: "getFulfillmentPreview", waitMs: error.waitMs });
          queued = true;
          await queue.wait(key, error.waitMs);
        }
      }
    } finally {
      queue.untrack(key);
    }
  };

  /** A shopper stops waiting at its own bound while the call is still queued (it then degrades); others wait on. */
  const withinBound = async <T>(key: string, flight: Promise<T>, deadline: number): Promise<T> => {
    const timer = new AbortController();
    const expiry = sleep(Math.max(0, deadline - clock.now()), timer.signal).then(
      () => {
        if (!queue.isWaiting(key)) return flight;
        rejected(maxWaitMs);
        throw queueFullError("getFulfillmentPreview", maxWaitMs, maxWaitMs);
      },
      () => flight,
    );
    try {
      return await Promise.race([flight, expiry]);
    } finally {
      timer.abort();
    }
  };

  /** A stale-while-revalidate refresh: never queues, and only spends spare tokens. */
  const backgroundCall = async (key: string, request: GetFulfillmentPreviewRequest) => {
    const { data, meta } = await resilient.getFulfillmentPreview(request, {
      maxWaitMs: 0,
      maxRetries: 0,
      keepTokens: refreshMinTokens,
      lowPriority: true,
    });
    return store(key, data, meta.amznRequestId);
  };

  /** One live call per key at a time; its answer is cached for everyone. No caller's signal cancels it. */
  const live = (key: string, request: GetFulfillmentPreviewRequest, background: boolean, signal?: AbortSignal) => {
    if (background) return flights.run(key, () => backgroundCall(key, request), signal);
    const deadline = clock.now() + maxWaitMs;
    queue.join(key, deadline);
    return withinBound(
      key,
      flights.run(key, () => shopperCall(key, request, deadline), signal),
      deadline,
    );
  };

  const answer = (entry: PreviewCacheEntry, source: PreviewSource, coalesced = false): PreviewOutcome => {
    onEvent({ type: "preview", source, coalesced });
    return entry.amznRequestId === undefined
      ? { result: entry.result, source }
      : { result: entry.result, source, amznRequestId: entry.amznRequestId };
  };

  return {
    async preview(request, callOptions = {}) {
      const { signal } = callOptions;
      const key = previewKey(request);
      const entry = await cached(key);
      const age = entry ? clock.now() - entry.storedAt : Number.POSITIVE_INFINITY;
      if (entry && age < cacheTtlMs) {
        if (age >= refreshAfterMs) {
          // Stale-while-revalidate; a refresh never queues and only spends spare tokens, so it never delays shoppers.
          const refresh = live(key, request, true).catch((error: unknown) =>
            onEvent(isQueueFull(error) ? { type: "refresh-skipped" } : { type: "revalidate-failed", error }),
          );
          callOptions.waitUntil?.(refresh);
        }
        return answer(entry, "cache");
      }
      try {
        const { value, shared } = await live(key, request, false, signal);
        return answer(value, "live", shared);
      } catch (error) {
        if (signal?.aborted || !isDegradable(error)) throw error;
        if (entry && age < retainMs) return answer(entry, "stale");
        const fallback = fallbackPreview(request, fallbackRates, clock.now());
        if (fallback) return answer({ result: fallback, storedAt: clock.now() }, "fallback");
        throw error;
      }
    },
  };
}
