import type { Readable, Writable } from 'node:stream';
import { promisify } from 'node:util';
import { crc32, createDeflateRaw, deflateRaw, deflateRawSync } from 'node:zlib';
import { PackagerError } from '../errors.js';
import type { ZipSource } from './writer.js';

const deflateRawAsync = promisify(deflateRaw);

/**
 * Entries up to this size are deflated on the main thread: a thread-pool hop costs more than deflating a
 * few kilobytes (measured: 10,000 ten-byte entries took 13 s through the pool and 1 s inline on a loaded
 * 2-core machine), and courses hold many such small files.
 */
const INLINE_DEFLATE_MAX = 16 * 1024;

/** An entry's bytes, ready to write: its CRC and sizes known. */
export interface LoadedEntry {
  crc: number;
  size: number;
  data: Buffer;
}

async function readAll(input: Readable, expected: number, path: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of input as AsyncIterable<Buffer>) {
    size += chunk.length;
    // Memory is budgeted on the announced size: a file that grew is an error, not a bigger buffer.
    if (size > expected) throw new PackagerError('io_error', `${path} grew while it was being packaged`);
    chunks.push(chunk);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

/**
 * Reads a small entry whole and compresses it (on the thread pool unless tiny), so several small files
 * are read and deflated at once while earlier ones are written (the writer bounds the bytes in flight).
 */
export async function loadEntry(source: ZipSource, method: number, level: number): Promise<LoadedEntry> {
  const expected = source.size ?? 0;
  const raw = source.read ? await source.read() : await readAll(await source.open(), expected, source.path);
  if (raw.length > expected)
    throw new PackagerError('io_error', `${source.path} grew while it was being packaged`);
  const data =
    method === 0
      ? raw
      : raw.length <= INLINE_DEFLATE_MAX
        ? deflateRawSync(raw, { level })
        : await deflateRawAsync(raw, { level });
  return { crc: crc32(raw), size: raw.length, data };
}

/** Streams a large entry through (deflate and) `emit`, chunk by chunk with backpressure. */
export async function streamEntry(
  input: Readable,
  method: number,
  level: number,
  onRead: (bytes: number) => void,
  emit: (chunk: Uint8Array) => Promise<void>,
): Promise<{ crc: number; size: number; compressed: number }> {
  let crc = 0;
  let size = 0;
  let compressed = 0;
  if (method === 0) {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      crc = crc32(chunk, crc);
      size += chunk.length;
      onRead(chunk.length);
      await emit(chunk);
    }
    return { crc, size, compressed: size };
  }
  const deflate = createDeflateRaw({ level, chunkSize: 64 * 1024 });
  const feeding = (async () => {
    try {
      for await (const chunk of input as AsyncIterable<Buffer>) {
        crc = crc32(chunk, crc);
        size += chunk.length;
        onRead(chunk.length);
        if (!deflate.write(chunk)) await waitDrain(deflate);
      }
      deflate.end();
    } catch (err) {
      deflate.destroy(err as Error);
    }
  })();
  for await (const chunk of deflate as AsyncIterable<Buffer>) {
    compressed += chunk.length;
    await emit(chunk);
  }
  await feeding;
  return { crc, size, compressed };
}

/** Resolves on 'drain'; rejects if the stream errors or closes first. Leaves no listener behind. */
export function waitDrain(stream: Writable): Promise<void> {
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
