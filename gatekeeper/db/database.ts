import type { BatchItem } from 'drizzle-orm/batch';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import type { GatekeeperError } from '../errors.js';
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

/** A read compiled once with drizzle's `.prepare()` and `sql.placeholder`. */
export interface PreparedRead {
  get(values: Record<string, unknown>): unknown;
}

/** Prepared statements run at once, inside `Database.grouped`. */
export interface NowQueries {
  /** Answers how many rows the write changed (0: an `ON CONFLICT DO NOTHING` insert met its key). */
  run(write: PreparedWrite, values: Record<string, unknown>): number;
  get<T>(read: PreparedRead, values: Record<string, unknown>): T | undefined;
}

/** The driver seam `createApp` takes as `db`. */
export interface Database {
  orm: Orm;
  /**
   * Runs the statements atomically: one transaction on better-sqlite3, one `batch` on D1. Answers how
   * many rows each statement changed, so a conditional write (a compare-and-set) knows whether it won.
   */
  batch(statements: readonly Statement[]): Promise<number[]>;
  /** Like `batch` for prepared writes, which the hot paths (launch) use to skip building SQL per request. */
  batchPrepared(writes: readonly (readonly [PreparedWrite, Record<string, unknown>])[]): Promise<void>;
  /**
   * Synchronous drivers only (better-sqlite3; absent on D1): runs `work` inside the transaction of the
   * next group commit, after the units queued before it, so a read-then-write in `work` is atomic and
   * sees every earlier unit's writes. The launch path reads, judges and writes a whole turn's launches
   * this way, in one transaction.
   */
  grouped?<T>(work: (now: NowQueries) => T extends PromiseLike<unknown> ? never : T): Promise<T>;
  /**
   * The typed fault (`disk_full`, `database_unavailable`, 503 with `Retry-After`) a driver error stands
   * for, or undefined when it is none: each driver reads its own error shapes (db/faults.ts). The app's
   * error handler asks it about every error nothing else handled.
   */
  fault(err: unknown): GatekeeperError | undefined;
  close(): Promise<void>;
}
