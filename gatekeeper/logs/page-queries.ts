import { and, desc, eq, gte, lt, type SQL } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { completions, errorEvents, launchEvents, licenses, sessions } from '../db/schema.js';
import { orgCompletions, orgErrors, orgLaunches } from './org-scope.js';
import { completionPercent } from './queries.js';

/**
 * The dashboard's log pages (launches, errors, completions) with their filters, offset-paged. The org
 * comes from the signed-in member and its isolation from `org-scope.ts`; none of them writes.
 */

export interface LogFilter {
  courseId?: string | undefined;
  licenseId?: string | undefined;
  outcome?: 'allowed' | 'denied' | undefined;
  from?: number | undefined;
  to?: number | undefined;
}

function launchWhere(f: LogFilter): SQL | undefined {
  const parts: (SQL | undefined)[] = [];
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
    .innerJoin(launchEvents, orgLaunches(orgId, f.outcome))
    .where(launchWhere(f))
    .orderBy(desc(launchEvents.id))
    .limit(limit)
    .offset(offset)
    .all();
}

export async function errorLog(db: Database, orgId: string, f: LogFilter, limit: number, offset: number) {
  const parts: (SQL | undefined)[] = [orgErrors(orgId)];
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
  const parts: (SQL | undefined)[] = [orgCompletions(orgId)];
  if (f.courseId) parts.push(eq(completions.courseId, f.courseId));
  if (f.licenseId) parts.push(eq(sessions.licenseId, f.licenseId));
  if (f.from !== undefined) parts.push(gte(completions.updatedAt, f.from));
  if (f.to !== undefined) parts.push(lt(completions.updatedAt, f.to));
  const rows = await db.orm
    .select({
      sessionId: completions.sessionId,
      courseId: completions.courseId,
      licenseId: sessions.licenseId,
      completed: completions.completed,
      passed: completions.passed,
      score: completions.score,
      scoreMin: completions.scoreMin,
      scoreMax: completions.scoreMax,
      scoreScaled: completions.scoreScaled,
      updatedAt: completions.updatedAt,
    })
    .from(completions)
    .leftJoin(sessions, eq(sessions.id, completions.sessionId))
    .where(and(...parts))
    .orderBy(desc(completions.updatedAt))
    .limit(limit)
    .offset(offset)
    .all();
  return rows.map((r) => ({ ...r, percent: completionPercent(r) }));
}
