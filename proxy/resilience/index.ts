// Resilience around the upstream: throttling, retries, circuit breaking, the preview cache and degraded answers.
// PLACEHOLDER until issue 8 lands: pass-through implementations with the final shapes, so routes can code against them.
import type {
  FulfillmentUpstream,
  GetFulfillmentPreviewRequest,
  GetFulfillmentPreviewResult,
} from "../upstream/types.ts";

export interface Clock {
  now(): number;
}

/** Where a preview answer came from; surfaced to the element as `source`. */
export type PreviewSource = "live" | "cache" | "stale" | "fallback";

export interface PreviewOutcome {
  result: GetFulfillmentPreviewResult;
  source: PreviewSource;
  amznRequestId?: string;
}

/** The merchant's fallback rate table, used when Amazon cannot answer. Amounts are decimal strings. */
export interface FallbackRate {
  speed: "Standard" | "Expedited" | "Priority";
  amount: string;
  currency: string;
  /** Business days from order to ship and to arrival. */
  shipDays: number;
  arrivalDays: number;
  countries?: string[];
}

export interface ResilienceOptions {
  clock?: Clock;
  cacheTtlMs?: number;
  staleTtlMs?: number;
  cacheMaxEntries?: number;
  upstreamTimeoutMs?: number;
  fallbackRates?: FallbackRate[];
}

export interface PreviewService {
  preview(request: GetFulfillmentPreviewRequest, options?: { signal?: AbortSignal }): Promise<PreviewOutcome>;
}

/** Wraps an upstream with throttling, retry and a circuit breaker. Placeholder: returns it unchanged. */
export function withResilience(upstream: FulfillmentUpstream, _options: ResilienceOptions = {}): FulfillmentUpstream {
  return upstream;
}

/** Cached, coalesced previews with degraded answers. Placeholder: always live. */
export function createPreviewService(upstream: FulfillmentUpstream, _options: ResilienceOptions = {}): PreviewService {
  return {
    async preview(request, options) {
      const { data, meta } = await upstream.getFulfillmentPreview(request, options);
      return { result: data, source: "live", amznRequestId: meta.amznRequestId };
    },
  };
}
