import { Deflate } from 'fflate';
import { FormatError } from '../errors.js';
import { isStored } from './compression.js';
import { crc32 } from './crc32.js';
import {
  centralHeader,
  dataDescriptor,
  type EntryRecord,
  endOfCentralDirectory,
  LIMIT32,
  localHeader,
} from './headers.js';
import { sortSources } from './sort-sources.js';

/** A file to put in a zip written with web streams: its path and its bytes, whole or streamed (read once). */
export interface WebZipSource {
  path: string;
  /** Byte size, when known: an entry of 4 GiB or more then gets Zip64 sizes up front. */
  size?: number;
  open(): Uint8Array | ReadableStream<Uint8Array> | Promise<Uint8Array | ReadableStream<Uint8Array>>;
}

export interface WebZipOptions {
  /** Deflate level for compressible files; default 6. */
  level?: 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;
  /** Overrides which paths are stored; default: already-compressed media by extension. */
  store?: (path: string) => boolean;
}

/** Output is handed on in pieces of about this size: fewer, larger chunks for the consumer. */
const CHUNK = 64 * 1024;

async function* bytesOf(input: Uint8Array | ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  if (input instanceof Uint8Array) {
    yield input;
    return;
  }
  const reader = input.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/** Deflate block input: fflate's output depends on how its input is cut, so it always gets whole blocks. */
const BLOCK = 64 * 1024;

/** The bytes of `input` re-cut into BLOCK-sized pieces (the last one shorter), however they arrive. */
async function* blocksOf(input: Uint8Array | ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  let block = new Uint8Array(BLOCK);
  let used = 0;
  for await (let chunk of bytesOf(input)) {
    while (chunk.length > 0) {
      const n = Math.min(BLOCK - used, chunk.length);
      block.set(chunk.subarray(0, n), used);
      used += n;
      chunk = chunk.subarray(n);
      if (used === BLOCK) {
        yield block;
        block = new Uint8Array(BLOCK);
        used = 0;
      }
    }
  }
  if (used > 0) yield block.subarray(0, used);
}

async function* zipChunks(sorted: WebZipSource[], options: WebZipOptions): AsyncGenerator<Uint8Array> {
  const store = options.store ?? isStored;
  const level = options.level ?? 6;
  const encoder = new TextEncoder();
  const written: EntryRecord[] = [];
  let offset = 0;
  for (const source of sorted) {
    const name = encoder.encode(source.path);
    const method = store(source.path) ? 0 : 8;
    // Zip64 only where needed, so ordinary packages stay readable by the oldest unzip.
    const zip64 = (source.size ?? 0) >= LIMIT32;
    const entry: EntryRecord = { name, method, crc: 0, compressed: 0, size: 0, offset, zip64 };
    const local = localHeader(name, method, zip64);
    offset += local.length;
    yield local;
    const out: Uint8Array[] = [];
    const deflate = method === 8 ? new Deflate({ level }, (chunk) => out.push(chunk)) : undefined;
    for await (const chunk of blocksOf(await source.open())) {
      entry.crc = crc32(chunk, entry.crc);
      entry.size += chunk.length;
      if (deflate) deflate.push(chunk);
      else out.push(chunk);
      for (const c of out.splice(0)) {
        entry.compressed += c.length;
        yield c;
      }
    }
    if (deflate) {
      deflate.push(new Uint8Array(0), true);
      for (const c of out.splice(0)) {
        entry.compressed += c.length;
        yield c;
      }
    }
    offset += entry.compressed;
    if (!zip64 && (entry.size >= LIMIT32 || entry.compressed >= LIMIT32))
      throw new FormatError('io_error', `${source.path} passed 4 GiB without announcing its size`);
    const descriptor = dataDescriptor(entry);
    offset += descriptor.length;
    yield descriptor;
    written.push(entry);
  }
  const cdStart = offset;
  for (const entry of written) {
    const central = centralHeader(entry);
    offset += central.length;
    yield central;
  }
  yield endOfCentralDirectory(written.length, offset - cdStart, cdStart);
}

/**
 * A zip as a web `ReadableStream`, written with web-standard code only (fflate's deflate, no Node
 * streams), so the Gatekeeper writes the same archives on Node and as a Worker. The same records as
 * `writeZip`: entries sorted by path, fixed timestamps and attributes, media stored, the rest
 * deflated, Zip64 only where needed; the same files give the same bytes. Pulled entry by entry, so
 * memory stays flat whatever the number and size of the files. Names are checked before the stream
 * is returned (`unsafe_path`, `duplicate_entry`).
 *
 * @example
 * return new Response(zipStream([{ path: 'index.html', open: () => bytes }]));
 */
export function zipStream(sources: WebZipSource[], options: WebZipOptions = {}): ReadableStream<Uint8Array> {
  const chunks = zipChunks(sortSources(sources), options);
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const parts: Uint8Array[] = [];
      let size = 0;
      while (size < CHUNK) {
        const next = await chunks.next();
        if (next.done) break;
        parts.push(next.value);
        size += next.value.length;
      }
      if (parts.length === 1) controller.enqueue(parts[0] as Uint8Array);
      else if (parts.length > 1) {
        const joined = new Uint8Array(size);
        let at = 0;
        for (const p of parts) {
          joined.set(p, at);
          at += p.length;
        }
        controller.enqueue(joined);
      }
      if (size < CHUNK) controller.close();
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}
