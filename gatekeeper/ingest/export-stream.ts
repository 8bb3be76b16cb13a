import type { Database } from '../db/database.js';
import {
  LOG_COLUMNS,
  type LogKind,
  type LogPage,
  type LogQuery,
  type LogRow,
  queryLog,
} from '../logs/queries.js';

export type ExportFormat = 'csv' | 'ndjson';

const EXPORT_PAGE = 1000;

/** RFC 4180 field; a leading `=+-@` is prefixed with `'` so spreadsheets do not run it as a formula. */
function csvField(v: LogRow[string]): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s) && typeof v === 'string') s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * A whole log as CSV (header row first) or NDJSON, read from the database one page at a time as the
 * consumer pulls, so memory stays bounded whatever the size of the export.
 */
export function exportLog(
  db: Database,
  kind: LogKind,
  query: Omit<LogQuery, 'limit' | 'after'>,
  format: ExportFormat,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const columns = LOG_COLUMNS[kind];
  let after: number | undefined;
  let done = false;
  let header = format === 'csv';
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (header) {
          header = false;
          controller.enqueue(encoder.encode(`${columns.join(',')}\r\n`));
          return;
        }
        if (done) {
          controller.close();
          return;
        }
        const page: LogPage = await queryLog(db, kind, {
          ...query,
          limit: EXPORT_PAGE,
          ...(after === undefined ? {} : { after }),
        });
        after = page.next;
        done = page.next === undefined;
        const text =
          format === 'csv'
            ? page.rows.map((r) => `${columns.map((c) => csvField(r[c] ?? null)).join(',')}\r\n`).join('')
            : page.rows.map((r) => `${JSON.stringify(r)}\n`).join('');
        if (text) controller.enqueue(encoder.encode(text));
      },
    },
    { highWaterMark: 1 },
  );
}
