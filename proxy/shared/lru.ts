// A bounded map with per-entry expiry, least recently used first out: the one in-process cache every in-memory
// store and memo uses, so nothing in the proxy grows without bound.
import type { Clock } from "./clock.ts";

export interface Lru<V> {
  get(key: string): V | undefined;
  /** Keeps `value` for `ttlMs` (Infinity: until evicted); nothing when the bound is 0. */
  set(key: string, value: V, ttlMs?: number): void;
  delete(key: string): void;
  readonly size: number;
}

export function createLru<V>(maxEntries: number, clock?: Clock): Lru<V> {
  const entries = new Map<string, { value: V; expiresAt: number }>();
  return {
    get size() {
      return entries.size;
    },
    get(key) {
      const found = entries.get(key);
      if (!found) return undefined;
      entries.delete(key);
      if (clock && found.expiresAt <= clock.now()) return undefined;
      entries.set(key, found); // most recently used goes last
      return found.value;
    },
    set(key, value, ttlMs = Number.POSITIVE_INFINITY) {
      entries.delete(key);
      if (maxEntries <= 0 || ttlMs <= 0) return;
      entries.set(key, { value, expiresAt: clock ? clock.now() + ttlMs : Number.POSITIVE_INFINITY });
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
    },
    delete(key) {
      entries.delete(key);
    },
  };
}
