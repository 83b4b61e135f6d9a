// Everything that outlives a request sits behind these interfaces: cached previews, signed answers, idempotency
// records, presented quotes, LWA tokens and token buckets. In-memory for one process (memory.ts); Redis, Durable
// Objects and Deno KV implement the same calls so a fleet shares one state. Values are plain JSON.
import type { RankedReservation } from "../admission/demand-board.ts";
import type { RatePlan } from "../fulfillment/model.ts";

export type { RankedReservation };

/** A key-value store with expiry. Every key is built by `merchantKey` (stores/keys.ts), so it names its merchant. */
export interface KeyValueStore {
  get<T>(key: string): Promise<T | undefined>;
  /** Keeps `value` for at most `ttlMs` (an engine may drop it sooner under memory pressure). */
  set<T>(key: string, value: T, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Atomically stores `value` unless the key holds a live value: returns that value, or undefined once stored. */
  putIfAbsent<T>(key: string, value: T, ttlMs: number): Promise<T | undefined>;
  /**
   * Atomically replaces the value with `value` only while the key still holds `expected` (a value read from this
   * store; compared as JSON). Returns whether it replaced it.
   */
  compareAndSet<T>(key: string, expected: T, value: T, ttlMs: number): Promise<boolean>;
}

/** Outcome of asking a bucket for one token. */
export interface Reservation {
  granted: boolean;
  /** How long the caller must wait before calling (granted), or would have had to wait (refused). */
  waitMs: number;
}

/** Token buckets, one per merchant and operation; each call is atomic on the engine. See fulfillment/token-bucket.ts. */
export interface RateLimiterStore {
  /**
   * Reserves one token of bucket `key` (created full from `plan` on first use), now or up to `maxWaitMs` ahead, leaving
   * at least `keep` tokens. Refused (nothing taken) when the wait would be longer.
   */
  reserve(key: string, plan: RatePlan, now: number, maxWaitMs: number, keep?: number): Promise<Reservation>;
  /** Adopts the refill rate Amazon reported (x-amzn-RateLimit-Limit). */
  setRate(key: string, plan: RatePlan, now: number, ratePerSecond: number): Promise<void>;
  /** Empties the bucket: Amazon answered 429, so someone else shares it. */
  drain(key: string, plan: RatePlan, now: number): Promise<void>;
  /**
   * The fleet-wide demand queue on bucket `key` (admission/demand-board.ts): `item` gains `change` waiting callers
   * (negative: they left), the latest of whom waits until `deadline`. Every engine has it; a
   * store without it (a test double) leaves the ranking to each instance.
   */
  want?(key: string, plan: RatePlan, item: string, change: number, now: number, deadline: number): Promise<void>;
  /** One token now for `item` if the bucket covers it and every waiting item ranked ahead of it, leaving `keep`. */
  reserveFor?(key: string, plan: RatePlan, item: string, now: number, keep?: number): Promise<RankedReservation>;
}

/** The proxy's state, one store per kind (each may have its own bound and engine). */
export interface Stores {
  /** Cached previews (fulfillment model), kept for the cache TTL plus the stale window. */
  previews: KeyValueStore;
  /** Signed delivery-options answers reused for a few seconds. */
  answers: KeyValueStore;
  /** Idempotency-Key records: in-flight markers, then the stored answer for 24 h. */
  idempotency: KeyValueStore;
  /** Ids of quotes presented for an order (a reused answer stops being handed out once one is ordered). */
  quotes: KeyValueStore;
  /** LWA access tokens and the short memory of rejected credentials. */
  tokens: KeyValueStore;
  buckets: RateLimiterStore;
  /** Which engine: "memory", "redis", "durable-objects", "deno-kv". */
  readonly engine: string;
}
