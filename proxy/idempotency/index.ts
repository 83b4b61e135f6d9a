// Idempotency-Key storage behind a small interface, so KV, a Durable Object or Redis can replace the in-memory
// default without touching the routes.
import type { Clock } from "../resilience/index.ts";

export interface IdempotencyRecord {
  /** Digest of the request body the key was first used with. */
  bodyDigest: string;
  status: number;
  body: unknown;
}

export interface IdempotencyStore {
  get(key: string): Promise<IdempotencyRecord | undefined>;
  /** Keeps the record for ttlMs. */
  set(key: string, record: IdempotencyRecord, ttlMs: number): Promise<void>;
}

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/** In-process store with expiry and a size bound (oldest entries go first). */
export function memoryIdempotencyStore(options: { clock?: Clock; maxEntries?: number } = {}): IdempotencyStore {
  const clock = options.clock ?? { now: () => Date.now() };
  const maxEntries = options.maxEntries ?? 10_000;
  const entries = new Map<string, { record: IdempotencyRecord; expiresAt: number }>();
  return {
    async get(key) {
      const entry = entries.get(key);
      if (entry && entry.expiresAt <= clock.now()) entries.delete(key);
      return entry && entry.expiresAt > clock.now() ? entry.record : undefined;
    },
    async set(key, record, ttlMs) {
      entries.delete(key);
      entries.set(key, { record, expiresAt: clock.now() + ttlMs });
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
    },
  };
}
