// Picks the stores for the Node, Bun and Deno entries from MCF_STORE: unset or "memory" → this process only;
// redis:// or rediss:// → one shared Redis; "deno-kv" (or "deno-kv:<path>") → Deno.openKv. Shared buckets fall back
// to this instance's share when the engine fails (failover.ts). Engines load on demand, so a memory-only proxy never
// loads the Redis client. (Workers use createDurableObjectStores from their env instead.)
import type { LogFields, LogLevel } from "../log/index.ts";
import type { DenoKv } from "./deno-kv.ts";
import { type FailoverStatus, withLocalFallback } from "./failover.ts";
import { createMemoryStores } from "./memory.ts";
import { createSqliteStore, type SqliteDatabase } from "./sqlite.ts";
import type { Stores } from "./types.ts";

export interface StoreConfig {
  /** MCF_STORE */
  url?: string;
  /** MCF_INSTANCES: how many instances share the quota (for the fallback share). */
  instances?: number;
}

export interface StoreRuntime {
  log(level: LogLevel, message: string, fields?: LogFields): void;
  /** `Deno.openKv`, on Deno. */
  openKv?(path?: string): Promise<DenoKv>;
  /** The runtime's SQLite (`node:sqlite`, `bun:sqlite`), opening or creating the file. */
  openSqlite?(path: string): Promise<SqliteDatabase>;
}

/** What the Node and Bun entries use when MCF_STORE is unset: one process, idempotency records kept on disk. */
export const EMBEDDED_STORE = "sqlite:./data/mcf-state.sqlite";

export interface StoreHealth {
  engine: string;
  /** Absent for memory (nothing to lose). */
  buckets?: FailoverStatus;
}

export interface OpenStores {
  stores: Stores;
  health(): StoreHealth;
  close(): Promise<void>;
}

export type StoreChoice =
  | { engine: "memory" }
  | { engine: "sqlite"; path: string }
  | { engine: "redis"; url: string }
  | { engine: "deno-kv"; path?: string };

/** Reads MCF_STORE; throws a message naming it when it is not one of the known forms. */
export function parseStoreUrl(url: string | undefined): StoreChoice {
  const value = url?.trim() ?? "";
  if (value === "" || value === "memory") return { engine: "memory" };
  if (value.startsWith("sqlite:") && value.length > "sqlite:".length) {
    return { engine: "sqlite", path: value.slice("sqlite:".length) };
  }
  if (value === "deno-kv") return { engine: "deno-kv" };
  if (value.startsWith("deno-kv:")) return { engine: "deno-kv", path: value.slice("deno-kv:".length) };
  if (/^rediss?:\/\/[^/]/.test(value)) return { engine: "redis", url: value };
  throw new Error(
    `MCF_STORE must be redis://host:port/db, rediss://…, deno-kv[:path], sqlite:<file> or memory; got "${value}"`,
  );
}

/**
 * When a bucket call counts as failed, per engine: Redis answers in a millisecond on a LAN; Deno KV commits through
 * a global store (Deno Deploy) or a SQLite file that processes take turns to lock.
 */
const SLOW_AFTER_MS = { redis: 250, "deno-kv": 1_000 } as const;

export async function openStores(config: StoreConfig, runtime: StoreRuntime): Promise<OpenStores> {
  const choice = parseStoreUrl(config.url);
  if (choice.engine === "memory") {
    return { stores: createMemoryStores(), health: () => ({ engine: "memory" }), close: async () => {} };
  }
  if (choice.engine === "sqlite") {
    // One instance: everything in memory but the idempotency records, which must survive a restart.
    if (!runtime.openSqlite) throw new Error("MCF_STORE=sqlite:… needs Node or Bun (their built-in SQLite)");
    const db = await runtime.openSqlite(choice.path);
    const stores = { ...createMemoryStores(), engine: "sqlite", idempotency: createSqliteStore(db, "idempotency") };
    return { stores, health: () => ({ engine: "sqlite" }), close: async () => void db.close() };
  }

  let shared: Stores;
  let close = async () => {};
  if (choice.engine === "redis") {
    const { createRedisStores } = await import("./redis.ts");
    const redis = await createRedisStores(choice.url, {
      onConnectionChange: (connected, error) =>
        runtime.log(connected ? "info" : "warn", connected ? "redis connected" : "redis connection lost", {
          ...(error ? { error: error instanceof Error ? error.message : String(error) } : {}),
        }),
    });
    shared = redis;
    close = () => redis.close();
  } else {
    if (!runtime.openKv) throw new Error("MCF_STORE=deno-kv needs Deno (Deno.openKv)");
    const { createDenoKvStores } = await import("./deno-kv.ts");
    const kv = await runtime.openKv(choice.path || undefined);
    shared = createDenoKvStores(kv);
    close = async () => kv.close?.();
  }

  const buckets = withLocalFallback(shared.buckets, {
    ...(config.instances !== undefined ? { instances: config.instances } : {}),
    timeoutMs: SLOW_AFTER_MS[choice.engine],
    log: runtime.log,
  });
  return {
    stores: { ...shared, buckets },
    health: () => ({ engine: shared.engine, buckets: buckets.status() }),
    close,
  };
}
