import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { PackagerError } from '../errors.js';
import { describeCause } from './failure-cause.js';
import { parseRetryAfter } from './retry-policy.js';

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

/**
 * A failed upload: `host` is where it went; an error status comes with `status`, the server's own error
 * code as `serverCode` (the Gatekeeper's `error.code`, S3's `<Code>`) and `retryAfterMs`; a network failure
 * keeps undici's error as `cause` (`describeCause` reads it). `status` and `retryAfterMs` drive
 * `uploadFiles`' retries.
 */
export type PutFileError = PackagerError & {
  host: string;
  status?: number;
  serverCode?: string;
  retryAfterMs?: number;
};

/** The error code in an error answer's body: the Gatekeeper's JSON `error.code` or S3's XML `<Code>`. */
function serverCode(text: string): string | undefined {
  const xml = /<Code>([\w.-]{1,64})<\/Code>/.exec(text)?.[1];
  if (xml) return xml;
  try {
    const code = (JSON.parse(text) as { error?: { code?: unknown } }).error?.code;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
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
  const host = new URL(options.url).host;
  let res: Response;
  try {
    res = await (options.fetch ?? fetch)(options.url, {
      method: 'PUT',
      headers: { ...options.headers, 'content-length': String(file.size) },
      body,
      duplex: 'half',
      ...(options.signal ? { signal: options.signal } : {}),
    } as RequestInit);
  } catch (cause) {
    if (options.signal?.aborted) throw cause;
    // undici says only `fetch failed`; the host and the cause (ECONNREFUSED, ENOTFOUND, TLS…) say why.
    const err = new PackagerError(
      'upload_failed',
      `PUT ${file.path} to ${host} failed: ${describeCause(cause)}`,
    ) as PutFileError;
    err.cause = cause;
    err.host = host;
    throw err;
  }
  // Drain the answer so the connection goes back to the pool.
  const text = await res.text().catch(() => '');
  if (res.ok) return;
  const err = new PackagerError(
    'upload_failed',
    `PUT ${file.path} to ${host} answered ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}`,
  ) as PutFileError;
  err.host = host;
  err.status = res.status;
  const code = serverCode(text);
  if (code) err.serverCode = code;
  const wait = parseRetryAfter(res.headers.get('retry-after'), (options.now?.() ?? new Date()).getTime());
  if (wait !== undefined) err.retryAfterMs = wait;
  throw err;
}
