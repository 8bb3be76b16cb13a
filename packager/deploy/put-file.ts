import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { PackagerError } from '../errors.js';

export interface PutFileOptions {
  url: string;
  /** Sent as given (a presigned PUT's signed headers, or the Gatekeeper's auth header). */
  headers?: Record<string, string>;
  file: { absolutePath: string; size: number; path: string };
  signal?: AbortSignal;
  /** Told of each chunk read into the request body (upload progress). */
  onBytes?: (bytes: number) => void;
  /** Clock for `Retry-After` given as a date. */
  now?: () => Date;
  /** The global `fetch` unless given (the CLI passes its own, tests an app's). */
  fetch?: typeof fetch;
}

/** An upload answered with an error status; `status` and `retryAfterMs` drive `uploadFiles`' retries. */
export type PutFileError = PackagerError & { status: number; retryAfterMs?: number };

function retryAfterMs(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header)) return Number(header) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * Streams one file to `url` with `PUT` and an exact `Content-Length` (S3 and R2 refuse chunked uploads
 * to presigned URLs). Throws a `PackagerError` carrying the HTTP `status` (and `Retry-After`) on any
 * non-2xx answer, which `isRetryableError` understands.
 *
 * @example
 * await uploadFiles({ files, send: (file, { signal }) => putFile({ url: urls[file.path], headers, file, signal }) });
 */
export async function putFile(options: PutFileOptions): Promise<void> {
  const { file } = options;
  const read = Readable.toWeb(createReadStream(file.absolutePath)) as unknown as ReadableStream<Uint8Array>;
  const onBytes = options.onBytes;
  const body = onBytes
    ? read.pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, out) {
            onBytes(chunk.byteLength);
            out.enqueue(chunk);
          },
        }),
      )
    : read;
  const res = await (options.fetch ?? fetch)(options.url, {
    method: 'PUT',
    headers: { ...options.headers, 'content-length': String(file.size) },
    body,
    duplex: 'half',
    ...(options.signal ? { signal: options.signal } : {}),
  } as RequestInit);
  // Drain the answer so the connection goes back to the pool.
  const text = await res.text().catch(() => '');
  if (res.ok) return;
  const err = new PackagerError(
    'upload_failed',
    `PUT ${file.path} answered ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}`,
  ) as PutFileError;
  err.status = res.status;
  const wait = retryAfterMs(res.headers.get('retry-after'), (options.now?.() ?? new Date()).getTime());
  if (wait !== undefined) err.retryAfterMs = wait;
  throw err;
}
