import { createHash } from 'node:crypto';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { GatekeeperError } from '../errors.js';
import { bodyBytes, bodyToStream } from './body.js';
import { contentTypeFor, DEFAULT_CONTENT_TYPE } from './content-types.js';
import { guardStorage, s3Fault } from './faults.js';
import { keyToUrlPath, normalizeKey, normalizePrefix } from './keys.js';
import type { GetResult, ObjectInfo, Storage } from './types.js';

export interface S3StorageOptions {
  /** e.g. `https://<account>.r2.cloudflarestorage.com`; omit for AWS S3. */
  endpoint?: string;
  bucket: string;
  /** `auto` for R2; the bucket's region for AWS. */
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** `true` for MinIO and most self-hosted stores (`<endpoint>/<bucket>/<key>`). */
  forcePathStyle?: boolean;
  /** Where learners fetch content (a CDN or the bucket's public domain); enables `publicUrl(key)`. */
  publicBaseUrl?: string;
  /** Part size of streamed multipart uploads in bytes (min 5 MiB). */
  partSize?: number;
  /** Clock for `expiresAt` of presigned URLs. */
  now?: () => Date;
}

const MiB = 1024 * 1024;

function status(err: unknown): number | undefined {
  return err instanceof S3ServiceException ? err.$metadata.httpStatusCode : undefined;
}

const isMissing = (err: unknown) =>
  status(err) === 404 || (err instanceof S3ServiceException && ['NoSuchKey', 'NotFound'].includes(err.name));

function hexToBase64(hex: string): string {
  return Buffer.from(hex, 'hex').toString('base64');
}

/**
 * Storage on any S3-compatible store: Cloudflare R2, AWS S3, MinIO. Streams are uploaded in parts with
 * `@aws-sdk/lib-storage`, never buffered whole.
 *
 * @example
 * const storage = createS3Storage({ endpoint: 'https://acc.r2.cloudflarestorage.com', region: 'auto',
 *   bucket: 'courses', accessKeyId, secretAccessKey, publicBaseUrl: 'https://cdn.example.com' });
 */
