import { sql } from 'drizzle-orm';
import type { Database, Statement } from './database.js';
import type { NewLaunchEvent } from './launch-events.js';
import { launchEvents, sessions } from './schema.js';
import type { Session } from './sessions.js';

export interface CappedLaunch {
  session: Session;
  /** The launch event without its verdict, which the batch decides. */
  event: Omit<NewLaunchEvent, 'allowed' | 'reason' | 'sessionId'>;
  cap: number;
  /** Start of the cap's period (ms): allowed launches since then count. */
  since: number;
}

/**
 * A launch of a capped license as one atomic batch: the session row is written only while the
 * license's allowed launches in the period are under the cap, and the launch event records whichever
 * happened. Counting first and writing later would let a burst of parallel launches all see the same
 * count and all pass; inside one transaction (better-sqlite3) or one batch (D1) they cannot.
 * The caller reads the session back (`sessionExists`) to learn the verdict.
 */
export function cappedLaunchStatements(db: Database, launch: CappedLaunch): Statement[] {
  const { session: s, event: e, cap, since } = launch;
  const underCap = sql`(SELECT count(*) FROM launch_events WHERE license_id = ${e.licenseId} AND allowed = 1 AND at >= ${since}) < ${cap}`;
  // Column order is the table's: drizzle inserts a raw SELECT into every column, in definition order.
  const insertSession = db.orm
    .insert(sessions)
    .select(
      sql`SELECT ${s.id}, ${s.orgId}, ${s.licenseId}, ${s.courseId}, ${s.deploymentId}, ${s.standard}, ${s.createdAt}, ${s.expiresAt} WHERE ${underCap}`,
    );
  const made = sql`EXISTS (SELECT 1 FROM sessions WHERE id = ${s.id})`;
  const insertEvent = db.orm
    .insert(launchEvents)
    .select(
      sql`SELECT NULL, ${e.licenseId}, ${e.orgId}, ${made}, CASE WHEN ${made} THEN 'ok' ELSE 'launch_limit_reached' END, ${e.detail}, ${e.origin}, ${e.standard}, CASE WHEN ${made} THEN ${s.id} END, ${e.at}`,
    );
  return [insertSession, insertEvent] as unknown as Statement[];
}
