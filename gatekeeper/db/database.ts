import type { BatchItem } from 'drizzle-orm/batch';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import type * as schema from './schema.js';

/**
 * drizzle over any SQLite driver: `sync` for better-sqlite3, `async` for D1. Table modules `await`
 * every query so they run unchanged on both.
 */
export type Orm = BaseSQLiteDatabase<'sync' | 'async', unknown, typeof schema>;

export type Statement = BatchItem<'sqlite'>;

/** The driver seam `createApp` takes as `db`. */
export interface Database {
  orm: Orm;
  /** Runs the statements atomically: one transaction on better-sqlite3, one `batch` on D1. */
  batch(statements: readonly Statement[]): Promise<void>;
  close(): Promise<void>;
}
