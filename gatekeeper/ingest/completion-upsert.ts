import { sql } from 'drizzle-orm';
import type { Database, PreparedWrite } from '../db/database.js';
import { completions } from '../db/schema.js';
import type { Session } from '../db/sessions.js';

/** What one write knows of a session's outcome; null or undefined is "not known", which keeps the stored value. */
export interface CompletionOutcome {
  completed: boolean;
  passed: boolean | null | undefined;
  /** Raw score; with its range and the scaled score, one score: written together or not at all. */
  score: number | null | undefined;
  scoreMin: number | null | undefined;
  scoreMax: number | null | undefined;
  scoreScaled: number | null | undefined;
  /** 0..1. */
  progress: number | null | undefined;
  durationMs: number | null | undefined;
}

/**
 * The one upsert into a session's completion record, shared by the statements ingest and the stub's
 * session reports so both merge the same way: completion, progress and duration only grow; passed and
 * the score take the newest known value. The score's parts (raw, min, max, scaled) go together: a write
 * with any of them replaces all four, so a raw score never meets another report's range. With `seq`, the row also carries the report's `reportSeq` and a
 * report not above the last applied one changes nothing (a retry, or an earlier send that arrived late).
 */
export function prepareCompletionUpsert(db: Database, { seq }: { seq: boolean }): PreparedWrite {
  const p = sql.placeholder;
  const keep = (column: string) => sql.raw(`coalesce(excluded.${column}, "completions"."${column}")`);
  const grow = (column: string) =>
    sql.raw(
      `coalesce(max("completions"."${column}", excluded.${column}), "completions"."${column}", excluded.${column})`,
    );
  const SCORE = ['score', 'score_min', 'score_max', 'score_scaled'];
  const scored = SCORE.map((c) => `excluded.${c} IS NOT NULL`).join(' OR ');
  const score = (column: string) =>
    sql.raw(`CASE WHEN ${scored} THEN excluded.${column} ELSE "completions"."${column}" END`);
  return db.orm
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
      scoreMin: p('scoreMin'),
      scoreMax: p('scoreMax'),
      scoreScaled: p('scoreScaled'),
      progress: p('progress'),
      durationMs: p('durationMs'),
      updatedAt: p('updatedAt'),
      ...(seq ? { reportSeq: p('reportSeq') } : {}),
    })
    .onConflictDoUpdate({
      target: completions.sessionId,
      set: {
        completed: sql.raw('max("completions"."completed", excluded.completed)'),
        passed: keep('passed'),
        score: score('score'),
        scoreMin: score('score_min'),
        scoreMax: score('score_max'),
        scoreScaled: score('score_scaled'),
        progress: grow('progress'),
        durationMs: grow('duration_ms'),
        updatedAt: sql.raw('excluded.updated_at'),
        ...(seq ? { reportSeq: sql.raw('excluded.report_seq') } : {}),
      },
      ...(seq ? { setWhere: sql.raw('excluded.report_seq > coalesce("completions"."report_seq", 0)') } : {}),
    })
    .prepare() as unknown as PreparedWrite;
}

/** The upsert's parameters for `session`'s outcome as of `now` (add `reportSeq` for a `seq` upsert). */
export function completionParams(
  session: Session,
  o: CompletionOutcome,
  now: number,
): Record<string, unknown> {
  return {
    sessionId: session.id,
    orgId: session.orgId,
    courseId: session.courseId,
    deploymentId: session.deploymentId,
    completed: o.completed ? 1 : 0,
    passed: o.passed == null ? null : o.passed ? 1 : 0,
    score: o.score ?? null,
    scoreMin: o.scoreMin ?? null,
    scoreMax: o.scoreMax ?? null,
    scoreScaled: o.scoreScaled ?? null,
    progress: o.progress ?? null,
    durationMs: o.durationMs ?? null,
    updatedAt: now,
  };
}
