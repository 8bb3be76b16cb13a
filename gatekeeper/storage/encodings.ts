/**
 * The one rule for compressed representations of stored content (docs/storage.md, "Compression"): which
 * types get them, which encodings exist, which sizes are worth it, and which one a request accepts.
 * Web-standard only: the content origin uses it on any runtime, the fs driver when it stores variants.
 */

/** Content codings the stores keep besides the object itself, in the server's order of preference. */
export type ContentEncoding = 'br' | 'gzip';
export const CONTENT_ENCODINGS: readonly ContentEncoding[] = ['br', 'gzip'];

/** Below this a compressed copy saves less than a packet. */
export const MIN_COMPRESS_BYTES = 1024;
/** Above this compressing at upload costs more than it gives back (CloudFront stops at 10 MB too). */
export const MAX_COMPRESS_BYTES = 10 * 1024 * 1024;

// Text and other formats that are not compressed already; images, audio, video, woff/woff2, pdf, zip are.
const COMPRESSIBLE =
  /^(text\/|application\/(javascript|ecmascript|json|manifest\+json|ld\+json|xml|xhtml\+xml|wasm|vnd\.ms-fontobject|x-javascript)\b|image\/(svg\+xml|x-icon|bmp)\b|font\/(ttf|otf)\b|application\/[a-z0-9.+-]+\+(xml|json)\b)/i;

/**
 * Whether objects of this content type get compressed representations.
 * @example
 * isCompressible('text/javascript; charset=utf-8'); // true
 * isCompressible('image/png'); // false
 */
export function isCompressible(contentType: string): boolean {
  return COMPRESSIBLE.test(contentType.trim());
}

/** Whether an object of this type and size gets compressed representations. */
export function wantsVariants(contentType: string, size: number): boolean {
  return size >= MIN_COMPRESS_BYTES && size <= MAX_COMPRESS_BYTES && isCompressible(contentType);
}

/** A compressed copy is kept only when it saves at least a tenth, else the identity is served. */
export function worthKeeping(identitySize: number, encodedSize: number): boolean {
  return encodedSize <= identitySize * 0.9;
}

/**
 * The codings an `Accept-Encoding` header accepts, best first: by q-value, then the server's order
 * (br before gzip). `q=0` refuses a coding, `*` stands for those not named, `x-gzip` is gzip
 * (RFC 9110 §12.5.3). Identity is always acceptable here: an object without a variant goes out as it is.
 * @example
 * acceptedEncodings('gzip, deflate, br'); // ['br', 'gzip']
 * acceptedEncodings('br;q=0, gzip;q=0.5'); // ['gzip']
 */
export function acceptedEncodings(header: string | undefined): ContentEncoding[] {
  if (!header) return [];
  const q = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name, ...params] = part.split(';');
    let coding = name!.trim().toLowerCase();
    if (coding === 'x-gzip') coding = 'gzip';
    if (!coding) continue;
    let weight = 1;
    for (const p of params) {
      const m = /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/i.exec(p);
      if (m) weight = Number(m[1]);
    }
    // The most specific entry wins; among repeats of one coding, the first.
    if (!q.has(coding)) q.set(coding, weight);
  }
  const weightOf = (c: ContentEncoding) => q.get(c) ?? q.get('*') ?? 0;
  return CONTENT_ENCODINGS.filter((c) => weightOf(c) > 0).sort((a, b) => weightOf(b) - weightOf(a));
}
