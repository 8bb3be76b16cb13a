import type { Readable, Writable } from 'node:stream';
import { PackagerError } from '../errors.js';

export { sortSources } from '../../formats/zip/sort-sources.js';

import { isStored } from '../../formats/zip/compression.js';
import {
  centralHeader,
  dataDescriptor,
  type EntryRecord,
  endOfCentralDirectory,
  LIMIT32,
  localHeader,
} from '../../formats/zip/headers.js';
import { sortSources } from '../../formats/zip/sort-sources.js';
import { type LoadedEntry, loadEntry, streamEntry } from './entry-data.js';
import { fdSink, streamSink } from './sink.js';
import { copyDeflatedSync, copyStoredSync, type Scratch } from './sync-copy.js';

/** A file to put in a zip: its path inside the archive and a way to read it (called once). */
export interface ZipSource {
  path: string;
  open(): Readable | Promise<Readable>;
  /** Optional whole-file read, cheaper than a stream for the small files read ahead. */
  read?(): Promise<Buffer>;
  /** Path on local disk, when the source is a local file: lets a zip written to an fd copy it synchronously. */
  file?: string;
  /** Byte size, when known: small files are then read ahead in parallel; also used for progress. */
  size?: number;
}

export interface ZipProgress {
  entriesDone: number;
  entriesTotal: number;
  bytesRead: number;
}

export interface WriteZipOptions {
  /** Deflate level for compressible files; default 6. */
  level?: number;
  /** Overrides which paths are stored; default: already-compressed media by extension. */
  store?: (path: string) => boolean;
  onProgress?: (progress: ZipProgress) => void;
}

export interface ZipSummary {
  entries: number;
  /** Archive size in bytes. */
  bytes: number;
}

/** Entries up to this size are read whole and deflated ahead of time, in parallel. */
const PREFETCH_MAX_ENTRY = 4 * 1024 * 1024;
/** At most this many bytes of prefetched entries are held at once, whatever the course size. */
const PREFETCH_BUDGET = 32 * 1024 * 1024;
const PREFETCH_MAX_ENTRIES = 32;

/**
 * Streams files into a zip on `output` (a stream, not ended, or a file descriptor), one at a time with
 * backpressure, so memory stays flat whatever the course size. Deterministic: entries sorted by path,
 * fixed timestamps and attributes, so the same files give the same bytes. Media that is already
 * compressed is stored, the rest deflated.
 * @example
 * await writeZip([{ path: 'index.html', open: () => createReadStream('dist/index.html') }], createWriteStream('out.zip'));
 */
export async function writeZip(
  sources: ZipSource[],
  output: Writable | number,
  options: WriteZipOptions = {},
): Promise<ZipSummary> {
  const sorted = sortSources(sources);
  const sink = typeof output === 'number' ? fdSink(output) : streamSink(output);
  const store = options.store ?? isStored;
  const level = options.level ?? 6;
  const methodOf = (s: ZipSource) => (store(s.path) ? 0 : 8);
  let offset = 0;
  let bytesRead = 0;
  const written: EntryRecord[] = [];
  const report = () =>
    options.onProgress?.({ entriesDone: written.length, entriesTotal: sorted.length, bytesRead });
  const emit = async (buf: Uint8Array) => {
    offset += buf.length;
    const pending = sink.write(buf);
    if (pending) await pending;
  };
  // Local files going to an fd are copied synchronously through one reused buffer (no thread-pool hop
  // and no garbage per file), yielding to the event loop every few megabytes.
  const scratch: Scratch = { buf: Buffer.alloc(0) };
  const syncCopy = (s: ZipSource) =>
    sink.sync &&
    s.file !== undefined &&
    (methodOf(s) === 0 || (s.size !== undefined && s.size <= PREFETCH_MAX_ENTRY));
  let sinceYield = 0;

  // Other small entries are loaded ahead (read + deflate on the thread pool) inside a fixed byte budget;
  // large or unsized ones are streamed when their turn comes. Either way the bytes are written in order.
  const small = (s: ZipSource) => !syncCopy(s) && s.size !== undefined && s.size <= PREFETCH_MAX_ENTRY;
  const pending = new Map<number, Promise<LoadedEntry>>();
  let next = 0;
  let inFlight = 0;
  const fill = () => {
    while (next < sorted.length && pending.size < PREFETCH_MAX_ENTRIES) {
      const source = sorted[next]!;
      if (small(source)) {
        if (inFlight + source.size! > PREFETCH_BUDGET && pending.size > 0) return;
        inFlight += source.size!;
        const load = loadEntry(source, methodOf(source), level);
        load.catch(() => {}); // surfaced when awaited in order
        pending.set(next, load);
      }
      next++;
    }
  };

  for (let i = 0; i < sorted.length; i++) {
    fill();
    const source = sorted[i]!;
    const name = Buffer.from(source.path, 'utf8');
    const method = methodOf(source);
    // Zip64 only where needed, so ordinary packages stay readable by the oldest unzip.
    const zip64 = (source.size ?? 0) >= LIMIT32;
    const entry: EntryRecord = { name, method, crc: 0, compressed: 0, size: 0, offset, zip64 };
    await emit(localHeader(name, method, zip64));
    const loading = pending.get(i);
    if (syncCopy(source)) {
      const before = offset;
      const readBefore = bytesRead;
      const onRead = (n: number) => {
        bytesRead += n;
        report();
      };
      const result =
        method === 0
          ? { ...copyStoredSync(source.file!, sink, scratch, onRead), compressed: 0 }
          : copyDeflatedSync(source.file!, source.size!, level, sink, scratch);
      if (method === 0) result.compressed = result.size;
      Object.assign(entry, result);
      offset = before + entry.compressed;
      bytesRead = readBefore + entry.size;
      sinceYield += entry.size;
      if (sinceYield > 8 * 1024 * 1024) {
        sinceYield = 0;
        await new Promise<void>((r) => setImmediate(r));
      }
    } else if (loading) {
      const loaded = await loading;
      pending.delete(i);
      inFlight -= source.size!;
      entry.crc = loaded.crc;
      entry.size = loaded.size;
      entry.compressed = loaded.data.length;
      bytesRead += loaded.size;
      fill();
      await emit(loaded.data);
    } else {
      const input = await source.open();
      const result = await streamEntry(
        input,
        method,
        level,
        (n) => {
          bytesRead += n;
          report();
        },
        emit,
      );
      Object.assign(entry, result);
    }
    if (!zip64 && (entry.size >= LIMIT32 || entry.compressed >= LIMIT32)) {
      throw new PackagerError('io_error', `${source.path} passed 4 GiB without announcing its size`);
    }
    await emit(dataDescriptor(entry));
    written.push(entry);
    report();
  }
  const cdStart = offset;
  for (const entry of written) await emit(centralHeader(entry));
  await emit(endOfCentralDirectory(written.length, offset - cdStart, cdStart));
  sink.flush();
  return { entries: written.length, bytes: offset };
}
