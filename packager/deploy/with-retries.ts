import { PackagerError } from '../errors.js';
import { DEFAULT_RETRY_POLICY, isRetryableError, type RetryPolicy, retryDelay } from './retry-policy.js';

export interface RetryInfo {
  /** The attempt that failed (1 for the first try). */
  attempt: number;
  delayMs: number;
  /** How long this call has been failing; it gives up at `retryForMs`. */
  failingForMs: number;
  error: unknown;
}

export interface WithRetriesOptions {
  /** How long a failing call keeps trying and how the waits grow (default `DEFAULT_RETRY_POLICY`). */
  retry?: Partial<RetryPolicy>;
  /** Which failures are worth another try (default `isRetryableError`). */
  isRetryable?: (err: unknown, attempt: number) => boolean;
  /** Told before each wait. */
  onRetry?: (info: RetryInfo) => void;
  /** The error to throw when giving up (default: the last failure as it is). */
  giveUp?: (err: unknown, info: { attempt: number; failingForMs: number }) => unknown;
  /** Aborting it ends a wait at once with `PackagerError` `aborted`. */
  signal?: AbortSignal;
  /** Jitter source in [0, 1), clock in ms and the wait: injectable so tests run a schedule without sleeping. */
  random?: () => number;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs `run` until it succeeds, retrying transient failures with capped exponential backoff and jitter
 * (`retryDelay`) for up to `retry.retryForMs` after the first failure, waiting at least as long as the
 * failure's `retryAfterMs`. Uploads and the deploy's API calls share it, so one schedule rides out an
 * outage wherever it strikes.
 * @example await withRetries(() => api('POST /v1/deployments/:id/finalize', …), { onRetry: (r) => log(r) });
 */
export async function withRetries<T>(
  run: (attempt: number) => Promise<T>,
  options: WithRetriesOptions = {},
): Promise<T> {
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const retryable = options.isRetryable ?? isRetryableError;
  const now = options.now ?? Date.now;
  const wait = options.sleep ?? sleep;
  let failingSince: number | undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      return await run(attempt);
    } catch (err) {
      failingSince ??= now();
      const failingForMs = now() - failingSince;
      const hinted = (err as { retryAfterMs?: unknown } | undefined)?.retryAfterMs;
      const delayMs = retryable(err, attempt)
        ? retryDelay(
            { attempt, failingForMs, ...(typeof hinted === 'number' ? { retryAfterMs: hinted } : {}) },
            policy,
            options.random ?? Math.random,
          )
        : undefined;
      if (delayMs === undefined) throw options.giveUp ? options.giveUp(err, { attempt, failingForMs }) : err;
      options.onRetry?.({ attempt, delayMs, failingForMs, error: err });
      await wait(delayMs, options.signal).catch(() => {
        throw new PackagerError('aborted', 'Aborted while waiting to retry');
      });
    }
  }
}
