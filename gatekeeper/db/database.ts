import type { BatchItem } from 'drizzle-orm/batch';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import type * as schema from './schema.js';

/**
 * drizzle over any SQLite driver: `sync` for better-sqlite3, `async` for D1. Table modules `await`
 * every query so they run unchanged on both.
 */
export type Orm = BaseSQLiteDatabase<'sync' | 'async', unknown, typeof schema>;

export type Statement = BatchItem<'sqlite'>;

/** A write compiled once with drizzle's `.prepare()` and `sql.placeholder`, run with named values. */
export interface PreparedWrite {
  run(values: Record<string, unknown>): unknown;
}

/** The driver seam `createApp` takes as `db`. */
export interface Database {
  orm: Orm;
  /** Runs the statements atomically: one transaction on better-sqlite3, one `batch` on D1. */
  batch(statements: readonly Statement[]): Promise<void>;
  /** Like `batch` for prepared writes, which the hot paths (launch) use to skip building SQL per request. */
  batchPrepared(writes: readonly (readonly [PreparedWrite, Record<string, unknown>])[]): Promise<void>;
  close(): Promise<void>;
}
