import { and, type Column, count, eq, gte, lt, type SQL, sql } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Database } from '../db/database.js';
import { completions, errorEvents, launchEvents, licenses, sessions } from '../db/schema.js';
import { launchCount } from './course-days.js';
import { orgCompletions, orgErrors } from './org-scope.js';
import type { LogFilter } from './page-queries.js';

/** How many rows a log filter matches: `n` exactly, or, with `more`, more than `n`. */
export interface LogTotal {
  n: number;
  more: boolean;
}

/**
 * Rows counted one by one when a filter's count needs a join per row (the license of an error or a
 * completion is on its session): up to this many the total is exact, past it the page says "more than".
 */
export const COUNT_CAP = 10_000;
const FAR = 8_640_000_000_000_000;

/**
 * The total of a launch log filter. Without a license, from the per-day counts (`course-days.ts`): exact
 * for any number of launches, since the page's date filter is whole UTC days. With one, a count over
 * that license's index (`launch_events_license_at`), which a license's few thousand launches keep cheap.
 */
export async function launchTotal(db: Database, orgId: string, f: LogFilter): Promise<LogTotal> {
  if (f.licenseId === undefined)
    return { n: await launchCount(db, orgId, { from: f.from ?? 0, to: f.to ?? FAR }, f), more: false };
  const e = launchEvents;
  const row = await db.orm
    .select({ n: count() })
    .from(e)
    .innerJoin(licenses, eq(licenses.id, e.licenseId))
    .where(
      and(
        eq(e.licenseId, f.licenseId),
        f.outcome === undefined ? sql`${e.allowed} IN (0, 1)` : eq(e.allowed, f.outcome === 'allowed'),
        sql`+${e.orgId} = ${orgId}`,
        eq(licenses.orgId, orgId),
        f.courseId === undefined ? undefined : eq(licenses.courseId, f.courseId),
        f.from === undefined ? undefined : gte(e.at, f.from),
        f.to === undefined ? undefined : lt(e.at, f.to),
      ),
    )
    .get();
  return { n: row?.n ?? 0, more: false };
}

/** `count(*)` of at most `COUNT_CAP + 1` rows of `rows`, so a count with a join per row stays bounded. */
async function capped(db: Database, rows: { getSQL(): unknown }): Promise<LogTotal> {
  const [row] = await db.orm.all<{ n: number }>(
    sql`select count(*) as n from (${rows} limit ${COUNT_CAP + 1})`,
  );
  const n = Number(row?.n ?? 0);
  return n > COUNT_CAP ? { n: COUNT_CAP, more: true } : { n, more: false };
}

/**
 * Rows of `table` matching `where`: without a license, a count over the index range the page reads
 * (index entries only, exact); with one, counted through each row's session up to `COUNT_CAP`.
 */
async function rowTotal(
  db: Database,
  table: SQLiteTable,
  sessionId: Column,
  where: SQL | undefined,
  licenseId: string | undefined,
): Promise<LogTotal> {
  if (!licenseId)
    return { n: (await db.orm.select({ n: count() }).from(table).where(where).get())?.n ?? 0, more: false };
  return capped(
    db,
    db.orm
      .select({ one: sql`1` })
      .from(table)
      .innerJoin(sessions, eq(sessions.id, sessionId))
      .where(and(where, eq(sessions.licenseId, licenseId))),
  );
}

/** The org (or its course) and the page's dates, on a log's own columns. */
const filtered = (scope: SQL, course: Column, at: Column, f: LogFilter) =>
  and(
    scope,
    f.courseId ? eq(course, f.courseId) : undefined,
    f.from === undefined ? undefined : gte(at, f.from),
    f.to === undefined ? undefined : lt(at, f.to),
  );

/** The total of an error log filter: `error_events (org_id, at)` or `(course_id, at)`. */
export function errorTotal(db: Database, orgId: string, f: LogFilter): Promise<LogTotal> {
  const e = errorEvents;
  return rowTotal(db, e, e.sessionId, filtered(orgErrors(orgId), e.courseId, e.at, f), f.licenseId);
}

/** The total of a completion log filter: `completions (org_id, updated_at)` or `(course_id, updated_at)`. */
export function completionTotal(db: Database, orgId: string, f: LogFilter): Promise<LogTotal> {
  const c = completions;
  const where = filtered(orgCompletions(orgId), c.courseId, c.updatedAt, f);
  return rowTotal(db, c, c.sessionId, where, f.licenseId);
}
