import type { GatekeeperError } from '../errors.js';
import { faultCodes, faultError } from '../faults.js';

/** better-sqlite3's (extended) result codes of a database that cannot take the request now. */
const SQLITE_UNAVAILABLE = /^SQLITE_(IOERR|BUSY|LOCKED|CANTOPEN|READONLY|PROTOCOL|NOMEM)(_|$)/;

/**
 * The fault a better-sqlite3 error stands for, read from its `code` (drizzle wraps it as `cause`):
 * `SQLITE_FULL` → `disk_full`; I/O errors, a lock held past `busy_timeout`, a file that cannot be opened
 * or written → `database_unavailable`; anything else (a constraint, a bug) → undefined.
 *
 * @example
 * sqliteFault(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }))?.code; // 'disk_full'
 */
export function sqliteFault(err: unknown): GatekeeperError | undefined {
  const codes = faultCodes(err);
  if (codes.includes('SQLITE_FULL')) return faultError('disk_full', err);
  if (codes.some((c) => SQLITE_UNAVAILABLE.test(c))) return faultError('database_unavailable', err);
  // Not Node's errno codes: better-sqlite3 never throws them, and another seam's (a store's ECONNREFUSED)
  // must not read as the database's.
  return undefined;
}

/**
 * D1's errors carry no code, only text (developers.cloudflare.com/d1/observability/debug-d1, "Error
 * list"), so they are told apart by it: a database at its size limit or SQLite's `SQLITE_FULL` →
 * `disk_full`; an overloaded, reset or unreachable database → `database_unavailable`.
 */
const D1_FULL = /SQLITE_FULL|database or disk is full|Exceeded maximum DB size/i;
const D1_UNAVAILABLE =
  /SQLITE_(BUSY|IOERR|LOCKED)|D1 DB is overloaded|was reset|caused object to be reset|Network connection lost|transient issue|Cannot resolve D1 DB|storage operation exceeded timeout/i;

/** The fault a D1 binding error stands for (see above), or undefined. */
export function d1Fault(err: unknown): GatekeeperError | undefined {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (D1_FULL.test(e.message)) return faultError('disk_full', err);
    if (D1_UNAVAILABLE.test(e.message)) return faultError('database_unavailable', err);
  }
  return undefined;
}
