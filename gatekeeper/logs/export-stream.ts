import { csvLine, type ExportRow } from './export-format.js';

export type ExportFormat = 'csv' | 'ndjson';

/**
 * The first page's rows. A page is read synchronously on SQLite: a narrow filter can walk many index
 * entries to fill 1,000 rows, and the header and first rows should not wait for that.
 */
export const FIRST_PAGE_ROWS = 100;

/** One page of an export and the cursor of the next (undefined: that was the last). */
export interface ExportPage<C> {
  rows: readonly ExportRow[];
  next?: C | undefined;
}

/**
 * A whole log as CSV (header row first) or NDJSON, read one keyset page at a time as the consumer
 * pulls: each page starts at the previous page's last key, so the export is linear in its rows, holds
 * one page in memory whatever its size, and has every row. A web stream, so Node and the Worker both
 * send it as it is read.
 *
 * @example
 * c.body(exportStream({ columns, format: 'csv', pageRows: 1000, page: (cursor, rows) => readPage(cursor, rows) }));
 */
export function exportStream<C>(options: {
  columns: readonly string[];
  format: ExportFormat;
  /** Rows per page after the first; the first is at most `FIRST_PAGE_ROWS`, so the download starts at once. */
  pageRows: number;
  page(cursor: C | undefined, rows: number): Promise<ExportPage<C>>;
}): ReadableStream<Uint8Array> {
  const { columns, format } = options;
  const encoder = new TextEncoder();
  let cursor: C | undefined;
  let done = false;
  let header = format === 'csv';
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (header) {
          header = false;
          controller.enqueue(encoder.encode(csvLine(columns, columns)));
          return;
        }
        if (done) {
          controller.close();
          return;
        }
        const page = await options.page(
          cursor,
          cursor === undefined ? Math.min(FIRST_PAGE_ROWS, options.pageRows) : options.pageRows,
        );
        cursor = page.next;
        done = page.next === undefined;
        const text =
          format === 'csv'
            ? page.rows
                .map((r) =>
                  csvLine(
                    columns,
                    columns.map((c) => r[c]),
                  ),
                )
                .join('')
            : page.rows.map((r) => `${JSON.stringify(r)}\n`).join('');
        if (text) controller.enqueue(encoder.encode(text));
      },
    },
    { highWaterMark: 1 },
  );
}
