/**
 * The storage seam of the Gatekeeper (docs/storage.md, "The interface"). Web-standard types only
 * (ReadableStream, Uint8Array), so a Cloudflare R2 binding can implement it as well as the Node `fs` and `s3`
 * drivers.
 */

import type { ContentEncoding } from './encodings.js';

/** What `put` accepts: a stream is consumed once, never buffered whole by the drivers. */
export type StorageBody = ReadableStream<Uint8Array> | Uint8Array | string;

export interface PutOptions {
  /** Stored with the object; when absent the driver derives it from the key's extension. */
  contentType?: string;
  /** Lower-case hex sha256 of the body: the write fails with `checksum_mismatch` when it differs. */
  sha256?: string;
  /** Expected size in bytes: the write fails with `checksum_mismatch` when it differs. */
  size?: number;
  /**
   * Stored as the object's `Cache-Control` where the store serves content itself (s3 behind a CDN); the fs
   * driver ignores it, its content origin sets the header.
   */
  cacheControl?: string;
  /**
   * Compressed representations the caller already made (the player, compressed once at build): a driver
   * that keeps variants stores these instead of compressing the body itself; the others ignore them.
   */
  encoded?: Partial<Record<ContentEncoding, Uint8Array>>;
}

/** A byte range, both ends inclusive as in HTTP; `end` past the object is clamped to its last byte. */
export interface ByteRange {
  start: number;
  end?: number;
}

export interface ObjectInfo {
  key: string;
  size: number;
  contentType: string;
  /** Opaque, quoted as in HTTP (`"..."`); changes whenever the content changes. */
  etag: string;
  lastModified?: Date;
  /** The stored `Cache-Control`, on drivers that keep one (s3). */
  cacheControl?: string;
  /**
   * Set when this describes a compressed representation of the object (`head` with `encodings`): `size`
   * and `etag` are then those of the compressed bytes, and `get` with this `encoding` returns them.
   */
  encoding?: ContentEncoding;
}

export interface HeadOptions {
  /**
   * Codings the reader accepts, best first (`acceptedEncodings` in encodings.ts). A driver that keeps
   * compressed variants (fs) answers with the first one it holds; otherwise, and on the other drivers,
   * the answer describes the object itself.
   */
  encodings?: readonly ContentEncoding[];
}

export interface GetOptions {
  range?: ByteRange;
  /** A compressed representation `head` announced; `null` when the driver holds none. Not with `range`. */
  encoding?: ContentEncoding;
}

export interface GetResult extends ObjectInfo {
  body: ReadableStream<Uint8Array>;
  /** Present when a range was asked for: the bytes actually returned (inclusive). */
  range?: { start: number; end: number };
}

export interface ListItem {
  key: string;
  size: number;
  etag?: string;
}

export interface ListPage {
  /** Keys in ascending byte order. */
  items: ListItem[];
  /** Pass back as `cursor` for the next page; absent on the last page. */
  cursor?: string;
}

export interface ListOptions {
  /** From the previous page; the listing resumes after it. */
  cursor?: string;
  /** Page size, 1 to 1000 (default 1000). */
  limit?: number;
}

export interface PresignPutOptions {
  contentType: string;
  /** Lower-case hex sha256; signed into the URL so the store can refuse other bytes (S3, R2). */
  sha256?: string;
  /** Seconds the URL stays valid. */
  expiresIn: number;
  /** Signed too, so the uploaded object carries it (see `PutOptions.cacheControl`). */
  cacheControl?: string;
}

/** A direct upload the client performs with `fetch(url, { method, headers, body })`. */
export interface PresignedPut {
  url: string;
  method: 'PUT';
  /** Every header here was signed and must be sent exactly. */
  headers: Record<string, string>;
  expiresAt: Date;
}

export interface Storage {
  readonly driver: 'fs' | 's3' | 'r2';
  put(key: string, body: StorageBody, options?: PutOptions): Promise<ObjectInfo>;
  /** `null` when the key does not exist. A range starting at or past the end throws `range_not_satisfiable`. */
  get(key: string, options?: GetOptions): Promise<GetResult | null>;
  head(key: string, options?: HeadOptions): Promise<ObjectInfo | null>;
  /** Every key starting with `prefix` (a plain string prefix, as in S3), one page at a time. */
  list(prefix: string, options?: ListOptions): Promise<ListPage>;
  /** Server-side copy; `false` when `fromKey` does not exist. */
  copy(fromKey: string, toKey: string): Promise<boolean>;
  /** Idempotent: deleting a missing key succeeds. */
  delete(key: string): Promise<void>;
  /** Direct uploads; only drivers that support them (s3) have it. */
  presignPut?(key: string, options: PresignPutOptions): Promise<PresignedPut>;
  /** Public URL of a key when content is served by the store itself (s3 with a public base URL). */
  publicUrl?(key: string): string;
}
