// The stores on Deno KV (`Deno.openKv()`: a local SQLite file, or FoundationDB on Deno Deploy). Put-if-absent,
// compare-and-set and the buckets are optimistic transactions: read the entry, compute (buckets with the pure
// admission/token-bucket.ts math), commit only if its versionstamp is unchanged, retry otherwise. Expiry is checked on
// read, since KV's own `expireIn` only promises deletion some time after.
import { type RankedBucket, reserveFor, want } from "../admission/demand-board.ts";
import { createBucket, drain, reserve, withRate } from "../admission/token-bucket.ts";
import type { RatePlan } from "../fulfillment/model.ts";
import { bundleStores } from "./bundle.ts";
import { withinTimeout } from "./failover.ts";
import type { KeyValueStore, RateLimiterStore, Stores } from "./types.ts";

// The few Deno KV APIs used here, declared locally instead of pulling in Deno's type package.
export type DenoKvKey = readonly string[];
export interface DenoKvEntry<T> {
  value: T | null;
  versionstamp: string | null;
}
export interface DenoKvAtomic {
  check(...checks: { key: DenoKvKey; versionstamp: string | null }[]): DenoKvAtomic;
  set(key: DenoKvKey, value: unknown, options?: { expireIn?: number }): DenoKvAtomic;
  commit(): Promise<{ ok: boolean }>;
}
export interface DenoKv {
  get<T>(key: DenoKvKey): Promise<DenoKvEntry<T>>;
  set(key: DenoKvKey, value: unknown, options?: { expireIn?: number }): Promise<unknown>;
  delete(key: DenoKvKey): Promise<void>;
  atomic(): DenoKvAtomic;
  close?(): void;
}

export interface DenoKvStoreOptions {
  /** Longest wait for any one store call, retries included (default 1 s). */
  timeoutMs?: number;
  /** First element of every key (default "mcf"). */
  prefix?: string;
  now?: () => number;
}

interface Stored {
  json: string;
  expiresAt: number;
}

const BUCKET_IDLE_MARGIN_MS = 60_000;
const expireIn = (ttlMs: number) => Math.max(1, Math.ceil(ttlMs));

/** Retries `attempt` until it commits (returns something other than RETRY); bounded, so a timed-out call stops. */
const RETRY = Symbol("retry");
const MAX_ATTEMPTS = 100;
async function untilCommitted<T>(attempt: () => Promise<T | typeof RETRY>): Promise<T> {
  for (let attempts = 0; attempts < MAX_ATTEMPTS; attempts++) {
    const result = await attempt();
    if (result !== RETRY) return result;
  }
  throw new Error(`Deno KV: no commit after ${MAX_ATTEMPTS} conflicting attempts`);
}

// Processes sharing one local KV file meet SQLite's lock; that passes in milliseconds, so it is retried like a
// conflict (Deno Deploy's KV never answers so).
const BUSY = /database is locked|SQLITE_BUSY/i;
async function retryingBusy<T>(call: () => Promise<T>): Promise<T> {
  for (let attempts = 1; ; attempts++) {
    try {
      return await call();
    } catch (error) {
      if (attempts >= MAX_ATTEMPTS || !(error instanceof Error && BUSY.test(error.message))) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(attempts, 10) * 2));
    }
  }
}

/**
 * Runs `work` after every earlier call on `key` from this process settled. Callers of one process then never
 * conflict with each other on a hot key (a bucket), so optimistic retries are left to conflicts between processes.
 */
function createLanes() {
  const lanes = new Map<string, Promise<unknown>>();
  return <T>(key: string, work: () => Promise<T>): Promise<T> => {
    const run = (lanes.get(key) ?? Promise.resolve()).then(work, work);
    const settled = run.catch(() => {});
    lanes.set(key, settled);
    void settled.then(() => {
      if (lanes.get(key) === settled) lanes.delete(key);
    });
    return run;
  };
}

