import { csvLine, type ExportRow } from './export-format.js';

export type ExportFormat = 'csv' | 'ndjson';

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
 * c.body(exportStream({ columns, format: 'csv', page: (cursor) => readPage(cursor) }));
 */
export function exportStream<C>(options: {
  columns: readonly string[];
  format: ExportFormat;
  page(cursor: C | undefined): Promise<ExportPage<C>>;
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
        const page = await options.page(cursor);
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
