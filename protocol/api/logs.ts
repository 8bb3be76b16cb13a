/** Wire bodies of a course's logs: `GET /v1/courses/:id/launches|errors|completions` (docs/gatekeeper.md, "Logs"). */

export type LogKind = 'launches' | 'errors' | 'completions';
export const LOG_KINDS: readonly LogKind[] = ['launches', 'errors', 'completions'];

/** One row, its columns by log (`id`, `at`, `reason`, … for launches); dates are ISO 8601. */
export type LogRow = Record<string, string | number | boolean | null>;

/**
 * One row of the completions log (`GET /v1/courses/:id/completions`, its CSV and NDJSON): the session's
 * completion record with its score as reported — `score` is the raw score in the course's own units,
 * `scoreMin`/`scoreMax` its range, `scoreScaled` the scaled score (−1..1) — and `percent`, the one
 * comparable figure (protocol/score-percent.ts; null when only a raw score of unknown range is known).
 */
export interface CompletionLogRow {
  sessionId: string;
  deploymentId: string | null;
  completed: boolean;
  /** Passed (true), failed (false), or not known yet (null). */
  success: boolean | null;
  percent: number | null;
  score: number | null;
  scoreMin: number | null;
  scoreMax: number | null;
  scoreScaled: number | null;
  /** 0..1. */
  progress: number | null;
  durationMs: number | null;
  /** ISO 8601. */
  updatedAt: string;
}

/** One page of a log as JSON: its rows under the log's name, and the cursor of the next page (null: the last). */
export type LogPageJson = { [K in LogKind]?: LogRow[] } & { next: string | null };

/** The query a log page or export takes (all optional). */
export interface LogQueryParams {
  since?: string;
  until?: string;
  license?: string;
  deployment?: string;
  code?: string;
  cursor?: string;
  limit?: string;
  order?: 'oldest' | 'newest';
  /** `json` (pages, the default) or a whole-log stream. */
  format?: 'json' | 'csv' | 'ndjson';
}
