import { eq, sql } from 'drizzle-orm';
import type { Database, PreparedWrite } from './database.js';
import { launchEvents } from './schema.js';

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
  // SQLite stores booleans as integers; placeholders bypass drizzle's column mapping.
  return (row) => [write, { ...row, allowed: row.allowed ? 1 : 0 }] as const;
}
