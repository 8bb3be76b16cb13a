/**
 * Suspend data codec. State is JSON; when the JSON does not fit the LMS's limit (4096 characters in
 * SCORM 1.2) it is deflated with the browser's own CompressionStream (no bundled compressor) and
 * written as base64 behind a marker that JSON can never start with.
 */
const MARK = '~z:';

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Response(new Blob([bytes as BlobPart]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** Encodes `value`; resolves undefined when it cannot fit in `max` characters even compressed. */
export async function encodeState(value: unknown, max: number): Promise<string | undefined> {
  const json = JSON.stringify(value) ?? '';
  if (json.length <= max) return json;
  if (typeof CompressionStream === 'undefined') return undefined;
  const packed =
    MARK + toBase64(await pipe(new TextEncoder().encode(json), new CompressionStream('deflate-raw')));
  return packed.length <= max ? packed : undefined;
}

/** Decodes what `encodeState` wrote; undefined for empty or unreadable data. */
export async function decodeState(data: string | undefined): Promise<unknown> {
  if (!data) return undefined;
  if (!data.startsWith(MARK)) return JSON.parse(data);
  const bytes = Uint8Array.from(atob(data.slice(MARK.length)), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(await pipe(bytes, new DecompressionStream('deflate-raw'))));
}
