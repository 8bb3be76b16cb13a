import { and, asc, type Column, desc, eq, gt, lte, type SQL, sql } from 'drizzle-orm';
import { scorePercent } from '../../protocol/score-percent.js';
import type { Database } from '../db/database.js';
import { completions, errorEvents, launchEvents, licenses } from '../db/schema.js';
import { orgCompletions, orgErrors, orgLaunches } from './org-scope.js';

export type LogKind = 'launches' | 'errors' | 'completions';

/** Filters every log takes; `after` is the cursor (a row key) of the previous page. */
export interface LogQuery {
  orgId: string;
  courseId: string;
  since?: number;
  until?: number;
  after?: number;
  limit: number;
  /** Newest row first (the CLI's table); default oldest first, as exports stream. */
  newest?: boolean;
  /** launches: license id; errors and completions: deployment id. */
  license?: string;
  deployment?: string;
  /** launches: `ok` or a launch error code; errors: the error code. */
  code?: string;
}

export type LogRow = Record<string, string | number | boolean | null>;

export interface LogPage {
  rows: LogRow[];
  /** Cursor of the next page; undefined on the last one. */
  next?: number;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const cond = (...parts: (SQL | undefined | false)[]) => and(...parts.filter((p): p is SQL => !!p));
/** The time window and the page cursor every log takes, on its own time column and row key. */
const windowed = (q: LogQuery, at: Column, key: Column | SQL) => [
  q.since !== undefined && gt(at, q.since),
  q.until !== undefined && lte(at, q.until),
  q.after !== undefined && (q.newest ? sql`${key} < ${q.after}` : sql`${key} > ${q.after}`),
];
/** Row-key order of a page: the cursor above walks the same way. */
const ordered = (q: LogQuery, key: Column | SQL) => (q.newest ? desc(key) : asc(key));

function paged<T extends { key: number }>(rows: T[], limit: number, map: (r: T) => LogRow): LogPage {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { rows: page.map(map), ...(rows.length > limit && last ? { next: last.key } : {}) };
}

/** Launch events of licenses of the course, oldest first unless `newest`. */
async function launches(db: Database, q: LogQuery): Promise<LogPage> {
  const rows = await db.orm
    .select({
      key: launchEvents.id,
      at: launchEvents.at,
      allowed: launchEvents.allowed,
      reason: launchEvents.reason,
      detail: launchEvents.detail,
      licenseId: launchEvents.licenseId,
      clientName: licenses.clientName,
      origin: launchEvents.origin,
      standard: launchEvents.standard,
      sessionId: launchEvents.sessionId,
    })
    .from(licenses)
    .innerJoin(launchEvents, orgLaunches(q.orgId))
    .where(
      cond(
        eq(licenses.courseId, q.courseId),
        ...windowed(q, launchEvents.at, launchEvents.id),
        q.license !== undefined && eq(licenses.id, q.license),
        q.code !== undefined && eq(launchEvents.reason, q.code),
      ),
    )
    .orderBy(ordered(q, launchEvents.id))
    .limit(q.limit + 1)
    .all();
  return paged(rows, q.limit, ({ key, at, ...r }) => ({ id: key, at: iso(at), ...r }));
}

/** Error groups (one per deployment and fingerprint) last seen in the window, oldest group first. */
async function errors(db: Database, q: LogQuery): Promise<LogPage> {
  const e = errorEvents;
  const rows = await db.orm
    .select({
      key: e.id,
      deploymentId: e.deploymentId,
      fingerprint: e.fingerprint,
      kind: e.kind,
      code: e.code,
      message: e.message,
      count: e.count,
      firstAt: e.firstAt,
      lastAt: e.at,
      url: e.url,
      stack: e.stack,
    })
    .from(e)
    .where(
      cond(
        orgErrors(q.orgId),
        eq(e.courseId, q.courseId),
        ...windowed(q, e.at, e.id),
        q.deployment !== undefined && eq(e.deploymentId, q.deployment),
        q.code !== undefined && eq(e.code, q.code),
      ),
    )
    .orderBy(ordered(q, e.id))
    .limit(q.limit + 1)
    .all();
  return paged(rows, q.limit, ({ key, firstAt, lastAt, ...r }) => ({
    id: key,
    ...r,
    firstAt: iso(firstAt),
    lastAt: iso(lastAt),
  }));
}

/** Completion records of the course's sessions updated in the window. */
async function completionRecords(db: Database, q: LogQuery): Promise<LogPage> {
  const c = completions;
  const key = sql<number>`${c}.rowid`;
  const rows = await db.orm
    .select({
      key,
      sessionId: c.sessionId,
      deploymentId: c.deploymentId,
      completed: c.completed,
      success: c.passed,
      score: c.score,
      scoreMin: c.scoreMin,
      scoreMax: c.scoreMax,
      scoreScaled: c.scoreScaled,
      progress: c.progress,
      durationMs: c.durationMs,
      updatedAt: c.updatedAt,
    })
    .from(c)
    .where(
      cond(
        orgCompletions(q.orgId),
        eq(c.courseId, q.courseId),
        ...windowed(q, c.updatedAt, key),
        q.deployment !== undefined && eq(c.deploymentId, q.deployment),
      ),
    )
    .orderBy(ordered(q, key))
    .limit(q.limit + 1)
    .all();
  return paged(rows, q.limit, ({ key: _key, updatedAt, ...r }) => ({
    ...r,
    percent: completionPercent(r),
    updatedAt: iso(updatedAt),
  }));
}

/** A completion row's score as a percent (protocol/score-percent.ts), from the columns the logs read. */
export function completionPercent(r: {
  score: number | null;
  scoreMin: number | null;
  scoreMax: number | null;
  scoreScaled: number | null;
}): number | null {
  return scorePercent({ scaled: r.scoreScaled, raw: r.score, min: r.scoreMin, max: r.scoreMax });
}

/** Column order of each log, for CSV headers. */
export const LOG_COLUMNS: Record<LogKind, readonly string[]> = {
  launches: [
    'id',
    'at',
    'allowed',
    'reason',
    'detail',
    'licenseId',
    'clientName',
    'origin',
    'standard',
    'sessionId',
  ],
  errors: [
    'id',
    'deploymentId',
    'fingerprint',
    'kind',
    'code',
    'message',
    'count',
    'firstAt',
    'lastAt',
    'url',
    'stack',
  ],
  completions: [
    'sessionId',
    'deploymentId',
    'completed',
    'success',
    'percent',
    'score',
    'scoreMin',
    'scoreMax',
    'scoreScaled',
    'progress',
    'durationMs',
    'updatedAt',
  ],
};

/** One page of a course's log. */
export function queryLog(db: Database, kind: LogKind, q: LogQuery): Promise<LogPage> {
  return kind === 'launches' ? launches(db, q) : kind === 'errors' ? errors(db, q) : completionRecords(db, q);
}
