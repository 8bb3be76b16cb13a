import { GatekeeperError } from './errors.js';

/** The codes of a fault of what the Gatekeeper stands on (503): the request may succeed later. */
export type FaultCode = 'storage_unavailable' | 'database_unavailable' | 'disk_full';

/**
 * `Retry-After` of each fault, in seconds: a full disk waits for an operator, an unreachable store or a
 * busy database usually comes back within seconds (docs/operations.md, "Faults").
 */
export const FAULT_RETRY_AFTER: Record<FaultCode, number> = {
  disk_full: 60,
  storage_unavailable: 10,
  database_unavailable: 5,
};

const MESSAGES: Record<FaultCode, string> = {
  disk_full: 'The server is out of disk space; retry later',
  storage_unavailable: 'Content storage is unavailable; retry later',
  database_unavailable: 'The database is unavailable; retry later',
};

/** The one typed error a seam turns a driver's fault into; `app.onError` renders it as 503 + Retry-After. */
export function faultError(code: FaultCode, cause: unknown, message = MESSAGES[code]): GatekeeperError {
  return new GatekeeperError(code, message, undefined, { retryAfter: FAULT_RETRY_AFTER[code], cause });
}

/** Whether `err` is a fault a seam already classified (so a wrapper does not classify it twice). */
export function isFault(err: unknown): err is GatekeeperError {
  return err instanceof GatekeeperError && err.code in FAULT_RETRY_AFTER;
}

/** Node's codes for a volume with no room left (quota included). */
const NO_SPACE = new Set(['ENOSPC', 'EDQUOT']);

/**
 * Node's codes for a volume, a file table or a network peer that cannot answer now: I/O errors, a
 * read-only remount, exhausted descriptors, refused, reset or timed-out connections, names that do not
 * resolve, and undici's own (`UND_ERR_*`, fetch).
 */
const UNREACHABLE = new Set([
  'EIO',
  'EROFS',
  'EMFILE',
  'ENFILE',
  'EBUSY',
  'EAGAIN',
  'ESTALE',
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * Every `code` on `err`, what it wraps (`cause`) and what it aggregates (`errors`: Node's happy-eyeballs
 * connect tries each address), breadth first and bounded.
 */
export function faultCodes(err: unknown): string[] {
  const codes: string[] = [];
  const queue: unknown[] = [err];
  for (let seen = 0; queue.length > 0 && seen < 20; seen++) {
    const e = queue.shift();
    if (typeof e !== 'object' || e === null) continue;
    const { code, cause, errors } = e as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof code === 'string') codes.push(code);
    if (cause !== undefined) queue.push(cause);
    if (Array.isArray(errors)) queue.push(...errors);
  }
  return codes;
}

/** The fault an operating-system or network error code stands for, or undefined for any other error. */
export function errnoFault(err: unknown, unreachable: FaultCode): GatekeeperError | undefined {
  const codes = faultCodes(err);
  if (codes.some((c) => NO_SPACE.has(c))) return faultError('disk_full', err);
  if (codes.some((c) => UNREACHABLE.has(c) || c.startsWith('UND_ERR_'))) return faultError(unreachable, err);
  return undefined;
}
