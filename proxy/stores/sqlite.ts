// The embedded store: key-value entries in one SQLite file, so what must survive a restart of a single-instance
// proxy (idempotency records) does. `node:sqlite` and `bun:sqlite` both fit the small synchronous shape below; each
// statement is atomic, and SQLite serialises writers, so put-if-absent and compare-and-set need no client locking.
import type { Clock } from "../shared/clock.ts";
import { systemClock } from "../shared/clock.ts";
import type { KeyValueStore } from "./types.ts";

/** What node:sqlite's DatabaseSync and bun:sqlite's Database have in common. */
export interface SqliteDatabase {
  exec(sql: string): unknown;
  prepare(sql: string): {
    run(...params: (string | number)[]): { changes: number | bigint };
    get(...params: (string | number)[]): unknown;
  };
  close(): unknown;
}

/** One table per store kind: `kv_<kind>(key, value, expires_at)`. Expired rows read as absent and are purged. */
export function createSqliteStore(db: SqliteDatabase, kind: string, options: { clock?: Clock } = {}): KeyValueStore {
  if (!/^[a-z]+$/.test(kind)) throw new Error(`store kind must be lower-case letters, got "${kind}"`);
  const clock = options.clock ?? systemClock;
  const table = `kv_${kind}`;
  db.exec(
    `CREATE TABLE IF NOT EXISTS ${table} (key TEXT PRIMARY KEY, value TEXT NOT NULL, expires_at INTEGER NOT NULL)`,
  );
  const select = db.prepare(`SELECT value FROM ${table} WHERE key = ? AND expires_at > ?`);
  const upsert = db.prepare(
    `INSERT INTO ${table} (key, value, expires_at) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`,
  );
  // An expired row counts as absent: it is replaced as if the key were free.
  const insertIfAbsent = db.prepare(
    `INSERT INTO ${table} (key, value, expires_at) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at
     WHERE ${table}.expires_at <= ?`,
  );
  const replaceIf = db.prepare(
    `UPDATE ${table} SET value = ?, expires_at = ? WHERE key = ? AND value = ? AND expires_at > ?`,
  );
  const remove = db.prepare(`DELETE FROM ${table} WHERE key = ?`);
  const purge = db.prepare(`DELETE FROM ${table} WHERE expires_at <= ?`);
  let purgedAt = 0;

  const read = <T>(key: string, now: number): T | undefined => {
    const row = select.get(key, now) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as T) : undefined;
  };
  /** Expired rows are deleted at most once a minute, so the file stays bounded by what is live. */
  const tidy = (now: number) => {
    if (now - purgedAt < 60_000) return;
    purgedAt = now;
    purge.run(now);
  };

  return {
    async get<T>(key: string) {
      return read<T>(key, clock.now());
    },
    async set(key, value, ttlMs) {
      const now = clock.now();
      tidy(now);
      upsert.run(key, JSON.stringify(value), now + ttlMs);
    },
    async delete(key) {
      remove.run(key);
    },
    async putIfAbsent<T>(key: string, value: T, ttlMs: number) {
      const now = clock.now();
      tidy(now);
      const { changes } = insertIfAbsent.run(key, JSON.stringify(value), now + ttlMs, now);
      return Number(changes) > 0 ? undefined : read<T>(key, now);
    },
    async compareAndSet(key, expected, value, ttlMs) {
      const now = clock.now();
      const { changes } = replaceIf.run(JSON.stringify(value), now + ttlMs, key, JSON.stringify(expected), now);
      return Number(changes) > 0;
    },
  };
}
