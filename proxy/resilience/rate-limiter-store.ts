// Where bucket state lives. The in-memory store is per isolate; a shared store (Durable Object, Redis) implements
// the same three calls atomically so every instance of the proxy draws from one bucket per operation.
import {
  type BucketState,
  createBucket,
  drain,
  type RatePlan,
  type Reservation,
  reserve,
  withRate,
} from "./token-bucket.ts";

export interface RateLimiterStore {
  /**
   * Atomically reserves one token of bucket `key` (created from `plan` on first use), leaving at least `keep`
   * tokens (default 0); see `reserve()` in token-bucket.ts.
   */
  reserve(
    key: string,
    plan: RatePlan,
    now: number,
    maxWaitMs: number,
    keep?: number,
  ): Promise<Reservation> | Reservation;
  /** Sets the refill rate of bucket `key` (Amazon reported a different rate). */
  setRate(key: string, plan: RatePlan, now: number, ratePerSecond: number): Promise<void> | void;
  /** Empties bucket `key` (Amazon answered 429). */
  drain(key: string, plan: RatePlan, now: number): Promise<void> | void;
}

export function createMemoryRateLimiterStore(): RateLimiterStore {
  const buckets = new Map<string, BucketState>();
  const bucket = (key: string, plan: RatePlan, now: number) => buckets.get(key) ?? createBucket(plan, now);
  return {
    reserve(key, plan, now, maxWaitMs, keep = 0) {
      const { state, reservation } = reserve(bucket(key, plan, now), now, maxWaitMs, keep);
      buckets.set(key, state);
      return reservation;
    },
    setRate(key, plan, now, ratePerSecond) {
      buckets.set(key, withRate(bucket(key, plan, now), now, ratePerSecond));
    },
    drain(key, plan, now) {
      buckets.set(key, drain(bucket(key, plan, now), now));
    },
  };
}
