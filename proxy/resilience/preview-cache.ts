// Where cached previews live. The in-memory store is an LRU bounded by entry count, so a flood of distinct carts
// cannot grow memory; a shared store (Cache API, KV, Redis) implements the same two calls.
import type { GetFulfillmentPreviewResult } from "../upstream/types.ts";
import type { Clock } from "./clock.ts";

export interface PreviewCacheEntry {
  result: GetFulfillmentPreviewResult;
  storedAt: number;
  amznRequestId?: string;
}

export interface PreviewCacheStore {
  get(key: string): Promise<PreviewCacheEntry | undefined> | PreviewCacheEntry | undefined;
  /** Keeps `entry` for at least `retainMs` if room allows; after that the store may drop it. */
  set(key: string, entry: PreviewCacheEntry, retainMs: number): Promise<void> | void;
}

export interface MemoryPreviewCache extends PreviewCacheStore {
  readonly size: number;
}

export function createMemoryPreviewCache(options: { maxEntries: number; clock: Clock }): MemoryPreviewCache {
  const entries = new Map<string, { entry: PreviewCacheEntry; expiresAt: number }>();
  return {
    get size() {
      return entries.size;
    },
    get(key) {
      const found = entries.get(key);
      if (!found) return undefined;
      entries.delete(key);
      if (found.expiresAt <= options.clock.now()) return undefined;
      entries.set(key, found); // most recently used goes last
      return found.entry;
    },
    set(key, entry, retainMs) {
      entries.delete(key);
      entries.set(key, { entry, expiresAt: entry.storedAt + retainMs });
      while (entries.size > options.maxEntries) {
        const oldest = entries.keys().next().value as string;
        entries.delete(oldest);
      }
    },
  };
}
