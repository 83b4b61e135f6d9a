// createPreviewService: previews from the cache when fresh enough (refreshed in the background once older than
// `refreshAfterMs`), otherwise one coalesced live call per distinct request; when Amazon cannot answer (throttled,
// failing, circuit open) a stale preview or the merchant's fallback rates instead of an error.
import type {
  FulfillmentUpstream,
  GetFulfillmentPreviewRequest,
  GetFulfillmentPreviewResult,
} from "../upstream/types.ts";
import { isDegradable, isQueueFull } from "./errors.ts";
import { fallbackPreview } from "./fallback.ts";
import { type ResilienceOptions, resolveOptions } from "./options.ts";
import { createMemoryPreviewCache, type PreviewCacheEntry } from "./preview-cache.ts";
import { previewKey } from "./preview-key.ts";
import { withResilience } from "./resilient-upstream.ts";
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
  const { clock, cacheTtlMs, refreshAfterMs, refreshMinTokens, staleTtlMs, cacheMaxEntries, fallbackRates, onEvent } =
    resolveOptions(options);
  const resilient = withResilience(upstream, options);
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

  /** One live call per key at a time; its answer is cached for everyone. No caller's signal cancels it. */
  const live = (key: string, request: GetFulfillmentPreviewRequest, background: boolean, signal?: AbortSignal) =>
    flights.run(
      key,
      async () => {
        const { data, meta } = await resilient.getFulfillmentPreview(
          request,
          background ? { maxWaitMs: 0, maxRetries: 0, keepTokens: refreshMinTokens, lowPriority: true } : {},
        );
        const entry: PreviewCacheEntry = { result: data, storedAt: clock.now(), amznRequestId: meta.amznRequestId };
        try {
          await cache.set(key, entry, retainMs);
        } catch (error) {
          onEvent({ type: "cache-error", error });
        }
        return entry;
      },
      signal,
    );

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