export function createS3Storage(options: S3StorageOptions): Storage {
  const { bucket } = options;
  const client = new S3Client({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    forcePathStyle: options.forcePathStyle ?? false,
    credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
    // Without these the SDK wraps streamed bodies in aws-chunked framing with trailing checksums, which
    // R2 and s3rver store verbatim inside the object (TOOLCHAIN.md).
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const now = options.now ?? (() => new Date());
  const publicBase = options.publicBaseUrl?.replace(/\/+$/, '');

  function toInfo(
    key: string,
    out: {
      ContentLength?: number;
      ContentType?: string;
      ETag?: string;
      LastModified?: Date;
      CacheControl?: string;
    },
  ): ObjectInfo {
    return {
      key,
      size: out.ContentLength ?? 0,
      contentType: out.ContentType ?? contentTypeFor(key) ?? DEFAULT_CONTENT_TYPE,
      etag: out.ETag ?? '""',
      ...(out.LastModified ? { lastModified: out.LastModified } : {}),
      ...(out.CacheControl ? { cacheControl: out.CacheControl } : {}),
    };
  }

  const storage: Storage = {
    driver: 's3',

    async put(rawKey, body, opts = {}) {
      const key = normalizeKey(rawKey);
      const contentType = opts.contentType ?? contentTypeFor(key) ?? DEFAULT_CONTENT_TYPE;
      const meta = {
        ContentType: contentType,
        ...(opts.cacheControl ? { CacheControl: opts.cacheControl } : {}),
      };
      const hash = createHash('sha256');
      let size = 0;
      let etag: string | undefined;
      const bytes = bodyBytes(body);
      if (bytes) {
        hash.update(bytes);
        size = bytes.byteLength;
      }
      const mismatch = () =>
        (opts.sha256 !== undefined && opts.sha256.toLowerCase() !== hash.digest('hex')) ||
        (opts.size !== undefined && opts.size !== size);
      if (bytes && mismatch())
        throw new GatekeeperError('checksum_mismatch', `Body of ${key} does not match its sha256 or size`);
      if (bytes) {
        const out = await client.send(
          new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes, ...meta }),
        );
        etag = out.ETag;
      } else {
        const counted = bodyToStream(body).pipeThrough(
          new TransformStream<Uint8Array, Uint8Array>({
            transform(chunk, controller) {
              hash.update(chunk);
              size += chunk.byteLength;
              controller.enqueue(chunk);
            },
          }),
        );
        const upload = new Upload({
          client,
          params: { Bucket: bucket, Key: key, Body: counted, ...meta },
          partSize: Math.max(5 * MiB, options.partSize ?? 8 * MiB),
          queueSize: 4,
        });
        const out = await upload.done();
        etag = out.ETag;
        // A stream's hash is known only once it was sent: take the object back out rather than keep bad bytes.
        if (mismatch()) {
          await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
          throw new GatekeeperError('checksum_mismatch', `Body of ${key} does not match its sha256 or size`);
        }
      }
      return { key, size, contentType, etag: etag ?? '""' };
    },

    async get(rawKey, opts = {}) {
      const key = normalizeKey(rawKey);
      // This store keeps no compressed variants (its own domain or CDN serves content: docs/storage.md).
      if (opts.encoding) return null;
      const r = opts.range;
      if (r && (!Number.isInteger(r.start) || r.start < 0 || (r.end !== undefined && r.end < r.start)))
        throw new GatekeeperError('range_not_satisfiable', `Invalid range for ${key}`);
      try {
        const out = await client.send(
          new GetObjectCommand({
            Bucket: bucket,
            Key: key,
            ...(r ? { Range: `bytes=${r.start}-${r.end ?? ''}` } : {}),
          }),
        );
        if (!out.Body) return null;
        const body = out.Body.transformToWebStream() as ReadableStream<Uint8Array>;
        const result: GetResult = { ...toInfo(key, out), body };
        const m = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(out.ContentRange ?? '');
        // Some stores answer a range on an empty object with the whole object, or (s3rver) `bytes 0-0/0`.
        const total = m ? (m[3] === '*' ? undefined : Number(m[3])) : result.size;
        if (r && total !== undefined && r.start >= total) {
          await body.cancel();
          throw new GatekeeperError('range_not_satisfiable', `Range outside ${key}`);
        }
        if (r && m) {
          result.range = { start: Number(m[1]), end: Number(m[2]) };
          if (m[3] !== '*') result.size = Number(m[3]);
        }
        return result;
      } catch (err) {
        if (isMissing(err)) return null;
        if (status(err) === 416) throw new GatekeeperError('range_not_satisfiable', `Range outside ${key}`);
        throw err;
      }
    },

    async head(rawKey) {
      const key = normalizeKey(rawKey);
      try {
        return toInfo(key, await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key })));
      } catch (err) {
        if (isMissing(err)) return null;
        throw err;
      }
    },

    async list(rawPrefix, opts = {}) {
      const prefix = normalizePrefix(rawPrefix);
      const limit = Math.max(1, Math.min(1000, opts.limit ?? 1000));
      const out = await client.send(
        // ListObjects (v1) with a marker: R2, AWS and MinIO all have it, and the cursor is then the last
        // key seen, the same on every driver. v2's continuation tokens crash s3rver on OpenSSL 3 (DES).
        new ListObjectsCommand({
          Bucket: bucket,
          MaxKeys: limit,
          ...(prefix ? { Prefix: prefix } : {}),
          ...(opts.cursor ? { Marker: opts.cursor } : {}),
        }),
      );
      const items = (out.Contents ?? []).flatMap((o) =>
        o.Key === undefined ? [] : [{ key: o.Key, size: o.Size ?? 0, ...(o.ETag ? { etag: o.ETag } : {}) }],
      );
      const last = items[items.length - 1];
      return out.IsTruncated && last ? { items, cursor: last.key } : { items };
    },

    async copy(rawFrom, rawTo) {
      const from = normalizeKey(rawFrom);
      const to = normalizeKey(rawTo);
      try {
        await client.send(
          new CopyObjectCommand({ Bucket: bucket, Key: to, CopySource: `${bucket}/${keyToUrlPath(from)}` }),
        );
        return true;
      } catch (err) {
        if (isMissing(err)) return false;
        throw err;
      }
    },

    async delete(rawKey) {
      const key = normalizeKey(rawKey);
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },

    async presignPut(rawKey, opts) {
      const key = normalizeKey(rawKey);
      const headers: Record<string, string> = { 'content-type': opts.contentType };
      if (opts.sha256) headers['x-amz-checksum-sha256'] = hexToBase64(opts.sha256);
      if (opts.cacheControl) headers['cache-control'] = opts.cacheControl;
      const command = new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        ContentType: opts.contentType,
        ...(opts.cacheControl ? { CacheControl: opts.cacheControl } : {}),
        ...(opts.sha256 ? { ChecksumSHA256: hexToBase64(opts.sha256) } : {}),
      });
      const url = await getSignedUrl(client, command, {
        expiresIn: opts.expiresIn,
        // Signed as headers, not query parameters: the store then refuses any other type or bytes.
        signableHeaders: new Set(Object.keys(headers)),
        unhoistableHeaders: new Set(Object.keys(headers)),
      });
      return { url, method: 'PUT', headers, expiresAt: new Date(now().getTime() + opts.expiresIn * 1000) };
    },
  };
  if (publicBase) storage.publicUrl = (key: string) => `${publicBase}/${keyToUrlPath(key)}`;
  return guardStorage(storage, s3Fault);
}
