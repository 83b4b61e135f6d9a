// Every knob of admission (throttling, retries, timeouts, circuit breaking) and of the preview pipeline, its
// default, and its validation: resolved once per app; a bad value names the option.
import type { Operation, RatePlan } from "../fulfillment/model.ts";
import { OPERATIONS } from "../fulfillment/model.ts";
import { type FallbackRate, validateFallbackRates } from "../previews/fallback.ts";
import { type Clock, realSleep, type Sleep, systemClock } from "../shared/clock.ts";
import { InvalidSettings, problemCollector } from "../shared/invalid.ts";
import { type BackoffOptions, DEFAULT_BACKOFF } from "./backoff.ts";
import { type BreakerOptions, DEFAULT_BREAKER } from "./circuit-breaker.ts";
import { ratePlanProblems } from "./token-bucket.ts";

/** How one operation waits for a token, retries and times out. */
export interface OperationPolicy {
  /** Longest wait for a rate-limit token before failing fast (queue bound). */
  maxWaitMs: number;
  /** Retries after a retryable failure (429, 5xx, no answer), each after a jittered backoff and a fresh token. */
  maxRetries: number;
  /** Longest wait for Amazon's answer to one attempt: the one timeout of each attempt. */
  timeoutMs: number;
}

const ORDER_POLICY: OperationPolicy = { maxWaitMs: 30_000, maxRetries: 5, timeoutMs: 10_000 };
const READ_POLICY: OperationPolicy = { maxWaitMs: 5_000, maxRetries: 2, timeoutMs: 5_000 };

/** Previews are answered within a shopper's patience (degraded answers cover the rest); orders wait and retry. */
export const DEFAULT_POLICIES: Readonly<Record<Operation, OperationPolicy>> = {
  preview: { maxWaitMs: 2_000, maxRetries: 1, timeoutMs: 2_500 },
  createOrder: ORDER_POLICY,
  updateOrder: ORDER_POLICY,
  cancelOrder: ORDER_POLICY,
  getOrder: READ_POLICY,
  getTracking: READ_POLICY,
};

export type ResilienceEvent =
  | { type: "queued"; operation: Operation; waitMs: number }
  | {
      type: "rejected";
      operation: Operation;
      reason: "queue-full" | "circuit-open";
      waitMs: number;
      /** Where a preview gave up: its token was due too late, its wait expired in the queue, one shopper's bound passed, or another instance's call did not answer in time. */
      stage?: "admission" | "expired" | "bound" | "other-instance";
    }
  | { type: "retry"; operation: Operation; attempt: number; delayMs: number; status: number }
  | { type: "throttled"; operation: Operation }
  | { type: "rate-adapted"; operation: Operation; ratePerSecond: number }
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
  /** Per-attempt timeout of every operation without its own `policies.*.timeoutMs`; previews use at most their 2.5 s. */
  upstreamTimeoutMs?: number;
  /** The merchant's rate table, answered as `fallback` when Amazon cannot answer and nothing is cached. */
  fallbackRates?: FallbackRate[];
  /** Usage plans per operation (default: the dialect's). Adapted at run time to x-amzn-RateLimit-Limit. */
  ratePlans?: Partial<Record<Operation, RatePlan>>;
  /**
   * Tokens of each burst left unused (default 2): requests leave on our schedule but reach Amazon with network
   * jitter, and spare tokens in Amazon's bucket absorb it (2 tokens ≈ 1 s at 2 req/s) instead of a 429.
   */
  burstHeadroom?: number;
  policies?: Partial<Record<Operation, Partial<OperationPolicy>>>;
  backoff?: Partial<Omit<BackoffOptions, "random">>;
  breaker?: Partial<BreakerOptions>;
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
  fallbackRates: FallbackRate[];
  ratePlans: Record<Operation, RatePlan>;
  policies: Record<Operation, OperationPolicy>;
  backoff: Omit<BackoffOptions, "random">;
  breaker: BreakerOptions;
  onEvent: (event: ResilienceEvent) => void;
}

/**
 * Resolves every option against its default and the dialect's usage plans; throws InvalidSettings naming each bad
 * option (`resilience.<name>`).
 */
