import { and, count, eq, gte, max, sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { courses, deployments, errorEvents, launchEvents, licenses, sessions } from '../db/schema.js';
import { orgErrors, orgLaunches } from './org-scope.js';

/**
 * The dashboard's overview and chart reads. Every one takes the org id of the signed-in member and starts
 * from the org scope of `logs/org-scope.ts`; none of them writes. The log pages read `logs/page-queries.ts`.
 */

export const DAY_MS = 86_400_000;

export async function courseSummaries(db: Database, orgId: string, since: number) {
  const rows = await db.orm
    .select()
    .from(courses)
    .where(eq(courses.orgId, orgId))
    .orderBy(courses.title)
    .all();
  const lastDeploy = await db.orm
    .select({ courseId: deployments.courseId, at: max(deployments.createdAt) })
    .from(deployments)
    .where(eq(deployments.orgId, orgId))
    .groupBy(deployments.courseId)
    .all();
  const launches = await db.orm
    .select({ courseId: licenses.courseId, n: count() })
    .from(licenses)
    .innerJoin(launchEvents, orgLaunches(orgId))
    .where(gte(launchEvents.at, since))
    .groupBy(licenses.courseId)
    .all();
  const errors = await db.orm
    .select({ courseId: errorEvents.courseId, n: count() })
    .from(errorEvents)
    .where(and(orgErrors(orgId), gte(errorEvents.at, since)))
    .groupBy(errorEvents.courseId)
    .all();
  const by = <T extends { courseId: string | null }>(list: T[]) => new Map(list.map((r) => [r.courseId, r]));
  const d = by(lastDeploy);
  const l = by(launches);
  const e = by(errors);
  return rows.map((c) => ({
    ...c,
    lastDeployAt: d.get(c.id)?.at ?? null,
    launches24h: l.get(c.id)?.n ?? 0,
    errors24h: e.get(c.id)?.n ?? 0,
  }));
}

export interface DayCount {
  day: number;
  launches: number;
  errors: number;
}

/** Launches and errors per UTC day for the `days` days ending with today, optionally for one license. */
export async function perDay(
  db: Database,
  orgId: string,
  now: number,
  days: number,
  licenseId?: string,
): Promise<DayCount[]> {
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  const since = today - (days - 1) * DAY_MS;
  // Inlined, not bound: better-sqlite3 binds JS numbers as REAL, which would turn this into real division.
  const day = sql.raw(String(DAY_MS));
  const launchDay = sql<number>`(${launchEvents.at} / ${day}) * ${day}`;
  const launches = await db.orm
    .select({ day: launchDay, n: count() })
    .from(licenses)
    .innerJoin(launchEvents, orgLaunches(orgId))
    .where(and(gte(launchEvents.at, since), licenseId ? eq(licenses.id, licenseId) : undefined))
    .groupBy(launchDay)
    .all();
  const errorDay = sql<number>`(${errorEvents.at} / ${day}) * ${day}`;
  // The session join only for a license's chart: the org's chart counts through `error_events_org_at` alone.
  const errorsOf = db.orm.select({ day: errorDay, n: count() }).from(errorEvents);
  const errors = await (licenseId
    ? errorsOf
        .leftJoin(sessions, eq(sessions.id, errorEvents.sessionId))
        .where(and(orgErrors(orgId), gte(errorEvents.at, since), eq(sessions.licenseId, licenseId)))
    : errorsOf.where(and(orgErrors(orgId), gte(errorEvents.at, since)))
  )
    .groupBy(errorDay)
    .all();
  const l = new Map(launches.map((r) => [Number(r.day), r.n]));
  const e = new Map(errors.map((r) => [Number(r.day), r.n]));
  return Array.from({ length: days }, (_, i) => {
    const at = since + i * DAY_MS;
    return { day: at, launches: l.get(at) ?? 0, errors: e.get(at) ?? 0 };
  });
}
