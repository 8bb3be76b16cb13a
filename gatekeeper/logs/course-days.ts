import { and, eq, gte, lt, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { courseDays } from '../db/schema.js';

/**
 * Reads of the per-day counts (`course_days`, kept by triggers: migration 0012). Days are UTC, `from`
 * inclusive and `to` exclusive, both UTC midnights in ms; an org has a row per course and day with
 * activity, so a year of 50 courses is at most 18,250 rows, read by the primary key (org, day, course).
 */

export interface DayRange {
  /** UTC midnight of the first day, ms. */
  from: number;
  /** UTC midnight after the last day, ms. */
  to: number;
}

export interface DayCount {
  day: number;
  launches: number;
  errors: number;
}

export interface CourseTotals {
  launches: number;
  denied: number;
  errors: number;
}

const d = courseDays;
const inRange = (orgId: string, r: DayRange, courseId?: string): SQL =>
  and(
    eq(d.orgId, orgId),
    gte(d.day, r.from),
    lt(d.day, r.to),
    courseId === undefined ? undefined : eq(d.courseId, courseId),
  ) as SQL;

/** Launches, denied launches and errors of each course of the org in the range. */
export async function courseTotals(
  db: Database,
  orgId: string,
  range: DayRange,
): Promise<Map<string, CourseTotals>> {
  const rows = await db.orm
    .select({
      courseId: d.courseId,
      launches: sql<number>`sum(${d.launches})`,
      denied: sql<number>`sum(${d.denied})`,
      errors: sql<number>`sum(${d.errors})`,
    })
    .from(d)
    .where(inRange(orgId, range))
    .groupBy(d.courseId)
    .all();
  return new Map(
    rows.map((r) => [
      r.courseId,
      { launches: Number(r.launches), denied: Number(r.denied), errors: Number(r.errors) },
    ]),
  );
}

/** Launches and errors per day of the range, every day present (zero when nothing happened). */
export async function daySeries(
  db: Database,
  orgId: string,
  range: DayRange,
  courseId?: string,
): Promise<DayCount[]> {
  const rows = await db.orm
    .select({
      day: d.day,
      launches: sql<number>`sum(${d.launches})`,
      errors: sql<number>`sum(${d.errors})`,
    })
    .from(d)
    .where(inRange(orgId, range, courseId))
    .groupBy(d.day)
    .all();
  const byDay = new Map(rows.map((r) => [r.day, r]));
  const out: DayCount[] = [];
  for (let day = range.from; day < range.to; day += 86_400_000) {
    const r = byDay.get(day);
    out.push({ day, launches: Number(r?.launches ?? 0), errors: Number(r?.errors ?? 0) });
  }
  return out;
}

/**
 * The number of launch events of the org in the range, optionally of one course and one outcome: exact
 * (the triggers count every event with a license of the org), whatever the number of events.
 */
export async function launchCount(
  db: Database,
  orgId: string,
  range: DayRange,
  filter: { courseId?: string | undefined; outcome?: 'allowed' | 'denied' | undefined },
): Promise<number> {
  const n =
    filter.outcome === 'denied'
      ? sql<number>`sum(${d.denied})`
      : filter.outcome === 'allowed'
        ? sql<number>`sum(${d.launches} - ${d.denied})`
        : sql<number>`sum(${d.launches})`;
  const row = await db.orm
    .select({ n })
    .from(d)
    .where(inRange(orgId, range, filter.courseId))
    .get();
  return Number(row?.n ?? 0);
}
