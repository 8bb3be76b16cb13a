import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { Database, PreparedWrite } from './database.js';
import { launchEvents, licenses } from './schema.js';

export type LaunchEvent = typeof launchEvents.$inferSelect;

export function insertLaunchEventStatement(db: Database, row: Omit<LaunchEvent, 'id'>) {
  return db.orm.insert(launchEvents).values(row);
}

export async function listLaunchEvents(db: Database, licenseId?: string): Promise<LaunchEvent[]> {
  const q = db.orm.select().from(launchEvents);
  return (licenseId === undefined ? q : q.where(eq(launchEvents.licenseId, licenseId)))
    .orderBy(launchEvents.id)
    .all();
}

export type NewLaunchEvent = Omit<LaunchEvent, 'id'>;

/** The launch-event insert, prepared once for the launch path. */
export function prepareLaunchEventInsert(
  db: Database,
): (row: NewLaunchEvent) => readonly [PreparedWrite, Record<string, unknown>] {
  const p = sql.placeholder;
  const write = db.orm
    .insert(launchEvents)
    .values({
      licenseId: p('licenseId'),
      orgId: p('orgId'),
      allowed: p('allowed'),
      reason: p('reason'),
      detail: p('detail'),
      origin: p('origin'),
      standard: p('standard'),
      sessionId: p('sessionId'),
      at: p('at'),
    })
    .prepare() as unknown as PreparedWrite;
  // SQLite stores booleans as integers; placeholders bypass drizzle's column mapping. Written out, not
  // spread: a property replaced after a spread is slow on Node 20, and this runs once per launch.
  return (row) =>
    [
      write,
      {
        licenseId: row.licenseId,
        orgId: row.orgId,
        allowed: row.allowed ? 1 : 0,
        reason: row.reason,
        detail: row.detail,
        origin: row.origin,
        standard: row.standard,
        sessionId: row.sessionId,
        at: row.at,
      },
    ] as const;
}

/**
 * The join from `licenses` to their launch events, for the org- and course-scoped counts that start from
 * the licenses (`logs/counts.ts`), through `launch_events_license_at`. `allowed IN (0, 1)` names both
 * values of that index's middle column, so a range on `at` still narrows the scan. The log pages walk
 * `launch_events_org_at` instead (`logs/launch-reads.ts`).
 *
 * @example
 * db.orm.select().from(licenses).innerJoin(launchEvents, launchesOfLicenses()).where(eq(licenses.orgId, orgId))
 */
export function launchesOfLicenses(outcome?: 'allowed' | 'denied'): SQL {
  const allowed =
    outcome === undefined
      ? sql`${launchEvents.allowed} IN (0, 1)`
      : sql`${launchEvents.allowed} = ${outcome === 'allowed' ? 1 : 0}`;
  return and(eq(launchEvents.licenseId, licenses.id), allowed)!;
}