export function createDenoKvStores(kv: DenoKv, options: DenoKvStoreOptions = {}): Stores {
  const timeoutMs = options.timeoutMs ?? 1_000;
  const prefix = options.prefix ?? "mcf";
  const now = options.now ?? Date.now;
  const within = <R>(call: () => Promise<R>) => withinTimeout(timeoutMs, () => retryingBusy(call));
  const inLane = createLanes();

  const keyValue = (kind: string): KeyValueStore => {
    const full = (key: string): DenoKvKey => [prefix, kind, key];
    const read = async (key: DenoKvKey) => {
      const entry = await kv.get<Stored>(key);
      const live = entry.value !== null && entry.value.expiresAt > now() ? entry.value : undefined;
      return { live, versionstamp: entry.versionstamp };
    };
    const stored = (value: unknown, ttlMs: number): Stored => ({
      json: JSON.stringify(value),
      expiresAt: now() + ttlMs,
    });
    return {
      get: <T>(key: string) =>
        within(async () => {
          const { live } = await read(full(key));
          return live ? (JSON.parse(live.json) as T) : undefined;
        }),
      set: (key, value, ttlMs) =>
        within(async () => {
          await kv.set(full(key), stored(value, ttlMs), { expireIn: expireIn(ttlMs) });
        }),
      delete: (key) => within(() => kv.delete(full(key))),
      putIfAbsent: <T>(key: string, value: T, ttlMs: number) =>
        within(() =>
          untilCommitted<T | undefined>(async () => {
            const { live, versionstamp } = await read(full(key));
            if (live) return JSON.parse(live.json) as T;
            const { ok } = await kv
              .atomic()
              .check({ key: full(key), versionstamp })
              .set(full(key), stored(value, ttlMs), { expireIn: expireIn(ttlMs) })
              .commit();
            return ok ? undefined : RETRY;
          }),
        ),
      compareAndSet: (key, expected, value, ttlMs) =>
        within(() =>
          untilCommitted<boolean>(async () => {
            const { live, versionstamp } = await read(full(key));
            if (!live || live.json !== JSON.stringify(expected)) return false;
            const { ok } = await kv
              .atomic()
              .check({ key: full(key), versionstamp })
              .set(full(key), stored(value, ttlMs), { expireIn: expireIn(ttlMs) })
              .commit();
            return ok || RETRY;
          }),
        ),
    };
  };

  /** Applies `change` to bucket `key` in one optimistic transaction; the bucket expires once it would be full. */
  const updateBucket = <R>(
    key: string,
    plan: RatePlan,
    at: number,
    change: (state: RankedBucket) => [RankedBucket, R],
  ) =>
    within(() =>
      inLane(`buckets:${key}`, () =>
        untilCommitted<R>(async () => {
          const full: DenoKvKey = [prefix, "buckets", key];
          const entry = await kv.get<RankedBucket>(full);
          const [state, result] = change(entry.value ?? createBucket(plan, at));
          const idleMs = Math.ceil(((state.burst - state.tokens) * 1000) / state.ratePerSecond) + BUCKET_IDLE_MARGIN_MS;
          const { ok } = await kv
            .atomic()
            .check({ key: full, versionstamp: entry.versionstamp })
            .set(full, state, { expireIn: idleMs })
            .commit();
          return ok ? result : RETRY;
        }),
      ),
    );
  const buckets: RateLimiterStore = {
    reserve: (key, plan, at, maxWaitMs, keep = 0) =>
      updateBucket(key, plan, at, (state) => {
        const { state: next, reservation } = reserve(state, at, maxWaitMs, keep);
        return [next, reservation];
      }),
    setRate: (key, plan, at, ratePerSecond) =>
      updateBucket(key, plan, at, (state) => [withRate(state, at, ratePerSecond), undefined]),
    drain: (key, plan, at) => updateBucket(key, plan, at, (state) => [drain(state, at), undefined]),
    want: (key, plan, item, change, at, deadline) =>
      updateBucket(key, plan, at, (state) => [want(state, item, change, at, deadline), undefined]),
    reserveFor: (key, plan, item, at, keep = 0) =>
      updateBucket(key, plan, at, (state) => {
        const { state: next, reservation } = reserveFor(state, item, at, keep);
        return [next, reservation];
      }),
  };

  return bundleStores("deno-kv", keyValue, buckets);
}
