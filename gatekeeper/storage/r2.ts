import type { R2Bucket, R2Object } from '@cloudflare/workers-types/latest/index.ts';
import { GatekeeperError } from '../errors.js';
import { bodyBytes, resolveRange } from './body.js';
import { contentTypeFor, DEFAULT_CONTENT_TYPE } from './content-types.js';
import { guardStorage, r2Fault } from './faults.js';
import { keyToUrlPath, normalizeKey, normalizePrefix } from './keys.js';
import { presignS3Put, type S3PresignTarget } from './presign-s3.js';
import type { GetResult, ObjectInfo, Storage, StorageBody } from './types.js';
import { presignUpload, type UploadPresignConfig } from './upload-signature.js';

export interface R2StorageOptions {
  /** The bucket binding (`[[r2_buckets]]` in wrangler.toml). */
  bucket: R2Bucket;
  /** The bucket's public domain or custom domain behind the CDN; enables `publicUrl(key)`. */
  publicBaseUrl?: string;
  /** R2's S3 API and an R2 API token: enables `presignPut` (a binding alone cannot presign). */
  presign?: S3PresignTarget;
  /**
   * Without `presign`: presigned PUTs to the Worker's own upload endpoint (`createUploadApp`), which
   * writes them through the binding, as the fs driver does on Node. Bodies then count against the
   * Worker's request size limit.
   */
  uploads?: UploadPresignConfig;
  /** Clock for presigned URLs. */
  now?: () => Date;
}

/** workerd's `FixedLengthStream`, which lets a stream of known length go to R2 without buffering. */
const FixedLength = (
  globalThis as {
    FixedLengthStream?: new (length: number) => TransformStream<Uint8Array, Uint8Array>;
  }
).FixedLengthStream;

