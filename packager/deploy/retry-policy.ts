import { failureCode, isTlsCode } from './failure-cause.js';

/**
 * How long an upload keeps trying. The budget is time, not a count of tries: a storage outage is measured
 * in seconds, and a count of doubling delays either gives up too early (the old 5 tries: about 5 s) or
 * sleeps far past the outage.
 */
export interface RetryPolicy {
  /** A file keeps trying for this long after its first failure, its last try at the end (default 60 s). */
  retryForMs: number;
  /** The first backoff delay; it doubles each retry (default 500 ms)… */
  baseDelayMs: number;
  /** …up to this cap, so the first try after an outage comes at most this long after it ends (default 8 s). */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { retryForMs: 60_000, baseDelayMs: 500, maxDelayMs: 8_000 };

/**
 * `Retry-After` in ms: delay-seconds or an HTTP date (RFC 9110 §10.2.3); `undefined` when absent or unreadable.
 * @example parseRetryAfter('4', Date.now()) // 4000
 */
export function parseRetryAfter(header: string | null, nowMs: number): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** Exponential backoff with jitter: half the doubled delay fixed, half random, so retries spread out. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

export interface RetryState {
  /** The attempt that just failed (1 for the first try). */
  attempt: number;
  /** Time since this file's first failed try. */
  failingForMs: number;
  /** The server's `Retry-After`, when it sent one. */
  retryAfterMs?: number;
}

/**
 * The wait before the next try, or `undefined` to give up: the backoff delay, or the server's
 * `Retry-After` when longer (never cut short: the server knows when it will answer), within what is left
 * of the budget. A `Retry-After` beyond the budget gives up at once instead of trying too early.
 * @example retryDelay({ attempt: 1, failingForMs: 0 }, DEFAULT_RETRY_POLICY, Math.random) // 250…500
 */
export function retryDelay(state: RetryState, policy: RetryPolicy, random: () => number): number | undefined {
  const left = policy.retryForMs - state.failingForMs;
  if (left <= 0) return undefined;
  const hinted = state.retryAfterMs ?? 0;
  if (hinted > left) return undefined;
  const backoff = backoffDelay(state.attempt, policy.baseDelayMs, policy.maxDelayMs, random);
  return Math.min(left, Math.max(backoff, hinted));
}

const RETRYABLE_STATUS = new Set([408, 425, 429]);
const RETRYABLE_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  // A resolver that cannot reach its DNS server says ENOTFOUND too; the retry line names it at once.
  'ENOTFOUND',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/**
 * Transient failures, the only ones a PUT is retried for: HTTP 408, 425, 429 and 5xx but 501 and 505
 * (read from the error's `status`), and network errors (resets, refused connections, timeouts, DNS),
 * found by `code` anywhere in the `cause` chain (undici's `fetch failed` keeps the system error there).
 * A 4xx answer such as 403, a TLS failure (a bad certificate does not heal in a minute) and an abort are
 * final.
 */
export function isRetryableError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  if ((err as { name?: string }).name === 'AbortError') return false;
  const status = (err as { status?: unknown }).status;
  if (typeof status === 'number')
    return RETRYABLE_STATUS.has(status) || (status >= 500 && status !== 501 && status !== 505);
  const code = failureCode(err);
  if (code !== undefined) return !isTlsCode(code) && RETRYABLE_CODES.has(code);
  // `fetch failed` with a cause but no code (a socket closed some other way): the network, so transient.
  return isFetchFailure(err);
}

function isFetchFailure(err: unknown): boolean {
  for (let e = err as { name?: string; cause?: unknown } | undefined, depth = 0; e && depth < 8; depth++) {
    if (e.name === 'TypeError' && e.cause !== undefined) return true;
    e = typeof e.cause === 'object' && e.cause !== null ? (e.cause as typeof e) : undefined;
  }
  return false;
}
