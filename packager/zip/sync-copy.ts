import { closeSync, openSync, readSync } from 'node:fs';
import { crc32, deflateRawSync } from 'node:zlib';
import { PackagerError } from '../errors.js';
import type { ZipSink } from './sink.js';

/** Reused read buffer for synchronous copies: grows to the largest whole file read, capped by the caller. */
export interface Scratch {
  buf: Buffer;
}

const CHUNK = 1024 * 1024;

/**
 * Copies a local file into a synchronous sink, stored: 1 MB reads into one reused buffer. `onRead` hears
 * of each read, so one large video still shows progress while it is copied.
 */
export function copyStoredSync(
  file: string,
  sink: ZipSink,
  scratch: Scratch,
  onRead?: (bytes: number) => void,
): { crc: number; size: number } {
  const fd = openSync(file, 'r');
  let crc = 0;
  let size = 0;
  try {
    if (scratch.buf.length < CHUNK) scratch.buf = Buffer.allocUnsafe(CHUNK);
    for (;;) {
      const n = readSync(fd, scratch.buf, 0, CHUNK, null);
      if (n === 0) break;
      const chunk = scratch.buf.subarray(0, n);
      crc = crc32(chunk, crc);
      size += n;
      sink.write(chunk);
      onRead?.(n);
    }
  } finally {
    closeSync(fd);
  }
  return { crc, size };
}

/** Reads a small local file whole (at most `max` bytes) and deflates it into a synchronous sink. */
export function copyDeflatedSync(
  file: string,
  max: number,
  level: number,
  sink: ZipSink,
  scratch: Scratch,
): { crc: number; size: number; compressed: number } {
  const fd = openSync(file, 'r');
  let size = 0;
  try {
    if (scratch.buf.length < max + 1) scratch.buf = Buffer.allocUnsafe(max + 1);
    for (;;) {
      const n = readSync(fd, scratch.buf, size, scratch.buf.length - size, null);
      if (n === 0) break;
      size += n;
      if (size > max) throw new PackagerError('io_error', `${file} grew while it was being packaged`);
    }
  } finally {
    closeSync(fd);
  }
  const raw = scratch.buf.subarray(0, size);
  const data = deflateRawSync(raw, { level });
  sink.write(data);
  return { crc: crc32(raw), size, compressed: data.length };
}
