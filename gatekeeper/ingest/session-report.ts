import { z } from 'zod';
import type { SessionReport } from '../../protocol/session-report.js';
import type { Database } from '../db/database.js';
import type { Session } from '../db/sessions.js';
import { GatekeeperError } from '../errors.js';
import { durationToMs } from './completion.js';
import { type CompletionOutcome, completionParams, prepareCompletionUpsert } from './completion-upsert.js';

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
}) satisfies z.ZodType<SessionReport>;

/** The completion record a report stands for; `null` leaves what is stored. */
export type ReportedOutcome = { [K in keyof CompletionOutcome]: Exclude<CompletionOutcome[K], undefined> };

/**
 * SCORM 1.2 RTE, section 3.4 (`cmi.core.score.raw`): raw is "a normalized value between 0 and 100", so without
 * `min` / `max` the range is 0..100 (docs/telemetry.md, "Scores").
 */
const SCORM12_RANGE = { min: 0, max: 100 };

const num = (v: string | undefined) => (v === undefined || v === '' ? null : Number(v));

function time12(v: string | undefined): number | null {
  if (v === undefined) return null;
  const [h, m, s] = v.split(':').map(Number);
  return Math.round(((h ?? 0) * 3600 + (m ?? 0) * 60 + (s ?? 0)) * 1000);
}

/**
 * What the LMS recorded, as a completion record. SCORM 1.2 `lesson_status`: `passed` and `failed` are
 * completed attempts with a success, `completed` has none (as SCORM Cloud reports them); the scaled
 * score is `(raw - min) / (max - min)`, over 0..100 where the course set no `min` / `max`. SCORM 2004: the
 * statuses and `score.scaled` as set, `progress_measure` as progress. Raw, min and max are kept as set.
 */
export function reportedOutcome({ cmi }: SessionReport): ReportedOutcome {
  const status = cmi['cmi.core.lesson_status'];
  const success = cmi['cmi.success_status'];
  const raw = num(cmi['cmi.core.score.raw']);
  const min12 = num(cmi['cmi.core.score.min']);
  const max12 = num(cmi['cmi.core.score.max']);
  const min = min12 ?? SCORM12_RANGE.min;
  const max = max12 ?? SCORM12_RANGE.max;
  const scaled12 = raw !== null && max > min ? (raw - min) / (max - min) : null;
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
    scoreMin: min12 ?? num(cmi['cmi.score.min']),
    scoreMax: max12 ?? num(cmi['cmi.score.max']),
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
  const upsert = prepareCompletionUpsert(db, { seq: true });

  return {
    async write(session: Session, report: SessionReport, now: number): Promise<void> {
      await db.batchPrepared([
        [upsert, { ...completionParams(session, reportedOutcome(report), now), reportSeq: report.seq }],
      ]);
    },
  };
}
