/** Wire bodies of a course's logs: `GET /v1/courses/:id/launches|errors|completions` (docs/gatekeeper.md, "Logs"). */

export type LogKind = 'launches' | 'errors' | 'completions';
export const LOG_KINDS: readonly LogKind[] = ['launches', 'errors', 'completions'];

/** One row, its columns by log (`id`, `at`, `reason`, … for launches); dates are ISO 8601. */
export type LogRow = Record<string, string | number | boolean | null>;

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
