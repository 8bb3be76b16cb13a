import { asc, type Column, desc, type SQL, sql } from 'drizzle-orm';
import { GatekeeperError } from '../errors.js';

/**
 * Keyset paging of the logs: rows come in (time, row key) order, and a page continues strictly after
 * the last row of the one before. Time alone ties (many launches share a millisecond); the row key
 * breaks the tie, so a walk sees every row exactly once. Each read has an index on its filter and then
 * its time column, which ends with the rowid, so the index hands rows over in this order: no page sorts
 * and none skips rows it has already shown (no OFFSET).
 */
export interface Cursor {
  at: number;
  key: number;
}

/** The cursor as it travels in URLs: `<time ms>.<row key>`. */
export const cursorText = (c: Cursor): string => `${c.at}.${c.key}`;

/** Reads a cursor from a URL; a malformed one is the caller's mistake, never a silent first page. */
export function parseCursor(text: string | undefined, name = 'cursor'): Cursor | undefined {
  if (text === undefined || text === '') return undefined;
  const m = /^(-?\d{1,16})\.(\d{1,19})$/.exec(text);
  if (!m) throw new GatekeeperError('invalid_request', `${name} must come from a previous page`);
  return { at: Number(m[1]), key: Number(m[2]) };
}

/** Rows strictly beyond `cursor` in the walk's direction: a row-value range the index serves. */
export const beyond = (at: Column | SQL, key: Column | SQL, cursor: Cursor, newest: boolean): SQL =>
  newest
    ? sql`(${at}, ${key}) < (${cursor.at}, ${cursor.key})`
    : sql`(${at}, ${key}) > (${cursor.at}, ${cursor.key})`;

/** The walk's order: time, then row key, both the same way. */
export const walkOrder = (at: Column | SQL, key: Column | SQL, newest: boolean): SQL[] =>
  newest ? [desc(at), desc(key)] : [asc(at), asc(key)];

/** A page read with `limit + 1` rows: the extra row only says that there is a next page. */
export function keysetPage<T extends Cursor, R>(
  rows: readonly T[],
  limit: number,
  map: (row: T) => R,
): { rows: R[]; next?: Cursor } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    rows: page.map(map),
    ...(rows.length > limit && last ? { next: { at: last.at, key: last.key } } : {}),
  };
}
