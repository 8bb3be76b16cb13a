import type { Readable, Writable } from 'node:stream';
import { constants, crc32, createDeflateRaw } from 'node:zlib';
import { PackagerError } from '../errors.js';
import { isStored } from './compression.js';
import { assertSafeEntryName } from './entry-name.js';

/** A file to put in a zip: its path inside the archive and a way to read it (called once). */
export interface ZipSource {
  path: string;
  open(): Readable | Promise<Readable>;
  /** Byte size, when known, for progress reports only. */
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

// Every entry carries the same timestamp, 2000-01-01 00:00:00, written as raw DOS fields (never derived
// from a Date, so the machine's time zone cannot leak in), and the same attributes: a regular file, 0644.
const DOS_TIME = 0;
const DOS_DATE = ((2000 - 1980) << 9) | (1 << 5) | 1;
const EXTERNAL_ATTRS = ((0o100644 << 16) >>> 0) as number;
const VERSION_MADE_BY = (3 << 8) | 20; // Unix, spec 2.0
const FLAGS = 0x0808; // bit 3: sizes in a data descriptor; bit 11: UTF-8 names
const LIMIT32 = 0xffffffff;

interface Written {
  name: Buffer;
  method: number;
  crc: number;
  compressed: number;
  size: number;
  offset: number;
}

/** Sorts and checks sources: unique, safe names, in one order whatever order they were listed in. */
export function sortSources(sources: ZipSource[]): ZipSource[] {
  const sorted = [...sources].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (let i = 0; i < sorted.length; i++) {
    assertSafeEntryName(sorted[i]!.path);
    if (i > 0 && sorted[i]!.path === sorted[i - 1]!.path) {
      throw new PackagerError('duplicate_entry', `two files would be stored as ${sorted[i]!.path}`);
    }
  }
  return sorted;
}

/**
 * Streams files into a zip on `output`, one at a time with backpressure, so memory stays flat whatever
 * the course size. Deterministic: entries sorted by path, fixed timestamps and attributes, so the same
 * files give the same bytes. Media that is already compressed is stored, the rest deflated.
 * Does not end `output`.
 * @example
 * await writeZip([{ path: 'index.html', open: () => createReadStream('dist/index.html') }], createWriteStream('out.zip'));
 */
export async function writeZip(
  sources: ZipSource[],
  output: Writable,
  options: WriteZipOptions = {},
): Promise<ZipSummary> {
  const sorted = sortSources(sources);
  if (sorted.length > 0xffff) {
    throw new PackagerError(
      'io_error',
      `${sorted.length} files: more than a zip without Zip64 can hold (65,535)`,
    );
  }
  const store = options.store ?? isStored;
  let offset = 0;
  let bytesRead = 0;
  const emit = async (buf: Buffer) => {
    offset += buf.length;
    if (offset > LIMIT32)
      throw new PackagerError('io_error', 'package larger than 4 GiB (Zip64 is not supported)');
    if (!output.write(buf)) await waitDrain(output);
  };
  const written: Written[] = [];
  const report = () =>
    options.onProgress?.({ entriesDone: written.length, entriesTotal: sorted.length, bytesRead });
  for (const source of sorted) {
    const name = Buffer.from(source.path, 'utf8');
    const method = store(source.path) ? 0 : 8;
    const entry: Written = { name, method, crc: 0, compressed: 0, size: 0, offset };
    await emit(localHeader(name, method));
    const input = await source.open();
    if (method === 0) {
      for await (const chunk of input as AsyncIterable<Buffer>) {
        entry.crc = crc32(chunk, entry.crc);
        entry.size += chunk.length;
        bytesRead += chunk.length;
        report();
        await emit(chunk);
      }
      entry.compressed = entry.size;
    } else {
      const deflate = createDeflateRaw({
        level: options.level ?? 6,
        memLevel: 8,
        strategy: constants.Z_DEFAULT_STRATEGY,
      });
      const feeding = (async () => {
        try {
          for await (const chunk of input as AsyncIterable<Buffer>) {
            entry.crc = crc32(chunk, entry.crc);
            entry.size += chunk.length;
            bytesRead += chunk.length;
            report();
            if (!deflate.write(chunk)) await waitDrain(deflate);
          }
          deflate.end();
        } catch (err) {
          deflate.destroy(err as Error);
        }
      })();
      for await (const chunk of deflate as AsyncIterable<Buffer>) {
        entry.compressed += chunk.length;
        await emit(chunk);
      }
      await feeding;
    }
    if (entry.size > LIMIT32) throw new PackagerError('io_error', `${source.path} is larger than 4 GiB`);
    await emit(dataDescriptor(entry));
    written.push(entry);
    report();
  }
  const cdStart = offset;
  for (const entry of written) await emit(centralHeader(entry));
  await emit(endOfCentralDirectory(written.length, offset - cdStart, cdStart));
  return { entries: written.length, bytes: offset };
}

function waitDrain(stream: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const settle = (err?: Error) => {
      stream.off('drain', onDrain);
      stream.off('close', onClose);
      stream.off('error', settle);
      if (err) reject(err);
      else resolve();
    };
    const onDrain = () => settle();
    const onClose = () => settle(new PackagerError('io_error', 'output closed while writing the zip'));
    stream.on('drain', onDrain);
    stream.on('close', onClose);
    stream.on('error', settle);
  });
}

function localHeader(name: Buffer, method: number): Buffer {
  const b = Buffer.alloc(30);
  b.writeUInt32LE(0x04034b50, 0);
  b.writeUInt16LE(20, 4);
  b.writeUInt16LE(FLAGS, 6);
  b.writeUInt16LE(method, 8);
  b.writeUInt16LE(DOS_TIME, 10);
  b.writeUInt16LE(DOS_DATE, 12);
  // crc and sizes (14..25) stay zero: they follow in the data descriptor
  b.writeUInt16LE(name.length, 26);
  b.writeUInt16LE(0, 28);
  return Buffer.concat([b, name]);
}

function dataDescriptor(e: Written): Buffer {
  const b = Buffer.alloc(16);
  b.writeUInt32LE(0x08074b50, 0);
  b.writeUInt32LE(e.crc >>> 0, 4);
  b.writeUInt32LE(e.compressed, 8);
  b.writeUInt32LE(e.size, 12);
  return b;
}

function centralHeader(e: Written): Buffer {
  const b = Buffer.alloc(46);
  b.writeUInt32LE(0x02014b50, 0);
  b.writeUInt16LE(VERSION_MADE_BY, 4);
  b.writeUInt16LE(20, 6);
  b.writeUInt16LE(FLAGS, 8);
  b.writeUInt16LE(e.method, 10);
  b.writeUInt16LE(DOS_TIME, 12);
  b.writeUInt16LE(DOS_DATE, 14);
  b.writeUInt32LE(e.crc >>> 0, 16);
  b.writeUInt32LE(e.compressed, 20);
  b.writeUInt32LE(e.size, 24);
  b.writeUInt16LE(e.name.length, 28);
  // extra length, comment length, disk number, internal attributes: zero
  b.writeUInt32LE(EXTERNAL_ATTRS, 38);
  b.writeUInt32LE(e.offset, 42);
  return Buffer.concat([b, e.name]);
}

function endOfCentralDirectory(count: number, size: number, start: number): Buffer {
  const b = Buffer.alloc(22);
  b.writeUInt32LE(0x06054b50, 0);
  b.writeUInt16LE(count, 8);
  b.writeUInt16LE(count, 10);
  b.writeUInt32LE(size, 12);
  b.writeUInt32LE(start, 16);
  return b;
}
