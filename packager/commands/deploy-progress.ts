import cliProgress from 'cli-progress';
import type { UploadProgress } from '../deploy/upload.js';

const MB = 1024 * 1024;
/** While the same failure goes on, one retry line this often: six lanes retrying would print six a second. */
const RETRY_LINE_EVERY_MS = 5_000;

/** A failed try about to be retried, as the user reads it. */
export interface RetryNotice {
  /** `<host> failed: <cause>`, e.g. `127.0.0.1:9000 failed: connection refused (ECONNREFUSED)`. */
  what: string;
  delayMs: number;
  failingForMs: number;
  retryForMs: number;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;

/**
 * Says that uploads are being retried and why: the first retry of a cause at once, then at most one line
 * every few seconds while it lasts, and one line when uploads go through again.
 */
export function retryNotices(write: (line: string) => void, now: () => number) {
  let last: { what: string; at: number } | undefined;
  return {
    retrying(n: RetryNotice) {
      const at = now();
      if (last?.what === n.what && at - last.at < RETRY_LINE_EVERY_MS) return;
      last = { what: n.what, at };
      write(
        `retrying: ${n.what}; next try in ${seconds(n.delayMs)} ` +
          `(failing for ${seconds(n.failingForMs)}, giving up after ${seconds(n.retryForMs)}: --retry-for)`,
      );
    },
    recovered() {
      if (!last) return;
      write(`uploads go through again after: ${last.what}`);
      last = undefined;
    },
  };
}

/**
 * Upload progress in files and bytes: a bar on a terminal, otherwise a plain line every 10 % of bytes,
 * the last one when every file is done. Retries are said as they happen (`retrying`, `recovered`).
 */
export function deployProgress(
  stream: NodeJS.WriteStream | NodeJS.WritableStream,
  filesTotal: number,
  bytesTotal: number,
  options: { now?: () => number } = {},
) {
  const now = options.now ?? Date.now;
  if ((stream as NodeJS.WriteStream).isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream: stream as NodeJS.WriteStream,
        format: 'uploading [{bar}] {percentage}% | {files}/{filesTotal} files | {mb}/{mbTotal} MB{status}',
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
    const mbTotal = (bytesTotal / MB).toFixed(1);
    bar.start(Math.max(bytesTotal, 1), 0, { files: 0, filesTotal, mb: '0.0', mbTotal, status: '' });
    // A line written under a live bar would be overdrawn: the bar itself carries the retry status.
    const status = retryNotices((line) => bar.update({ status: ` | ${line}` }), now);
    return {
      update: (p: UploadProgress) =>
        bar.update(p.bytesDone, { files: p.filesDone, mb: (p.bytesDone / MB).toFixed(1) }),
      retrying: status.retrying,
      recovered() {
        status.recovered();
        bar.update({ status: '' });
      },
      stop: () => bar.stop(),
    };
  }
  let lastTenth = -1;
  let lastLine = '';
  const status = retryNotices((line) => stream.write(`${line}\n`), now);
  return {
    retrying: status.retrying,
    recovered: status.recovered,
    update(p: UploadProgress) {
      // Bytes are counted as they are read into a request, so they reach the total while the last files
      // still wait for their answers: 100 % is the moment every file is done, and no sooner.
      const tenth =
        p.filesDone >= filesTotal
          ? 10
          : bytesTotal === 0
            ? 0
            : Math.min(9, Math.floor((p.bytesDone / bytesTotal) * 10));
      if (tenth <= lastTenth) return;
      lastTenth = tenth;
      const line = `uploaded ${p.filesDone}/${filesTotal} files, ${(p.bytesDone / MB).toFixed(1)} of ${(bytesTotal / MB).toFixed(1)} MB\n`;
      // Small uploads round to the same figures at several tenths; a log needs each line once.
      if (line === lastLine) return;
      lastLine = line;
      stream.write(line);
    },
    stop() {},
  };
}
