import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from './database.js';
import { licenses } from './schema.js';

/** What one license was used for this month (UTC), and its launches in its cap's current period. */
export interface LicenseUsage {
  allowed: number;
  denied: number;
  /** Sessions (of this month's allowed launches) that reported anything: they have a completion record. */
  sessions: number;
  completed: number;
  passed: number;
  /** Sessions with a pass or a fail: the pass rate's denominator. */
  judged: number;
  /** The last launch ever, allowed or denied. */
  lastLaunchAt: number | null;
  /** Allowed launches since the start of the cap's period (0 without a cap), as the launch check counts. */
  capUsed: number;
}

/** Start of this UTC month and day (ms): the usage window and the cap periods. */
export function usageWindows(now: Date): { month: number; day: number } {
  return {
    month: Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1),
    day: Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()),
  };
}

/** Where each license's cap period starts, as the launch check counts it (docs/gatekeeper.md, "Launch"). */
function capStart(now: Date) {
  const { month, day } = usageWindows(now);
  return sql`CASE ${licenses.capPeriod} WHEN 'day' THEN ${day} WHEN 'month' THEN ${month} ELSE 0 END`;
}

/**
 * The usage of the org's licenses `ids` in one statement, whatever their number. Each figure is a range
 * of `launch_events_license_at` (license, allowed, time): counts and the last launch come from the index
 * alone; the results join this month's allowed launches to `completions` by its key.
 */
export async function licenseUsage(
  db: Database,
  orgId: string,
  ids: readonly string[],
  now: Date,
): Promise<Map<string, LicenseUsage>> {
  if (ids.length === 0) return new Map();
  const { month } = usageWindows(now);
  const capSince = capStart(now);
  const count = (allowed: 0 | 1, since: unknown) =>
    sql`(SELECT count(*) FROM launch_events e WHERE e.license_id = ${licenses.id} AND e.allowed = ${allowed} AND e.at >= ${since})`;
  const last = (allowed: 0 | 1) =>
    sql`coalesce((SELECT max(e.at) FROM launch_events e WHERE e.license_id = ${licenses.id} AND e.allowed = ${allowed}), -1)`;
  // Nested, so drizzle names the outer column with its table (a bare "id" would be the inner table's).
  const results = sql`(SELECT json_array(count(*), coalesce(sum(c.completed), 0), coalesce(sum(c.passed = 1), 0), count(c.passed)) FROM launch_events e JOIN completions c ON c.session_id = e.session_id WHERE e.license_id = ${licenses.id} AND e.allowed = 1 AND e.at >= ${month})`;
  const rows = await db.orm
    .select({
      id: licenses.id,
      allowed: sql<number>`${count(1, month)}`,
      denied: sql<number>`${count(0, month)}`,
      last: sql<number>`max(${last(1)}, ${last(0)})`,
      capUsed: sql<number>`CASE WHEN ${licenses.launchCap} IS NULL THEN 0 ELSE ${count(1, capSince)} END`,
      // One pass over the month's sessions for all four figures.
      results: sql<string>`${results}`,
    })
    .from(licenses)
    .where(and(eq(licenses.orgId, orgId), inArray(licenses.id, [...ids])))
    .all();
  return new Map(
    rows.map((r) => {
      const [sessions, completed, passed, judged] = JSON.parse(r.results) as number[];
      const usage: LicenseUsage = {
        allowed: r.allowed,
        denied: r.denied,
        sessions: sessions ?? 0,
        completed: completed ?? 0,
        passed: passed ?? 0,
        judged: judged ?? 0,
        lastLaunchAt: r.last < 0 ? null : r.last,
        capUsed: r.capUsed,
      };
      return [r.id, usage];
    }),
  );
}

/**
 * The org's licenses (of one course, if named) a flag may concern: not revoked, and expiring within
 * `expiringMs` of `now` or capped; each with its cap's use, counted as `licenseUsage` counts it.
 */
export async function flagCandidates(
  db: Database,
  q: { orgId: string; courseId?: string | undefined; now: Date; expiringMs: number },
) {
  const capSince = capStart(q.now);
  const at = q.now.getTime();
  // Nested, so the outer license's id is named with its table (as in `licenseUsage`).
  const used = sql`(SELECT count(*) FROM launch_events e WHERE e.license_id = ${licenses.id} AND e.allowed = 1 AND e.at >= ${capSince})`;
  return db.orm
    .select({
      id: licenses.id,
      clientName: licenses.clientName,
      courseId: licenses.courseId,
      status: licenses.status,
      startsAt: licenses.startsAt,
      expiresAt: licenses.expiresAt,
      launchCap: licenses.launchCap,
      capPeriod: licenses.capPeriod,
      capUsed: sql<number>`CASE WHEN ${licenses.launchCap} IS NULL THEN 0 ELSE ${used} END`,
    })
    .from(licenses)
    .where(
      and(
        eq(licenses.orgId, q.orgId),
        q.courseId === undefined ? undefined : eq(licenses.courseId, q.courseId),
        eq(licenses.status, 'active'),
        sql`(${licenses.launchCap} IS NOT NULL OR (${licenses.expiresAt} > ${at} AND ${licenses.expiresAt} <= ${at + q.expiringMs}))`,
      ),
    )
    .orderBy(licenses.clientName)
    .all();
}
