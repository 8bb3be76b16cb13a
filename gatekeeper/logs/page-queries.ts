import { and, type Column, eq, gte, lt, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { beyond, type Cursor, keysetPage, walkOrder } from '../db/keyset.js';
import { completions, errorEvents, licenses, sessions } from '../db/schema.js';
import { type LaunchWalk, launchLogPage } from './launch-reads.js';
import { orgCompletions, orgErrors } from './org-scope.js';
import { completionPercent } from './queries.js';

/**
 * The dashboard's log pages (launches, errors, completions) with their filters, paged by key
 * (logs/keyset.ts): a page is the rows after a cursor, in (time, row key) order, newest first unless
 * the walk goes the other way (the "Newer" link). The org comes from the signed-in member and its
 * isolation from `org-scope.ts`; none of them writes.
 */

export interface LogFilter {
  courseId?: string | undefined;
  licenseId?: string | undefined;
  outcome?: 'allowed' | 'denied' | undefined;
  from?: number | undefined;
  to?: number | undefined;
}

export type PageRow = Record<string, unknown> & Cursor;
export interface RowPage {
  rows: PageRow[];
  next?: Cursor;
}

export async function launchLog(
  db: Database,
  orgId: string,
  f: LogFilter,
  walk: LaunchWalk,
): Promise<RowPage> {
  return launchLogPage(db, { orgId, ...f }, walk);
}

/**
 * The `where` of an error or completion page: the org, the course, the license (of the row's
 * session), the window and the cursor of a walk over `at`, `key`. The index on (org or course, at)
 * serves the filter and the order; the license is checked on the session of each row walked.
 */
function walked(scope: SQL, course: Column, at: Column, key: Column | SQL, f: LogFilter, walk: LaunchWalk) {
  return and(
    scope,
    f.courseId ? eq(course, f.courseId) : undefined,
    f.licenseId ? eq(sessions.licenseId, f.licenseId) : undefined,
    f.from === undefined ? undefined : gte(at, f.from),
    f.to === undefined ? undefined : lt(at, f.to),
    walk.cursor && beyond(at, key, walk.cursor, walk.newest),
  );
}

export async function errorLog(
  db: Database,
  orgId: string,
  f: LogFilter,
  walk: LaunchWalk,
): Promise<RowPage> {
  const e = errorEvents;
  const rows = await db.orm
    .select({
      key: e.id,
      at: e.at,
      courseId: e.courseId,
      licenseId: sessions.licenseId,
      clientName: licenses.clientName,
      sessionId: e.sessionId,
      code: e.code,
      message: e.message,
      url: e.url,
    })
    .from(e)
    .leftJoin(sessions, eq(sessions.id, e.sessionId))
    .leftJoin(licenses, eq(licenses.id, sessions.licenseId))
    .where(walked(orgErrors(orgId), e.courseId, e.at, e.id, f, walk))
    .orderBy(...walkOrder(e.at, e.id, walk.newest))
    .limit(walk.limit + 1)
    .all();
  return keysetPage(rows, walk.limit, (r) => r);
}

export async function completionLog(
  db: Database,
  orgId: string,
  f: LogFilter,
  walk: LaunchWalk,
): Promise<RowPage> {
  const c = completions;
  const key = sql<number>`${c}.rowid`;
  const rows = await db.orm
    .select({
      key,
      at: c.updatedAt,
      sessionId: c.sessionId,
      courseId: c.courseId,
      licenseId: sessions.licenseId,
      clientName: licenses.clientName,
      completed: c.completed,
      passed: c.passed,
      score: c.score,
      scoreMin: c.scoreMin,
      scoreMax: c.scoreMax,
      scoreScaled: c.scoreScaled,
    })
    .from(c)
    .leftJoin(sessions, eq(sessions.id, c.sessionId))
    .leftJoin(licenses, eq(licenses.id, sessions.licenseId))
    .where(walked(orgCompletions(orgId), c.courseId, c.updatedAt, key, f, walk))
    .orderBy(...walkOrder(c.updatedAt, key, walk.newest))
    .limit(walk.limit + 1)
    .all();
  return keysetPage(rows, walk.limit, ({ at, ...r }) => ({
    ...r,
    at,
    updatedAt: at,
    percent: completionPercent(r),
  }));
}
