import { PackagerError } from '../errors.js';
import { runPool } from './pool.js';

/** The least an upload needs to know about a file; `collectFiles` results fit. */
export interface UploadItem {
  path: string;
  size: number;
}

export interface SendContext {
  /** Aborted when the run is aborted or another file failed for good: stop sending. */
  signal: AbortSignal;
  /** 1 on the first try. */
  attempt: number;
  /** Told of bytes sent of this file as they go, so one large file shows progress (counted afresh on a retry). */
  onBytes: (bytes: number) => void;
}

export interface UploadProgress {
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
  /** The file that just finished; absent on the first report. */
  path?: string;
}

export interface RetryInfo {
  path: string;
  /** The attempt that failed. */
  attempt: number;
  delayMs: number;
  error: unknown;
}

export interface UploadOptions<F extends UploadItem> {
  files: readonly F[];
  /** Sends one file; throws on failure (with `status` for an HTTP answer, `retryAfterMs` if known). */
  send: (file: F, ctx: SendContext) => Promise<void>;
  /** Files in flight at once (default 6). */
  concurrency?: number;
  /** Retries per file after the first try (default 5). */
  retries?: number;
  /** First backoff delay (default 250 ms); it doubles each retry, up to `maxDelayMs` (default 10 s). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Which failures are worth another try (default `isRetryableError`). */
  isRetryable?: (err: unknown) => boolean;
  onProgress?: (progress: UploadProgress) => void;
  onRetry?: (info: RetryInfo) => void;
  signal?: AbortSignal;
  /** Jitter source in [0, 1), injectable so tests can pin the delays. */
  random?: () => number;
}

export interface UploadResult {
  files: number;
  bytes: number;
  retries: number;
}

const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);
const RETRYABLE_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/**
 * Transient failures: HTTP 408/425/429/5xx and network errors (resets, refused connections, timeouts,
 * `fetch failed`). A 4xx answer or an abort is final.
 */
export function isRetryableError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { name?: string; status?: unknown; code?: unknown; cause?: unknown };
  if (e.name === 'AbortError') return false;
  if (typeof e.status === 'number') return RETRYABLE_STATUS.has(e.status) || e.status >= 500;
  if (typeof e.code === 'string' && RETRYABLE_CODES.has(e.code)) return true;
  if (e.name === 'TypeError' && e.cause !== undefined) return true;
  return e.cause !== undefined && e.cause !== err && isRetryableError(e.cause);
}

/** Exponential backoff with jitter: half the doubled delay fixed, half random, so retries spread out. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Uploads files with bounded concurrency, retrying transient failures with exponential backoff and
 * jitter, reporting progress in files and bytes. The first file that fails for good stops the rest;
 * aborting `signal` stops everything. Either way the promise settles only after every send in flight
 * has returned, with a `PackagerError` (`upload_failed` or `aborted`).
 *
 * @example
 * await uploadFiles({ files, concurrency: 8, send: (f, { signal }) => putToUrl(f, signal),
 *   onProgress: (p) => bar.update(p.bytesDone) });
 */
export async function uploadFiles<F extends UploadItem>(options: UploadOptions<F>): Promise<UploadResult> {
  const { files, send } = options;
  const retries = options.retries ?? 5;
  const baseDelay = options.baseDelayMs ?? 250;
  const maxDelay = options.maxDelayMs ?? 10_000;
  const retryable = options.isRetryable ?? isRetryableError;
  const random = options.random ?? Math.random;
  const bytesTotal = files.reduce((n, f) => n + f.size, 0);
  const stop = new AbortController();
  const onOuterAbort = () => stop.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const aborted = () => options.signal?.aborted === true;

  let filesDone = 0;
  let bytesDone = 0;
  let retryCount = 0;
  let failure: PackagerError | undefined;
  // Bytes of files still on their way; reported with the finished ones.
  const sending = new Map<F, number>();
  let sendingBytes = 0;
  const report = (path?: string) =>
    options.onProgress?.({
      filesDone,
      filesTotal: files.length,
      bytesDone: bytesDone + sendingBytes,
      bytesTotal,
      ...(path === undefined ? {} : { path }),
    });
  const forget = (file: F) => {
    sendingBytes -= sending.get(file) ?? 0;
    sending.delete(file);
  };
  report();

  try {
    if (aborted()) throw new PackagerError('aborted', 'Upload aborted');
    await runPool(files, options.concurrency ?? 6, async (file) => {
      for (let attempt = 1; ; attempt++) {
        if (stop.signal.aborted) throw new PackagerError('aborted', 'Upload aborted');
        try {
          const onBytes = (n: number) => {
            sending.set(file, (sending.get(file) ?? 0) + n);
            sendingBytes += n;
            report();
          };
          await send(file, { signal: stop.signal, attempt, onBytes });
          break;
        } catch (err) {
          forget(file);
          if (stop.signal.aborted) throw new PackagerError('aborted', 'Upload aborted');
          if (attempt > retries || !retryable(err)) {
            stop.abort(err);
            const tries = attempt === 1 ? '' : ` after ${attempt} attempts`;
            failure = new PackagerError(
              'upload_failed',
              `Upload of ${file.path} failed${tries}: ${(err as Error)?.message ?? String(err)}`,
            );
            failure.cause = err;
            throw failure;
          }
          const hinted = (err as { retryAfterMs?: unknown }).retryAfterMs;
          const delayMs = Math.min(
            maxDelay,
            Math.max(
              backoffDelay(attempt, baseDelay, maxDelay, random),
              typeof hinted === 'number' ? hinted : 0,
            ),
          );
          retryCount++;
          options.onRetry?.({ path: file.path, attempt, delayMs, error: err });
          await sleep(delayMs, stop.signal).catch(() => {
            throw new PackagerError('aborted', 'Upload aborted');
          });
        }
      }
      forget(file);
      filesDone++;
      bytesDone += file.size;
      report(file.path);
    });
  } catch (err) {
    // A lane that saw only the abort must not hide the failure that caused it.
    if (aborted()) throw new PackagerError('aborted', 'Upload aborted');
    throw failure ?? err;
  } finally {
    options.signal?.removeEventListener('abort', onOuterAbort);
  }
  return { files: filesDone, bytes: bytesDone, retries: retryCount };
}
