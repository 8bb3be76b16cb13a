import { PackagerError } from '../errors.js';
import { describeCause, failureHost } from './failure-cause.js';
import { runPool } from './pool.js';
import { isRetryableError, type RetryPolicy } from './retry-policy.js';
import { type RetryInfo, withRetries } from './with-retries.js';

/** The options `withRetries` takes from ours, those given only (exactOptionalPropertyTypes). */
function pick<O extends object, K extends keyof O>(o: O, keys: K[]): Pick<O, K> {
  return Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]])) as Pick<O, K>;
}

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

/** A failed try of one file, about to be retried. */
export interface UploadRetryInfo extends RetryInfo {
  path: string;
}

export interface UploadOptions<F extends UploadItem> {
  files: readonly F[];
  /** Sends one file; throws on failure (with `status` for an HTTP answer, `retryAfterMs` if known). */
  send: (file: F, ctx: SendContext) => Promise<void>;
  /** Files in flight at once (default 6). */
  concurrency?: number;
  /** How long a failing file keeps trying and how the waits grow (default `DEFAULT_RETRY_POLICY`). */
  retry?: Partial<RetryPolicy>;
  /** At most this many retries per file, whatever time is left (default: no limit but time). */
  retries?: number;
  /** Which failures are worth another try (default `isRetryableError`). */
  isRetryable?: (err: unknown) => boolean;
  onProgress?: (progress: UploadProgress) => void;
  /** Told before each wait; also when a file succeeds after failures (`onRecovered`). */
  onRetry?: (info: UploadRetryInfo) => void;
  onRecovered?: (info: { path: string; attempts: number }) => void;
  signal?: AbortSignal;
  /** Jitter source in [0, 1), injectable so tests can pin the delays. */
  random?: () => number;
  /** Clock in ms and the wait between tries, injectable so tests run the schedule without sleeping. */
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface UploadResult {
  files: number;
  bytes: number;
  retries: number;
}

/**
 * One abort signal per request, following `stop`. fetch hangs a listener on the signal it is given and
 * removes it only when garbage collection reclaims the request, so one signal shared by thousands of
 * PUTs piled up listeners past undici's limit (`MaxListenersExceededWarning`, issue 22). Here `stop`
 * holds one listener per request in flight, taken off when the request ends.
 */
async function withRequestSignal<T>(stop: AbortSignal, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const request = new AbortController();
  const forward = () => request.abort(stop.reason);
  stop.addEventListener('abort', forward, { once: true });
  try {
    return await run(request.signal);
  } finally {
    stop.removeEventListener('abort', forward);
  }
}

/** The final failure: where and why, and that running the same command again picks up where this stopped. */
function finalFailure(path: string, err: unknown, attempt: number, failingForMs: number): PackagerError {
  const host = failureHost(err);
  const tries = attempt === 1 ? '' : ` after ${attempt} attempts over ${Math.round(failingForMs / 1000)} s`;
  const failure = new PackagerError(
    'upload_failed',
    `Upload of ${path}${host ? ` to ${host}` : ''} failed${tries}: ${describeCause(err)}. ` +
      'Files already stored are kept: run the same command again to resume',
  );
  failure.cause = err;
  return failure;
}

/**
 * Uploads files with bounded concurrency, retrying transient failures (`isRetryableError`) with capped
 * exponential backoff and jitter for up to `retry.retryForMs` per file, honouring `Retry-After`, and
 * reporting progress in files and bytes. The first file that fails for good stops the rest; aborting
 * `signal` stops everything. Either way the promise settles only after every send in flight has
 * returned, with a `PackagerError` (`upload_failed` naming the file, host and cause, or `aborted`).
 *
 * @example
 * await uploadFiles({ files, concurrency: 8, send: (f, { signal }) => putToUrl(f, signal),
 *   retry: { retryForMs: 120_000 }, onProgress: (p) => bar.update(p.bytesDone) });
 */
export async function uploadFiles<F extends UploadItem>(options: UploadOptions<F>): Promise<UploadResult> {
  const { files, send } = options;
  const retries = options.retries ?? Number.POSITIVE_INFINITY;
  const retryable = options.isRetryable ?? isRetryableError;
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
      const onBytes = (n: number) => {
        sending.set(file, (sending.get(file) ?? 0) + n);
        sendingBytes += n;
        report();
      };
      await withRetries(
        async (attempt) => {
          if (stop.signal.aborted) throw new PackagerError('aborted', 'Upload aborted');
          try {
            await withRequestSignal(stop.signal, (signal) => send(file, { signal, attempt, onBytes }));
          } catch (err) {
            forget(file);
            throw err;
          }
          if (attempt > 1) options.onRecovered?.({ path: file.path, attempts: attempt });
        },
        {
          ...pick(options, ['retry', 'random', 'now', 'sleep']),
          signal: stop.signal,
          isRetryable: (err, attempt) => !stop.signal.aborted && attempt <= retries && retryable(err),
          onRetry: (r) => {
            retryCount++;
            options.onRetry?.({ ...r, path: file.path });
          },
          giveUp: (err, { attempt, failingForMs }) => {
            if (stop.signal.aborted) return new PackagerError('aborted', 'Upload aborted');
            failure = finalFailure(file.path, err, attempt, failingForMs);
            stop.abort(err);
            return failure;
          },
        },
      );
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
