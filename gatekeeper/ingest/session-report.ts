import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database, PreparedWrite } from '../db/database.js';
import { completions } from '../db/schema.js';
import type { Session } from '../db/sessions.js';
import { GatekeeperError } from '../errors.js';
import { durationToMs } from './completion.js';

/**
 * A gated SCORM launch stub's report of its session (`POST /v1/sessions/report`): the outcome elements the
 * course set on the LMS, by their CMI names, and nothing else. The schema is strict, so a learner field
 * (`cmi.core.student_name`, `cmi.learner_id`, suspend data, interactions) is refused, never stored.
 */
// SCORM 1.2 scores may be blank (CMIBlank): blank is "not set".
const Decimal = z
  .string()
  .max(32)
  .regex(/^(-?(\d+(\.\d*)?|\.\d+))?$/, 'a decimal number');
const Time12 = z
  .string()
  .max(32)
  .regex(/^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$/, 'a SCORM 1.2 CMITimespan');
const Time2004 = z.string().max(64).regex(/^P/, 'an ISO 8601 duration');

export const SessionReportSchema = z.strictObject({
  /** Grows with every report of one stub; an older report arriving late changes nothing. */
  seq: z.number().int().positive().max(1e9),
  cmi: z.strictObject({
    'cmi.core.lesson_status': z
      .enum(['passed', 'completed', 'failed', 'incomplete', 'browsed', 'not attempted'])
      .optional(),
    'cmi.core.score.raw': Decimal.optional(),
    'cmi.core.score.min': Decimal.optional(),
    'cmi.core.score.max': Decimal.optional(),
    'cmi.core.session_time': Time12.optional(),
    'cmi.completion_status': z.enum(['completed', 'incomplete', 'not attempted', 'unknown']).optional(),
    'cmi.success_status': z.enum(['passed', 'failed', 'unknown']).optional(),
    'cmi.score.scaled': Decimal.optional(),
    'cmi.score.raw': Decimal.optional(),
    'cmi.score.min': Decimal.optional(),
    'cmi.score.max': Decimal.optional(),
    'cmi.progress_measure': Decimal.optional(),
    'cmi.session_time': Time2004.optional(),
  }),
});

export type SessionReport = z.infer<typeof SessionReportSchema>;

/** The completion record a report stands for; `null` leaves what is stored. */
export interface ReportedOutcome {
  completed: boolean;
  passed: boolean | null;
  score: number | null;
  scoreScaled: number | null;
  progress: number | null;
  durationMs: number | null;
}

const num = (v: string | undefined) => (v === undefined || v === '' ? null : Number(v));

function time12(v: string | undefined): number | null {
  if (v === undefined) return null;
  const [h, m, s] = v.split(':').map(Number);
  return Math.round(((h ?? 0) * 3600 + (m ?? 0) * 60 + (s ?? 0)) * 1000);
}

/**
 * What the LMS recorded, as a completion record. SCORM 1.2 `lesson_status`: `passed` and `failed` are
 * completed attempts with a success, `completed` has none (as SCORM Cloud reports them); the scaled
 * score is `(raw - min) / (max - min)` when the course set `max`. SCORM 2004: the statuses and
 * `score.scaled` as set, `progress_measure` as progress.
 */
export function reportedOutcome({ cmi }: SessionReport): ReportedOutcome {
  const status = cmi['cmi.core.lesson_status'];
  const success = cmi['cmi.success_status'];
  const raw = num(cmi['cmi.core.score.raw']);
  const min = num(cmi['cmi.core.score.min']) ?? 0;
  const max = num(cmi['cmi.core.score.max']);
  const scaled12 = raw !== null && max !== null && max > min ? (raw - min) / (max - min) : null;
  const duration2004 = cmi['cmi.session_time'];
  return {
    completed:
      status === 'passed' ||
      status === 'failed' ||
      status === 'completed' ||
      cmi['cmi.completion_status'] === 'completed',
    passed:
      status === 'passed' || success === 'passed'
        ? true
        : status === 'failed' || success === 'failed'
          ? false
          : null,
    score: raw ?? num(cmi['cmi.score.raw']),
    scoreScaled: num(cmi['cmi.score.scaled']) ?? scaled12,
    progress: num(cmi['cmi.progress_measure']),
    durationMs:
      time12(cmi['cmi.core.session_time']) ??
      (duration2004 === undefined ? null : (durationToMs(duration2004) ?? null)),
  };
}

/** Validates a request body; `400 invalid_request` names the first problem (e.g. an unknown element). */
export function parseSessionReport(body: unknown): SessionReport {
  const parsed = SessionReportSchema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new GatekeeperError(
    400,
    'invalid_request',
    issue ? `${issue.path.join('.') || 'report'}: ${issue.message}` : 'Invalid report',
  );
}

/**
 * Merges reports into the session's completion record (`completions`, shared with the statements
 * ingest). A report is the stub's whole view of the session, so the latest one wins for success and
 * score; completion, progress and duration only grow, as they do for statements. A report whose `seq` is
 * not above the last applied one (a retry, or an earlier send that arrived late) changes nothing.
 */
export function createSessionReportStore(db: Database) {
  const p = sql.placeholder;
  const keep = (column: string) => sql.raw(`coalesce(excluded.${column}, "completions"."${column}")`);
  const grow = (column: string) =>
    sql.raw(
      `coalesce(max("completions"."${column}", excluded.${column}), "completions"."${column}", excluded.${column})`,
    );
  const upsert = db.orm
    .insert(completions)
    .values({
      sessionId: p('sessionId'),
      orgId: p('orgId'),
      courseId: p('courseId'),
      deploymentId: p('deploymentId'),
      completed: p('completed'),
      // Through sql, not the boolean column's encoder, which would turn null ("not known") into false.
      passed: sql`${p('passed')}`,
      score: p('score'),
      scoreScaled: p('scoreScaled'),
      progress: p('progress'),
      durationMs: p('durationMs'),
      updatedAt: p('updatedAt'),
      reportSeq: p('reportSeq'),
    })
    .onConflictDoUpdate({
      target: completions.sessionId,
      set: {
        completed: sql.raw('max("completions"."completed", excluded.completed)'),
        passed: keep('passed'),
        score: keep('score'),
        scoreScaled: keep('score_scaled'),
        progress: grow('progress'),
        durationMs: grow('duration_ms'),
        updatedAt: sql.raw('excluded.updated_at'),
        reportSeq: sql.raw('excluded.report_seq'),
      },
      setWhere: sql.raw('excluded.report_seq > coalesce("completions"."report_seq", 0)'),
    })
    .prepare() as unknown as PreparedWrite;

  return {
    async write(session: Session, report: SessionReport, now: number): Promise<void> {
      const o = reportedOutcome(report);
      const bool = (v: boolean | null) => (v === null ? null : v ? 1 : 0);
      await db.batchPrepared([
        [
          upsert,
          {
            sessionId: session.id,
            orgId: session.orgId,
            courseId: session.courseId,
            deploymentId: session.deploymentId,
            completed: o.completed ? 1 : 0,
            passed: bool(o.passed),
            score: o.score,
            scoreScaled: o.scoreScaled,
            progress: o.progress,
            durationMs: o.durationMs,
            updatedAt: now,
            reportSeq: report.seq,
          },
        ],
      ]);
    },
  };
}
