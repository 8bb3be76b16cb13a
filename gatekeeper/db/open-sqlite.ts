import { readdirSync, readFileSync } from 'node:fs';
import Sqlite from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import type { Database, NowQueries, Orm, Statement } from './database.js';
import { sqliteFault } from './faults.js';
import { type Migration, migrate } from './migrate.js';
import { makePrivateDatabaseFiles } from './private-files.js';
import * as schema from './schema.js';
import { createNowQueries } from './sqlite-now.js';

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);

/** The committed SQL migrations, read from `gatekeeper/db/migrations/`. */
export function readMigrations(): Migration[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((f) => f.endsWith('.sql'))
    .map((name) => ({ name, sql: readFileSync(new URL(name, MIGRATIONS_DIR), 'utf8') }));
}

/**
 * The connection settings of every Gatekeeper database, exported so the ingest bench's raw-insert
 * reference runs on the same settings. In WAL mode `synchronous = NORMAL` loses nothing when the
 * process dies; only an OS crash can drop the last commits. The page cache (64 MB, allocated as used,
 * against SQLite's 2 MB default) holds the statement-id index, which every ingest batch probes and
 * writes at random places: with 2 MB it stops fitting after some tens of thousands of statements,
 * and then most probes become reads from the OS.
 */
export const SQLITE_PRAGMAS = [
  'journal_mode = WAL',
  'synchronous = NORMAL',
  'foreign_keys = ON',
  'busy_timeout = 5000',
  'cache_size = -65536',
] as const;

/**
 * Without statistics the planner guesses, and on a large log it can guess an index that serves the
 * filter but not the order, then sort millions of rows (issue 24). After a schema change every table is
 * analysed (sampled: `analysis_limit` bounds it on a large file); every start runs `PRAGMA optimize`,
 * which re-analyses only the tables that grew, and the daily retention run does again (`purgeBefore`).
 */
function keepStatistics(sqlite: Sqlite.Database, schemaChanged: boolean): void {
  sqlite.pragma('analysis_limit = 1000');
  if (schemaChanged) sqlite.exec('ANALYZE');
  sqlite.pragma('optimize = 0x10002');
}

/**
 * Opens (creating if needed) a SQLite database with WAL and foreign keys, applies pending migrations
 * and returns the driver seam. The file, its WAL and SHM are the owner's only (0600, see
 * `makePrivateDatabaseFiles`). `:memory:` gives a private in-memory database (tests).
 *
 * @example
 * const db = await openSqlite({ file: 'data/gatekeeper.sqlite', now: Date.now() });
 */
export async function openSqlite(options: { file: string; now?: number }): Promise<Database> {
  makePrivateDatabaseFiles(options.file);
  const sqlite = new Sqlite(options.file);
  for (const pragma of SQLITE_PRAGMAS) sqlite.pragma(pragma);
  makePrivateDatabaseFiles(options.file);
  const applied = await migrate(
    {
      exec: async (sql) => void sqlite.exec(sql),
      applied: async () =>
        (sqlite.prepare('SELECT name FROM _migrations').all() as { name: string }[]).map((r) => r.name),
      record: async (name, at) =>
        void sqlite.prepare('INSERT INTO _migrations (name, applied_at) VALUES (?, ?)').run(name, at),
      atomically: async (fn) => {
        sqlite.exec('BEGIN');
        try {
          await fn();
          sqlite.exec('COMMIT');
        } catch (err) {
          sqlite.exec('ROLLBACK');
          throw err;
        }
      },
    },
    readMigrations(),
    options.now ?? Date.now(),
  );
  keepStatistics(sqlite, applied.length > 0);
  const orm = drizzle({ client: sqlite, schema });
  // Created once: better-sqlite3 runs the function between BEGIN and COMMIT, synchronously, so no
  // other request's statements can interleave.
  const runAll = sqlite.transaction((statements: readonly Statement[]) =>
    statements.map((s) => (s as unknown as { run(): { changes: number } }).run().changes),
  );
  // Group commit: units (prepared batches and `grouped` work) that arrive in the same turn of the
  // event loop share one transaction, so a burst of launches pays for one commit, and each caller
  // still resolves only once its writes are committed. If the group fails, each unit is run again
  // alone so one bad unit cannot fail the others.
  type Unit = {
    work: (now: NowQueries) => unknown;
    resolve: (value: unknown) => void;
    reject: (err: unknown) => void;
  };
  const now = createNowQueries();
  const runUnits = sqlite.transaction((units: readonly Unit[]) =>
    units.map((u) => {
      const result = u.work(now);
      // Work that awaits would write after COMMIT, outside the group: refuse it and roll back.
      if (typeof (result as { then?: unknown } | null)?.then === 'function')
        throw new TypeError('Database.grouped work must be synchronous');
      return result;
    }),
  );
  let pending: Unit[] = [];
  const flush = () => {
    const group = pending;
    pending = [];
    let results: unknown[];
    // IMMEDIATE: take the write lock at BEGIN, where busy_timeout waits for another process (the CLI's
    // admin commands) to finish. A deferred transaction that reads first cannot wait for it when it
    // then writes, and would fail at once with SQLITE_BUSY.
    try {
      results = runUnits.immediate(group);
    } catch {
      for (const unit of group) {
        try {
          unit.resolve(runUnits.immediate([unit])[0]);
        } catch (err) {
          unit.reject(err);
        }
      }
      return;
    }
    for (let i = 0; i < group.length; i++) group[i]!.resolve(results[i]);
  };
  const grouped = <T>(work: (now: NowQueries) => T) =>
    new Promise<T>((resolve, reject) => {
      if (pending.length === 0) setImmediate(flush);
      pending.push({ work, resolve: resolve as (value: unknown) => void, reject });
    });
  return {
    orm: orm as unknown as Orm,
    async batch(statements) {
      return runAll(statements);
    },
    batchPrepared: (writes) =>
      grouped((now) => {
        for (const [write, values] of writes) now.run(write, values);
      }),
    grouped,
    fault: sqliteFault,
    async close() {
      sqlite.close();
    },
  };
}