export function resolveOptions(
  options: ResilienceOptions,
  dialectPlans: Readonly<Record<Operation, RatePlan>>,
): ResolvedOptions {
  const bad = problemCollector("resilience");
  const duration = (value: number | undefined, fallback: number, name: string): number => {
    if (value === undefined) return fallback;
    if (Number.isFinite(value) && value >= 0) return value;
    bad.add(name, `must be a non-negative number of ms, got ${value}`);
    return fallback;
  };
  const count = (value: number | undefined, fallback: number, name: string, min: number): number => {
    if (value === undefined) return fallback;
    if (Number.isInteger(value) && value >= min) return value;
    bad.add(name, `must be an integer ≥ ${min}, got ${value}`);
    return fallback;
  };

  const cacheTtlMs = duration(options.cacheTtlMs, 5 * 60_000, "cacheTtlMs");
  const refreshAfterMs = duration(options.refreshAfterMs, cacheTtlMs / 2, "refreshAfterMs");
  if (refreshAfterMs > cacheTtlMs) bad.add("refreshAfterMs", "must not exceed resilience.cacheTtlMs");
  const headroom = count(options.burstHeadroom, 2, "burstHeadroom", 0);
  const upstreamTimeoutMs = duration(options.upstreamTimeoutMs, Number.POSITIVE_INFINITY, "upstreamTimeoutMs");
  const ratePlans = { ...dialectPlans };
  const policies = { ...DEFAULT_POLICIES };
  for (const operation of OPERATIONS) {
    const plan = { ...dialectPlans[operation], ...options.ratePlans?.[operation] };
    for (const problem of ratePlanProblems(plan)) bad.add(`ratePlans.${operation}.${problem.path}`, problem.message);
    ratePlans[operation] = { ratePerSecond: plan.ratePerSecond, burst: Math.max(1, plan.burst - headroom) };
    const policy = { ...DEFAULT_POLICIES[operation], ...options.policies?.[operation] };
    const own = options.policies?.[operation]?.timeoutMs;
    // An operation's own timeout wins; else `upstreamTimeoutMs`, which can shorten a preview's but not lengthen
    // it (a slow preview degrades instead); else the default.
    const timeoutMs =
      own !== undefined
        ? duration(own, 0, `policies.${operation}.timeoutMs`)
        : upstreamTimeoutMs === Number.POSITIVE_INFINITY
          ? DEFAULT_POLICIES[operation].timeoutMs
          : operation === "preview"
            ? Math.min(DEFAULT_POLICIES[operation].timeoutMs, upstreamTimeoutMs)
            : upstreamTimeoutMs;
    policies[operation] = {
      maxWaitMs: duration(policy.maxWaitMs, 0, `policies.${operation}.maxWaitMs`),
      maxRetries: count(policy.maxRetries, 0, `policies.${operation}.maxRetries`, 0),
      timeoutMs,
    };
  }
  const backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
  duration(backoff.baseMs, 0, "backoff.baseMs");
  duration(backoff.maxMs, 0, "backoff.maxMs");
  const breaker = { ...DEFAULT_BREAKER, ...options.breaker };
  count(breaker.failureThreshold, 0, "breaker.failureThreshold", 1);
  count(breaker.halfOpenProbes, 0, "breaker.halfOpenProbes", 1);
  duration(breaker.openMs, 0, "breaker.openMs");
  let fallbackRates: FallbackRate[] = [];
  try {
    fallbackRates = validateFallbackRates(options.fallbackRates ?? [], "resilience.fallbackRates");
  } catch (error) {
    if (!(error instanceof InvalidSettings)) throw error;
    bad.problems.push(...error.problems);
  }
  const refreshMinTokens = count(
    options.refreshMinTokens,
    Math.floor(ratePlans.preview.burst / 2),
    "refreshMinTokens",
    0,
  );
  const staleTtlMs = duration(options.staleTtlMs, 60 * 60_000, "staleTtlMs");
  bad.done("Invalid resilience options");
  return {
    clock: options.clock ?? systemClock,
    sleep: options.sleep ?? realSleep,
    random: options.random ?? Math.random,
    cacheTtlMs,
    refreshAfterMs,
    refreshMinTokens,
    staleTtlMs,
    fallbackRates,
    ratePlans,
    policies,
    backoff,
    breaker,
    onEvent: options.onEvent ?? (() => {}),
  };
}
