import { and, type Column, eq, gt, lte, type SQL, sql } from 'drizzle-orm';
import { scorePercent } from '../../protocol/score-percent.js';
import type { Database } from '../db/database.js';
import { beyond, type Cursor, keysetPage, walkOrder } from '../db/keyset.js';
import { completions, errorEvents } from '../db/schema.js';
import { launchLogPage } from './launch-reads.js';
import { orgCompletions, orgErrors } from './org-scope.js';

export type LogKind = 'launches' | 'errors' | 'completions';

/** Filters every log takes; `after` is the cursor (time and row key) of the previous page's last row. */
export interface LogQuery {
  orgId: string;
  courseId: string;
  since?: number;
  until?: number;
  after?: Cursor;
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
  next?: Cursor;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const cond = (...parts: (SQL | undefined | false)[]) => and(...parts.filter((p): p is SQL => !!p));
/** The time window and the page cursor every log takes, on its own time column and row key. */
const windowed = (q: LogQuery, at: Column, key: Column | SQL) => [
  q.since !== undefined && gt(at, q.since),
  q.until !== undefined && lte(at, q.until),
  q.after !== undefined && beyond(at, key, q.after, q.newest === true),
];

/** Launch events of licenses of the course, oldest first unless `newest` (logs/launch-reads.ts). */
async function launches(db: Database, q: LogQuery): Promise<LogPage> {
  const page = await launchLogPage(
    db,
    {
      orgId: q.orgId,
      courseId: q.courseId,
      licenseId: q.license,
      code: q.code,
      // The API's window is (since, until]; the launch reads take [from, to) in whole milliseconds.
      from: q.since === undefined ? undefined : q.since + 1,
      to: q.until === undefined ? undefined : q.until + 1,
    },
    { cursor: q.after, newest: q.newest === true, limit: q.limit },
  );
  return {
    rows: page.rows.map((r) => ({
      id: r.id,
      at: iso(r.at),
      allowed: r.allowed,
      reason: r.reason,
      detail: r.detail,
      licenseId: r.licenseId,
      clientName: r.clientName,
      origin: r.origin,
      standard: r.standard,
      sessionId: r.sessionId,
    })),
    ...(page.next ? { next: page.next } : {}),
  };
}

/** Error groups (one per deployment and fingerprint) last seen in the window, by last seen then id. */
async function errors(db: Database, q: LogQuery): Promise<LogPage> {
  const e = errorEvents;
  const rows = await db.orm
    .select({
      key: e.id,
      at: e.at,
      deploymentId: e.deploymentId,
      fingerprint: e.fingerprint,
      kind: e.kind,
      code: e.code,
      message: e.message,
      count: e.count,
      firstAt: e.firstAt,
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
    .orderBy(...walkOrder(e.at, e.id, q.newest === true))
    .limit(q.limit + 1)
    .all();
  return keysetPage(rows, q.limit, ({ key, at, firstAt, ...r }) => ({
    id: key,
    ...r,
    firstAt: iso(firstAt),
    lastAt: iso(at),
  }));
}

/** Completion records of the course's sessions updated in the window, by last update then rowid. */
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
      at: c.updatedAt,
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
    .orderBy(...walkOrder(c.updatedAt, key, q.newest === true))
    .limit(q.limit + 1)
    .all();
  return keysetPage(rows, q.limit, ({ key: _key, at, ...r }) => ({
    ...r,
    percent: completionPercent(r),
    updatedAt: iso(at),
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
