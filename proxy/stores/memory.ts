// The in-memory stores of one process: each an LRU bounded by entry count with per-entry expiry, so a flood of
// distinct carts or keys cannot grow memory. Values are kept as given: callers treat what they read as read-only.
import { type RankedBucket, reserveFor, want } from "../admission/demand-board.ts";
import { createBucket, drain, type RatePlan, reserve, withRate } from "../admission/token-bucket.ts";
import { type Clock, systemClock } from "../shared/clock.ts";
import { createLru } from "../shared/lru.ts";
import type { KeyValueStore, RateLimiterStore, Stores } from "./types.ts";

export interface MemoryKeyValueStore extends KeyValueStore {
  readonly size: number;
}

export function createMemoryStore(options: { maxEntries: number; clock?: Clock }): MemoryKeyValueStore {
  const entries = createLru<unknown>(options.maxEntries, options.clock ?? systemClock);
  return {
    get size() {
      return entries.size;
    },
    async get<T>(key: string) {
      return entries.get(key) as T | undefined;
    },
    async set(key, value, ttlMs) {
      entries.set(key, value, ttlMs);
    },
    async delete(key) {
      entries.delete(key);
    },
    async putIfAbsent<T>(key: string, value: T, ttlMs: number) {
      const found = entries.get(key);
      if (found !== undefined) return found as T;
      entries.set(key, value, ttlMs);
      return undefined;
    },
    async compareAndSet(key, expected, value, ttlMs) {
      const found = entries.get(key);
      if (found === undefined || JSON.stringify(found) !== JSON.stringify(expected)) return false;
      entries.set(key, value, ttlMs);
      return true;
    },
  };
}

export function createMemoryRateLimiterStore(options: { maxEntries?: number } = {}): Required<RateLimiterStore> {
  // A bucket left alone refills to full, which is what a new one starts with: evicting the oldest loses nothing.
  const buckets = createLru<RankedBucket>(options.maxEntries ?? 10_000);
  const bucket = (key: string, plan: RatePlan, now: number): RankedBucket =>
    buckets.get(key) ?? createBucket(plan, now);
  return {
    async reserve(key, plan, now, maxWaitMs, keep = 0) {
      const { state, reservation } = reserve(bucket(key, plan, now), now, maxWaitMs, keep);
      buckets.set(key, state);
      return reservation;
    },
    async setRate(key, plan, now, ratePerSecond) {
      buckets.set(key, withRate(bucket(key, plan, now), now, ratePerSecond));
    },
    async drain(key, plan, now) {
      buckets.set(key, drain(bucket(key, plan, now), now));
    },
    async want(key, plan, item, change, now, deadline) {
      buckets.set(key, want(bucket(key, plan, now), item, change, now, deadline));
    },
    async reserveFor(key, plan, item, now, keep = 0) {
      const { state, reservation } = reserveFor(bucket(key, plan, now), item, now, keep);
      buckets.set(key, state);
      return reservation;
    },
  };
}

export interface MemoryStoreBounds {
  previews?: number;
  answers?: number;
  idempotency?: number;
  quotes?: number;
  tokens?: number;
}

/** One process's stores; bounds per kind (entries). */
export function createMemoryStores(options: { clock?: Clock; bounds?: MemoryStoreBounds } = {}): Stores {
  const { clock, bounds = {} } = options;
  const store = (maxEntries: number) => createMemoryStore({ maxEntries, ...(clock ? { clock } : {}) });
  return {
    engine: "memory",
    previews: store(bounds.previews ?? 5_000),
    answers: store(bounds.answers ?? 256),
    idempotency: store(bounds.idempotency ?? 10_000),
    quotes: store(bounds.quotes ?? 4_096),
    tokens: store(bounds.tokens ?? 1_000),
    buckets: createMemoryRateLimiterStore(),
  };
}
