// Every knob of the resilience layer, its default, and its validation (a bad value names the option).
import type { UpstreamOperation } from "../upstream/types.ts";
import { type BackoffOptions, DEFAULT_BACKOFF } from "./backoff.ts";
import { type BreakerOptions, DEFAULT_BREAKER } from "./circuit-breaker.ts";
import { type Clock, realSleep, type Sleep, systemClock } from "./clock.ts";
import { type FallbackRate, validateFallbackRates } from "./fallback.ts";
import type { PreviewCacheStore } from "./preview-cache.ts";
import type { RateLimiterStore } from "./rate-limiter-store.ts";
import { AMAZON_RATE_PLANS, type RatePlan, validateRatePlan } from "./token-bucket.ts";

/** How one operation waits for a token, retries and times out. */
export interface OperationPolicy {
  /** Longest wait for a rate-limit token before failing fast (queue bound). */
  maxWaitMs: number;
  /** Retries after a retryable failure (429, 5xx, no answer), each after a jittered backoff and a fresh token. */
  maxRetries: number;
  /** Longest wait for Amazon's answer to one attempt. */
  timeoutMs: number;
}

const ORDER_POLICY: OperationPolicy = { maxWaitMs: 30_000, maxRetries: 5, timeoutMs: 10_000 };
const READ_POLICY: OperationPolicy = { maxWaitMs: 5_000, maxRetries: 2, timeoutMs: 5_000 };

/** Previews are answered within a shopper's patience (degraded answers cover the rest); orders wait and retry. */
export const DEFAULT_POLICIES: Readonly<Record<UpstreamOperation, OperationPolicy>> = {
  getFulfillmentPreview: { maxWaitMs: 2_000, maxRetries: 1, timeoutMs: 2_500 },
  createFulfillmentOrder: ORDER_POLICY,
  updateFulfillmentOrder: ORDER_POLICY,
  cancelFulfillmentOrder: ORDER_POLICY,
  getFulfillmentOrder: READ_POLICY,
  getPackageTrackingDetails: READ_POLICY,
};

export type ResilienceEvent =
  | { type: "queued"; operation: UpstreamOperation; waitMs: number }
  | { type: "rejected"; operation: UpstreamOperation; reason: "queue-full" | "circuit-open"; waitMs: number }
  | { type: "retry"; operation: UpstreamOperation; attempt: number; delayMs: number; status: number }
  | { type: "throttled"; operation: UpstreamOperation }
  | { type: "rate-adapted"; operation: UpstreamOperation; ratePerSecond: number }
  | { type: "circuit"; state: "open" | "half-open" | "closed" }
  | { type: "preview"; source: "live" | "cache" | "stale" | "fallback"; coalesced: boolean }
  | { type: "refresh-skipped" }
  | { type: "revalidate-failed"; error: unknown }
  | { type: "cache-error"; error: unknown };

export interface ResilienceOptions {
  clock?: Clock;
  /** Injectable wait (tests pass a fake that advances a fake clock). */
  sleep?: Sleep;
  /** Injectable randomness for backoff jitter, in [0, 1). */
  random?: () => number;
  /** Age until which a cached preview is served as `cache` (default 5 min). */
  cacheTtlMs?: number;
  /** Age after which a `cache` answer also triggers a background refresh (stale-while-revalidate; default TTL / 2). */
  refreshAfterMs?: number;
  /**
   * Background refreshes run only when the preview bucket keeps at least this many tokens after theirs (default:
   * half the burst), so in a rush every token goes to shoppers whose cart is not cached at all.
   */
  refreshMinTokens?: number;
  /** How long past `cacheTtlMs` a preview may still be served as `stale` when Amazon cannot answer (default 1 h). */
  staleTtlMs?: number;
  /** LRU bound of the in-memory preview cache (default 1000 entries; 0 disables caching). */
  cacheMaxEntries?: number;
  /** Per-attempt timeout of every operation without its own `policies.*.timeoutMs`; previews use at most their 2.5 s. */
  upstreamTimeoutMs?: number;
  /** The merchant's rate table, answered as `fallback` when Amazon cannot answer and nothing is cached. */
  fallbackRates?: FallbackRate[];
  /** Usage plans per operation (default: Amazon's, 2 req/s burst 30). Adapted at run time to x-amzn-RateLimit-Limit. */
  ratePlans?: Partial<Record<UpstreamOperation, RatePlan>>;
  /**
   * Tokens of each burst left unused (default 2): requests leave on our schedule but reach Amazon with network
   * jitter, and spare tokens in Amazon's bucket absorb it (2 tokens ≈ 1 s at 2 req/s) instead of a 429.
   */
  burstHeadroom?: number;
  policies?: Partial<Record<UpstreamOperation, Partial<OperationPolicy>>>;
  backoff?: Partial<Omit<BackoffOptions, "random">>;
  breaker?: Partial<BreakerOptions>;
  /** Where buckets and cached previews live; default in-memory (per isolate). */
  stores?: { previewCache?: PreviewCacheStore; rateLimiter?: RateLimiterStore };
  /** Prefix of rate-limiter keys, e.g. the seller id when several sellers share one store. */
  rateLimitKeyPrefix?: string;
  onEvent?: (event: ResilienceEvent) => void;
}

