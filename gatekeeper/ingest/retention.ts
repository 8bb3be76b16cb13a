import { count, lt, sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { completions, errorEvents, errorReports, launchEvents, sessions, statements } from '../db/schema.js';

const DAY_MS = 86_400_000;

/** Runs `task` every `everyMs`; returns what stops it. Injected so tests and Workers choose the timer. */
export type Scheduler = (task: () => void, everyMs: number) => () => void;

/** A Node timer that does not keep the process alive. */
export const intervalScheduler: Scheduler = (task, everyMs) => {
  const timer = setInterval(task, everyMs);
  timer.unref?.();
  return () => clearInterval(timer);
};

/** How many records of each kind are older than a cutoff (what a purge at that cutoff removes). */
export interface PurgeCounts {
  statements: number;
  completions: number;
  errorReports: number;
  errorGroups: number;
  launchEvents: number;
  sessions: number;
}

/** Counts what `purgeBefore(db, cutoff)` would delete, without deleting anything. */
export async function countBefore(db: Database, cutoff: number): Promise<PurgeCounts> {
  const o = db.orm;
  const n = async (rows: Promise<{ n: number }[]>) => (await rows)[0]?.n ?? 0;
  return {
    statements: await n(o.select({ n: count() }).from(statements).where(lt(statements.storedAt, cutoff))),
    completions: await n(o.select({ n: count() }).from(completions).where(lt(completions.updatedAt, cutoff))),
    errorReports: await n(o.select({ n: count() }).from(errorReports).where(lt(errorReports.at, cutoff))),
    errorGroups: await n(o.select({ n: count() }).from(errorEvents).where(lt(errorEvents.at, cutoff))),
    launchEvents: await n(o.select({ n: count() }).from(launchEvents).where(lt(launchEvents.at, cutoff))),
    sessions: await n(o.select({ n: count() }).from(sessions).where(lt(sessions.expiresAt, cutoff))),
  };
}

/** The cutoff (ms) that keeps `days` days of records before `now`. */
export const retentionCutoff = (now: Date, days: number) => now.getTime() - days * DAY_MS;

/**
 * Deletes telemetry and launch records older than `cutoff` (ms): statements by the time they were
 * stored, completion records and error groups by their last update, report ids, launch events, and
 * sessions that expired before it. One transaction; then `PRAGMA optimize` refreshes the planner's
 * statistics of the tables that changed (SQLite and D1 both run it), so log reads keep their indexes.
 */
export async function purgeBefore(db: Database, cutoff: number): Promise<void> {
  const o = db.orm;
  await db.batch([
    o.delete(statements).where(lt(statements.storedAt, cutoff)),
    o.delete(completions).where(lt(completions.updatedAt, cutoff)),
    o.delete(errorReports).where(lt(errorReports.at, cutoff)),
    o.delete(errorEvents).where(lt(errorEvents.at, cutoff)),
    o.delete(launchEvents).where(lt(launchEvents.at, cutoff)),
    o.delete(sessions).where(lt(sessions.expiresAt, cutoff)),
  ]);
  await o.run(sql`PRAGMA optimize`);
}

/**
 * The retention policy: keep `days` days of records (COURSEGATE_RETENTION_DAYS). `start()` purges at
 * once and then daily through `schedule`; it returns what stops the schedule.
 *
 * @example
 * const stop = createRetention({ db, days: 365, now: () => new Date(), schedule: intervalScheduler }).start();
 */
export function createRetention(options: {
  db: Database;
  days: number;
  now: () => Date;
  schedule: Scheduler;
  onError?: (err: unknown) => void;
}) {
  const purge = () => purgeBefore(options.db, retentionCutoff(options.now(), options.days));
  const run = () => {
    purge().catch((err) => options.onError?.(err));
  };
  return {
    purge,
    start(): () => void {
      run();
      return options.schedule(run, DAY_MS);
    },
  };
}