async function toBytes(body: StorageBody): Promise<Uint8Array> {
  const known = bodyBytes(body);
  if (known) return known;
  return new Uint8Array(await new Response(body as ReadableStream<Uint8Array>).arrayBuffer());
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

function toInfo(key: string, o: R2Object): ObjectInfo {
  return {
    key,
    size: o.size,
    contentType: o.httpMetadata?.contentType ?? contentTypeFor(key) ?? DEFAULT_CONTENT_TYPE,
    etag: o.httpEtag,
    lastModified: o.uploaded,
    ...(o.httpMetadata?.cacheControl ? { cacheControl: o.httpMetadata.cacheControl } : {}),
  };
}

/**
 * Storage on a Cloudflare R2 bucket through its Workers binding. A binding cannot presign, so direct
 * uploads are presigned for R2's S3 API when `presign` credentials are given (docs/deploy-cloudflare.md).
 * Content itself is served by R2's public domain, not the Worker. Bodies are put in one request: a binding needs a known length, and the Worker only writes small
 * objects (course files arrive through presigned URLs).
 *
 * @example
 * const storage = createR2Storage({ bucket: env.CONTENT, publicBaseUrl: env.COURSEGATE_CONTENT_URL });
 */
export function createR2Storage(options: R2StorageOptions): Storage {
  const { bucket } = options;
  const publicBase = options.publicBaseUrl?.replace(/\/+$/, '');

  const storage: Storage = {
    driver: 'r2',

    async put(rawKey, body, opts = {}) {
      const key = normalizeKey(rawKey);
      const contentType = opts.contentType ?? contentTypeFor(key) ?? DEFAULT_CONTENT_TYPE;
      const bytes = await toBytes(body);
      if (
        (opts.sha256 !== undefined && opts.sha256.toLowerCase() !== (await sha256Hex(bytes))) ||
        (opts.size !== undefined && opts.size !== bytes.byteLength)
      )
        throw new GatekeeperError('checksum_mismatch', `Body of ${key} does not match its sha256 or size`);
      // A Node Buffer goes as a plain Uint8Array over the same memory: Miniflare's binding proxy, which
      // reaches R2 from Node, rebuilds views by constructor name, and workerd has no Buffer.
      const plain =
        bytes.constructor === Uint8Array
          ? bytes
          : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const out = await bucket.put(key, plain, {
        httpMetadata: { contentType, ...(opts.cacheControl ? { cacheControl: opts.cacheControl } : {}) },
      });
      return { key, size: bytes.byteLength, contentType, etag: out?.httpEtag ?? '""' };
    },

    async get(rawKey, opts = {}) {
      const key = normalizeKey(rawKey);
      // This store keeps no compressed variants (its own domain or CDN serves content: docs/storage.md).
      if (opts.encoding) return null;
      const r = opts.range;
      if (r && (!Number.isInteger(r.start) || r.start < 0 || (r.end !== undefined && r.end < r.start)))
        throw new GatekeeperError('range_not_satisfiable', `Invalid range for ${key}`);
      if (!r) {
        const o = await bucket.get(key);
        return o ? { ...toInfo(key, o), body: o.body as unknown as ReadableStream<Uint8Array> } : null;
      }
      // The object's size decides whether the range can be met, and clamps its end, as on the other drivers.
      const meta = await bucket.head(key);
      if (!meta) return null;
      const range = resolveRange(r, meta.size);
      if (!range) throw new GatekeeperError('range_not_satisfiable', `Range outside ${key}`);
      const o = await bucket.get(key, {
        range: { offset: range.start, length: range.end - range.start + 1 },
      });
      if (!o) return null;
      const result: GetResult = {
        ...toInfo(key, o),
        body: o.body as unknown as ReadableStream<Uint8Array>,
        range,
      };
      return result;
    },

    async head(rawKey) {
      const key = normalizeKey(rawKey);
      const o = await bucket.head(key);
      return o ? toInfo(key, o) : null;
    },

    async list(rawPrefix, opts = {}) {
      const prefix = normalizePrefix(rawPrefix);
      const limit = Math.max(1, Math.min(1000, opts.limit ?? 1000));
      // R2's `startAfter` takes a key, so the cursor is the last key seen, the same as on the other drivers.
      const out = await bucket.list({
        limit,
        ...(prefix ? { prefix } : {}),
        ...(opts.cursor ? { startAfter: opts.cursor } : {}),
      });
      const items = out.objects.map((o) => ({ key: o.key, size: o.size, etag: o.httpEtag }));
      const last = items[items.length - 1];
      return out.truncated && last ? { items, cursor: last.key } : { items };
    },

    async copy(rawFrom, rawTo) {
      const from = normalizeKey(rawFrom);
      const to = normalizeKey(rawTo);
      // A binding has no server-side copy: in workerd the bytes stream through with their length known;
      // elsewhere (Miniflare's binding proxy in Node) they are read first.
      const o = await bucket.get(from);
      if (!o) return false;
      const body = FixedLength
        ? (o.body as unknown as ReadableStream<Uint8Array>).pipeThrough(new FixedLength(o.size))
        : new Uint8Array(await o.arrayBuffer());
      await bucket.put(to, body as Parameters<R2Bucket['put']>[1], { httpMetadata: o.httpMetadata ?? {} });
      return true;
    },

    async delete(rawKey) {
      await bucket.delete(normalizeKey(rawKey));
    },
  };
  if (publicBase) storage.publicUrl = (key: string) => `${publicBase}/${keyToUrlPath(key)}`;
  const { presign } = options;
  const now = options.now ?? (() => new Date());
  const { uploads } = options;
  if (presign) storage.presignPut = (key, opts) => presignS3Put(presign, normalizeKey(key), opts, now());
  else if (uploads)
    storage.presignPut = async (rawKey, opts) => {
      const key = normalizeKey(rawKey);
      return presignUpload({ now, ...uploads }, key, keyToUrlPath(key), opts);
    };
  return guardStorage(storage, r2Fault);
}
