import { and, count, desc, eq, gte, lt, max, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { launchesOfLicenses } from '../db/launch-events.js';
import {
  completions,
  courses,
  deployments,
  errorEvents,
  launchEvents,
  licenses,
  sessions,
} from '../db/schema.js';

/**
 * The dashboard's reads. Every one takes the org id of the signed-in member (DESIGN §4), and none of
 * them writes.
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
    .innerJoin(launchEvents, launchesOfLicenses())
    .where(and(eq(licenses.orgId, orgId), eq(launchEvents.orgId, orgId), gte(launchEvents.at, since)))
    .groupBy(licenses.courseId)
    .all();
  const errors = await db.orm
    .select({ courseId: errorEvents.courseId, n: count() })
    .from(errorEvents)
    .where(and(eq(errorEvents.orgId, orgId), gte(errorEvents.at, since)))
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

export interface LogFilter {
  courseId?: string | undefined;
  licenseId?: string | undefined;
  outcome?: 'allowed' | 'denied' | undefined;
  from?: number | undefined;
  to?: number | undefined;
}

function launchWhere(orgId: string, f: LogFilter): SQL | undefined {
  const parts: (SQL | undefined)[] = [eq(licenses.orgId, orgId), eq(launchEvents.orgId, orgId)];
  if (f.courseId) parts.push(eq(licenses.courseId, f.courseId));
  if (f.licenseId) parts.push(eq(licenses.id, f.licenseId));
  if (f.from !== undefined) parts.push(gte(launchEvents.at, f.from));
  if (f.to !== undefined) parts.push(lt(launchEvents.at, f.to));
  return and(...parts);
}

export async function launchLog(db: Database, orgId: string, f: LogFilter, limit: number, offset: number) {
  return db.orm
    .select({
      id: launchEvents.id,
      at: launchEvents.at,
      allowed: launchEvents.allowed,
      reason: launchEvents.reason,
      detail: launchEvents.detail,
      origin: launchEvents.origin,
      standard: launchEvents.standard,
      sessionId: launchEvents.sessionId,
      licenseId: launchEvents.licenseId,
      clientName: licenses.clientName,
      courseId: licenses.courseId,
    })
    .from(licenses)
    .innerJoin(launchEvents, launchesOfLicenses(f.outcome))
    .where(launchWhere(orgId, f))
    .orderBy(desc(launchEvents.id))
    .limit(limit)
    .offset(offset)
    .all();
}

export async function errorLog(db: Database, orgId: string, f: LogFilter, limit: number, offset: number) {
  const parts: (SQL | undefined)[] = [eq(errorEvents.orgId, orgId)];
  if (f.courseId) parts.push(eq(errorEvents.courseId, f.courseId));
  if (f.licenseId) parts.push(eq(sessions.licenseId, f.licenseId));
  if (f.from !== undefined) parts.push(gte(errorEvents.at, f.from));
  if (f.to !== undefined) parts.push(lt(errorEvents.at, f.to));
  return db.orm
    .select({
      id: errorEvents.id,
      at: errorEvents.at,
      courseId: errorEvents.courseId,
      licenseId: sessions.licenseId,
      sessionId: errorEvents.sessionId,
      code: errorEvents.code,
      message: errorEvents.message,
      url: errorEvents.url,
    })
    .from(errorEvents)
    .leftJoin(sessions, eq(sessions.id, errorEvents.sessionId))
    .where(and(...parts))
    .orderBy(desc(errorEvents.id))
    .limit(limit)
    .offset(offset)
    .all();
}

export async function completionLog(
  db: Database,
  orgId: string,
  f: LogFilter,
  limit: number,
  offset: number,
) {
  const parts: (SQL | undefined)[] = [eq(completions.orgId, orgId)];
  if (f.courseId) parts.push(eq(completions.courseId, f.courseId));
  if (f.licenseId) parts.push(eq(sessions.licenseId, f.licenseId));
  if (f.from !== undefined) parts.push(gte(completions.updatedAt, f.from));
  if (f.to !== undefined) parts.push(lt(completions.updatedAt, f.to));
  return db.orm
    .select({
      sessionId: completions.sessionId,
      courseId: completions.courseId,
      licenseId: sessions.licenseId,
      completed: completions.completed,
      passed: completions.passed,
      score: completions.score,
      updatedAt: completions.updatedAt,
    })
    .from(completions)
    .leftJoin(sessions, eq(sessions.id, completions.sessionId))
    .where(and(...parts))
    .orderBy(desc(completions.updatedAt))
    .limit(limit)
    .offset(offset)
    .all();
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
    .innerJoin(launchEvents, launchesOfLicenses())
    .where(
      and(
        eq(licenses.orgId, orgId),
        eq(launchEvents.orgId, orgId),
        gte(launchEvents.at, since),
        licenseId ? eq(licenses.id, licenseId) : undefined,
      ),
    )
    .groupBy(launchDay)
    .all();
  const errorDay = sql<number>`(${errorEvents.at} / ${day}) * ${day}`;
  const errors = await db.orm
    .select({ day: errorDay, n: count() })
    .from(errorEvents)
    .leftJoin(sessions, eq(sessions.id, errorEvents.sessionId))
    .where(
      and(
        eq(errorEvents.orgId, orgId),
        gte(errorEvents.at, since),
        licenseId ? eq(sessions.licenseId, licenseId) : undefined,
      ),
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
