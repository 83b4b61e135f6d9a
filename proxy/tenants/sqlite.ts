// A Kysely dialect for the synchronous SQLite drivers built into the runtimes: `node:sqlite` (DatabaseSync) and
// `bun:sqlite` (Database). Both are adapted to the better-sqlite3 shape Kysely's own SqliteDialect drives, so the
// query compiler, adapter and introspector stay Kysely's. The caller opens the database (a file under ./data/),
// which keeps this module free of runtime imports.
import { SqliteDialect } from "kysely";

/** What node:sqlite's StatementSync and bun:sqlite's Statement have in common. */
export interface SyncSqliteStatement {
  all(...parameters: never[]): unknown[];
  run(...parameters: never[]): { changes: number | bigint; lastInsertRowid: number | bigint };
  iterate(...parameters: never[]): IterableIterator<unknown>;
  /** node:sqlite: the result columns (none for statements that return no rows). */
  columns?(): unknown[];
  /** bun:sqlite: the same, as names. */
  columnNames?: string[];
}

export interface SyncSqliteDatabase {
  prepare(sql: string): SyncSqliteStatement;
  close(): void;
}

function returnsRows(statement: SyncSqliteStatement): boolean {
  if (typeof statement.columns === "function") return statement.columns().length > 0;
  return (statement.columnNames?.length ?? 0) > 0;
}

/** Kysely's SqliteDialect over node:sqlite or bun:sqlite. */
export function syncSqliteDialect(database: SyncSqliteDatabase): SqliteDialect {
  const adapted = {
    close: () => database.close(),
    prepare(sql: string) {
      const statement = database.prepare(sql);
      const spread = (parameters: readonly unknown[]) => parameters as never[];
      return {
        reader: returnsRows(statement),
        all: (parameters: readonly unknown[]) => statement.all(...spread(parameters)),
        run: (parameters: readonly unknown[]) => statement.run(...spread(parameters)),
        iterate: (parameters: readonly unknown[]) => statement.iterate(...spread(parameters)),
      };
    },
  };
  return new SqliteDialect({ database: adapted });
}
