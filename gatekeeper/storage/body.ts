import type { StorageBody } from './types.js';

const encoder = new TextEncoder();

/** Any storage body as a web stream of bytes (strings as UTF-8). */
export function bodyToStream(body: StorageBody): ReadableStream<Uint8Array> {
  if (body instanceof ReadableStream) return body;
  const bytes = typeof body === 'string' ? encoder.encode(body) : body;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      if (bytes.byteLength > 0) controller.enqueue(bytes);
      controller.close();
    },
  });
}

/** Bytes of a body known in memory, or undefined for a stream. */
export function bodyBytes(body: StorageBody): Uint8Array | undefined {
  if (typeof body === 'string') return encoder.encode(body);
  if (body instanceof Uint8Array) return body;
  return undefined;
}

/** Byte order of UTF-8 keys, the order S3 lists in (JS string order differs above U+FFFF). */
export function compareKeys(a: string, b: string): number {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const d = (x[i] as number) - (y[i] as number);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/**
 * Resolves an HTTP-style inclusive range against an object size. `null` when it cannot be satisfied.
 */
export function resolveRange(
  range: { start: number; end?: number },
  size: number,
): { start: number; end: number } | null {
  const { start } = range;
  if (!Number.isInteger(start) || start < 0 || start >= size) return null;
  const end = range.end === undefined ? size - 1 : Math.min(range.end, size - 1);
  if (!Number.isInteger(end) || end < start) return null;
  return { start, end };
}
