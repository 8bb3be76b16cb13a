import { and, count, eq, getTableColumns, gte, lt, max, sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { beyond, type Cursor, keysetPage, walkOrder } from '../db/keyset.js';
import { courses, deployments, errorEvents, launchEvents, sessions } from '../db/schema.js';
import { courseTotals, type DayCount, type DayRange, daySeries } from './course-days.js';
import { orgErrors } from './org-scope.js';

/**
 * The dashboard's overview and chart reads. Every one takes the org id of the signed-in member and starts
 * from the org scope of `logs/org-scope.ts`; none of them writes. The log pages read `logs/page-queries.ts`.
 */

export const DAY_MS = 86_400_000;

export interface CourseListQuery {
  range: DayRange;
  /** Part of a title or slug, any case. */
  search?: string | undefined;
  cursor?: Cursor | undefined;
  limit: number;
}

/**
 * One page of the org's courses, newest first, with their launches, denied launches and errors in
 * `range` (per-day counts, `course-days.ts`) and the total number of courses matching the search. An
 * org has tens of courses, not millions: the search and the count read the org's rows of `courses`.
 */
export async function courseSummaries(db: Database, orgId: string, q: CourseListQuery) {
  const key = sql<number>`${courses}.rowid`;
  const like = q.search ? `%${q.search.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%` : undefined;
  const where = and(
    eq(courses.orgId, orgId),
    like
      ? sql`(${courses.title} LIKE ${like} ESCAPE '\\' OR ${courses.slug} LIKE ${like} ESCAPE '\\')`
      : undefined,
  );
  const page = keysetPage(
    await db.orm
      .select({ ...getTableColumns(courses), key, at: courses.createdAt })
      .from(courses)
      .where(and(where, q.cursor && beyond(courses.createdAt, key, q.cursor, true)))
      .orderBy(...walkOrder(courses.createdAt, key, true))
      .limit(q.limit + 1)
      .all(),
    q.limit,
    (r) => r,
  );
  const total = (await db.orm.select({ n: count() }).from(courses).where(where).get())?.n ?? 0;
  const lastDeploy = await db.orm
    .select({ courseId: deployments.courseId, at: max(deployments.createdAt) })
    .from(deployments)
    .where(eq(deployments.orgId, orgId))
    .groupBy(deployments.courseId)
    .all();
  const d = new Map(lastDeploy.map((r) => [r.courseId, r.at]));
  const totals = await courseTotals(db, orgId, q.range);
  const none = { launches: 0, denied: 0, errors: 0 };
  return {
    total,
    next: page.next,
    rows: page.rows.map((c) => ({ ...c, lastDeployAt: d.get(c.id) ?? null, ...(totals.get(c.id) ?? none) })),
  };
}

export type { DayCount } from './course-days.js';

/**
 * Launches and errors per UTC day for the `days` days ending with today: the org's from the per-day
 * counts (`course-days.ts`); one license's as one count per day over `launch_events_license_at`, read
 * from the index alone (a license has thousands of launches, not millions), and its errors through
 * their sessions. Grouping a month of launches by a computed day instead sorted every one of them (2 s
 * for 1 M launches, issue 24).
 */
export async function perDay(
  db: Database,
  orgId: string,
  now: number,
  days: number,
  licenseId?: string,
): Promise<DayCount[]> {
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  const since = today - (days - 1) * DAY_MS;
  if (!licenseId) return daySeries(db, orgId, { from: since, to: today + DAY_MS });
  const e = launchEvents;
  const launchesOn = (from: number) =>
    db.orm
      .select({ n: count() })
      .from(e)
      .where(
        and(
          eq(e.licenseId, licenseId),
          sql`${e.allowed} IN (0, 1)`,
          sql`+${e.orgId} = ${orgId}`,
          gte(e.at, from),
          lt(e.at, from + DAY_MS),
        ),
      )
      .get();
  const errorsOn = (from: number) =>
    db.orm
      .select({ n: count() })
      .from(errorEvents)
      .innerJoin(sessions, eq(sessions.id, errorEvents.sessionId))
      .where(
        and(
          orgErrors(orgId),
          eq(sessions.licenseId, licenseId),
          gte(errorEvents.at, from),
          lt(errorEvents.at, from + DAY_MS),
        ),
      )
      .get();
  const out: DayCount[] = [];
  for (let i = 0; i < days; i++) {
    const day = since + i * DAY_MS;
    out.push({ day, launches: (await launchesOn(day))?.n ?? 0, errors: (await errorsOn(day))?.n ?? 0 });
  }
  return out;
}