export interface ResolvedOptions {
  clock: Clock;
  sleep: Sleep;
  random: () => number;
  cacheTtlMs: number;
  refreshAfterMs: number;
  refreshMinTokens: number;
  staleTtlMs: number;
  cacheMaxEntries: number;
  fallbackRates: FallbackRate[];
  ratePlans: Record<UpstreamOperation, RatePlan>;
  policies: Record<UpstreamOperation, OperationPolicy>;
  backoff: Omit<BackoffOptions, "random">;
  breaker: BreakerOptions;
  rateLimitKeyPrefix: string;
  onEvent: (event: ResilienceEvent) => void;
}

function duration(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!(Number.isFinite(value) && value >= 0))
    throw new RangeError(`resilience.${name} must be a non-negative number of ms, got ${value}`);
  return value;
}

function count(value: number | undefined, fallback: number, name: string, min: number): number {
  if (value === undefined) return fallback;
  if (!(Number.isInteger(value) && value >= min))
    throw new RangeError(`resilience.${name} must be an integer ≥ ${min}, got ${value}`);
  return value;
}

const OPERATIONS = Object.keys(AMAZON_RATE_PLANS) as UpstreamOperation[];

/**
 * An operation's own timeout wins; else `upstreamTimeoutMs`; else the default. Previews answer a waiting shopper,
 * so `upstreamTimeoutMs` can shorten their default but not lengthen it (a slow preview degrades instead).
 */
function timeoutOf(operation: UpstreamOperation, own: number | undefined, upstreamTimeoutMs: number, name: string) {
  if (own !== undefined) return duration(own, 0, `${name}.timeoutMs`);
  const fallback = DEFAULT_POLICIES[operation].timeoutMs;
  if (upstreamTimeoutMs === Number.POSITIVE_INFINITY) return fallback;
  return operation === "getFulfillmentPreview" ? Math.min(fallback, upstreamTimeoutMs) : upstreamTimeoutMs;
}

export function resolveOptions(options: ResilienceOptions): ResolvedOptions {
  const cacheTtlMs = duration(options.cacheTtlMs, 5 * 60_000, "cacheTtlMs");
  const refreshAfterMs = duration(options.refreshAfterMs, cacheTtlMs / 2, "refreshAfterMs");
  if (refreshAfterMs > cacheTtlMs)
    throw new RangeError("resilience.refreshAfterMs must not exceed resilience.cacheTtlMs");
  const ratePlans = { ...AMAZON_RATE_PLANS };
  const policies = { ...DEFAULT_POLICIES };
  const headroom = count(options.burstHeadroom, 2, "burstHeadroom", 0);
  const upstreamTimeoutMs = duration(options.upstreamTimeoutMs, Number.POSITIVE_INFINITY, "upstreamTimeoutMs");
  for (const operation of OPERATIONS) {
    const plan = validateRatePlan(
      { ...AMAZON_RATE_PLANS[operation], ...options.ratePlans?.[operation] },
      `resilience.ratePlans.${operation}`,
    );
    ratePlans[operation] = { ratePerSecond: plan.ratePerSecond, burst: Math.max(1, plan.burst - headroom) };
    const policy = { ...DEFAULT_POLICIES[operation], ...options.policies?.[operation] };
    const name = `policies.${operation}`;
    policies[operation] = {
      maxWaitMs: duration(policy.maxWaitMs, 0, `${name}.maxWaitMs`),
      maxRetries: count(policy.maxRetries, 0, `${name}.maxRetries`, 0),
      timeoutMs: timeoutOf(operation, options.policies?.[operation]?.timeoutMs, upstreamTimeoutMs, name),
    };
  }
  const backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
  duration(backoff.baseMs, 0, "backoff.baseMs");
  duration(backoff.maxMs, 0, "backoff.maxMs");
  const breaker = { ...DEFAULT_BREAKER, ...options.breaker };
  count(breaker.failureThreshold, 0, "breaker.failureThreshold", 1);
  count(breaker.halfOpenProbes, 0, "breaker.halfOpenProbes", 1);
  duration(breaker.openMs, 0, "breaker.openMs");
  return {
    clock: options.clock ?? systemClock,
    sleep: options.sleep ?? realSleep,
    random: options.random ?? Math.random,
    cacheTtlMs,
    refreshAfterMs,
    refreshMinTokens: count(
      options.refreshMinTokens,
      Math.floor(ratePlans.getFulfillmentPreview.burst / 2),
      "refreshMinTokens",
      0,
    ),
    staleTtlMs: duration(options.staleTtlMs, 60 * 60_000, "staleTtlMs"),
    cacheMaxEntries: count(options.cacheMaxEntries, 1000, "cacheMaxEntries", 0),
    fallbackRates: validateFallbackRates(options.fallbackRates ?? [], "resilience.fallbackRates"),
    ratePlans,
    policies,
    backoff,
    breaker,
    rateLimitKeyPrefix: options.rateLimitKeyPrefix ?? "",
    onEvent: options.onEvent ?? (() => {}),
  };
}
