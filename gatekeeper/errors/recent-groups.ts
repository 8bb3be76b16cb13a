import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { beyond, type Cursor, walkOrder } from '../db/keyset.js';
import { errorEvents } from '../db/schema.js';
import { orgErrors } from '../logs/org-scope.js';

/** A listed group: one course's fingerprint, over all its deployments. */
export interface GroupKey {
  courseId: string;
  fingerprint: string;
}

/**
 * The `limit` most recently seen groups of an org (or of one course), most recent first, without
 * grouping the org's error rows (docs/gatekeeper.md, "Indexes, paging and exports"). It walks
 * `error_events` newest first through `error_events_org_at` (`error_events_course_at` for a course) in
 * batches and keeps each (course, fingerprint) the first time it meets it: that row is the group's
 * latest, so first-met order is the order by the group's last time (ties: the newer row first). A batch
 * holds several rows per wanted group, since a fingerprint has a row per deployment; the walk stops
 * once the page is full.
 */
export async function recentGroupKeys(
  db: Database,
  orgId: string,
  options: { courseId?: string | undefined; fingerprint?: string | undefined; limit: number },
): Promise<GroupKey[]> {
  const e = errorEvents;
  const keys = new Map<string, GroupKey>();
  const batch = Math.max(64, options.limit * 4);
  // For one course the org check must not compete for the index: with both equalities SQLite takes
  // `error_events_org_at` and filters the whole org's rows by course. `+` keeps it a plain filter.
  const filters: SQL[] = options.courseId
    ? [sql`+${e.orgId} = ${orgId}`, eq(e.courseId, options.courseId)]
    : [orgErrors(orgId)];
  if (options.fingerprint) filters.push(eq(e.fingerprint, options.fingerprint));
  let cursor: Cursor | undefined;
  while (keys.size < options.limit) {
    const rows = await db.orm
      .select({ key: e.id, at: e.at, courseId: e.courseId, fingerprint: e.fingerprint })
      .from(e)
      .where(and(...filters, ...(cursor ? [beyond(e.at, e.id, cursor, true)] : [])))
      .orderBy(...walkOrder(e.at, e.id, true))
      .limit(batch)
      .all();
    for (const r of rows) {
      const k = `${r.courseId}\n${r.fingerprint}`;
      if (!keys.has(k)) keys.set(k, { courseId: r.courseId, fingerprint: r.fingerprint });
      if (keys.size === options.limit) break;
    }
    const last = rows[rows.length - 1];
    if (rows.length < batch || !last) break;
    cursor = { at: last.at, key: last.key };
  }
  return [...keys.values()];
}
