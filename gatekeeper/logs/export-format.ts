/** CSV (RFC 4180) lines of log exports. */

export type ExportRow = Record<string, unknown>;

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'string' ? value : String(value);
  // A text cell starting with = + - @ is a formula to spreadsheet software: neutralise it. Numbers
  // (a negative score) are data.
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV record of `values`, in the order of `columns`, with its CRLF. */
export function csvLine(columns: readonly string[], values: readonly unknown[]): string {
  return `${columns.map((_, i) => csvCell(values[i])).join(',')}\r\n`;
}
