import { writeSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { waitDrain } from './entry-data.js';

/** Where zip bytes go: a stream (with backpressure) or a file descriptor written synchronously. */
export interface ZipSink {
  /** True when `write` never returns a promise (an fd): local files may then be copied synchronously. */
  readonly sync: boolean;
  write(buf: Uint8Array): Promise<void> | undefined;
  /** Pushes out anything buffered. */
  flush(): void;
}

export function streamSink(output: Writable): ZipSink {
  return {
    sync: false,
    write: (buf) => (output.write(buf) ? undefined : waitDrain(output)),
    flush() {},
  };
}

const BUFFER_SIZE = 1024 * 1024;

/** Coalesces small writes (headers, descriptors, small files) into 1 MB writes on `fd`. */
export function fdSink(fd: number): ZipSink {
  const buffer = Buffer.allocUnsafe(BUFFER_SIZE);
  let used = 0;
  const writeAll = (buf: Uint8Array) => {
    let done = 0;
    while (done < buf.length) done += writeSync(fd, buf, done, buf.length - done);
  };
  const flush = () => {
    if (used > 0) writeAll(buffer.subarray(0, used));
    used = 0;
  };
  return {
    sync: true,
    write(buf) {
      if (buf.length >= BUFFER_SIZE / 4) {
        flush();
        writeAll(buf);
      } else {
        if (used + buf.length > BUFFER_SIZE) flush();
        buffer.set(buf, used);
        used += buf.length;
      }
      return undefined;
    },
    flush,
  };
}
