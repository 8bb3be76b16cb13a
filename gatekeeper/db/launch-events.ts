import { and, count, eq, gte } from 'drizzle-orm';
import type { Database } from './database.js';
import { launchEvents } from './schema.js';

export type LaunchEvent = typeof launchEvents.$inferSelect;

export function insertLaunchEventStatement(db: Database, row: Omit<LaunchEvent, 'id'>) {
  return db.orm.insert(launchEvents).values(row);
}

/** Allowed launches of a license since `since` (ms): what a launch cap counts. */
export async function countAllowedLaunches(db: Database, licenseId: string, since: number): Promise<number> {
  const row = await db.orm
    .select({ n: count() })
    .from(launchEvents)
    .where(
      and(eq(launchEvents.licenseId, licenseId), eq(launchEvents.allowed, true), gte(launchEvents.at, since)),
    )
    .get();
  return row?.n ?? 0;
}

export async function listLaunchEvents(db: Database, licenseId?: string): Promise<LaunchEvent[]> {
  const q = db.orm.select().from(launchEvents);
  return (licenseId === undefined ? q : q.where(eq(launchEvents.licenseId, licenseId)))
    .orderBy(launchEvents.id)
    .all();
}
