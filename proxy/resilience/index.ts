// Resilience around the upstream: throttling, retries, timeouts, circuit breaking, the preview cache and degraded
// answers. One small module per concern; this file is the public surface.
export { type BackoffOptions, backoffDelay, DEFAULT_BACKOFF } from "./backoff.ts";
export { type BreakerOptions, type BreakerState, DEFAULT_BREAKER } from "./circuit-breaker.ts";
export { type Clock, realSleep, type Sleep, systemClock } from "./clock.ts";
export { isDegradable, RESILIENCE_ERROR_CODES } from "./errors.ts";
export { addBusinessDays, type FallbackRate, fallbackPreview, validateFallbackRates } from "./fallback.ts";
export { DEFAULT_POLICIES, type OperationPolicy, type ResilienceEvent, type ResilienceOptions } from "./options.ts";
export { createMemoryPreviewCache, type PreviewCacheEntry, type PreviewCacheStore } from "./preview-cache.ts";
export { previewKey } from "./preview-key.ts";
export {
  createPreviewService,
  type PreviewCallOptions,
  type PreviewOutcome,
  type PreviewService,
  type PreviewSource,
} from "./preview-service.ts";
export { createMemoryRateLimiterStore, type RateLimiterStore } from "./rate-limiter-store.ts";
export {
  isResilient,
  type ResilientCallOptions,
  type ResilientUpstream,
  withResilience,
} from "./resilient-upstream.ts";
export { AMAZON_RATE_PLANS, type RatePlan } from "./token-bucket.ts";
