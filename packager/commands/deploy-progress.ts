import cliProgress from 'cli-progress';
import type { UploadProgress } from '../deploy/upload.js';

const MB = 1024 * 1024;

/**
 * Upload progress in files and bytes: a bar on a terminal, otherwise a plain line every 10 % of bytes,
 * the last one when every file is done.
 */
export function deployProgress(
  stream: NodeJS.WriteStream | NodeJS.WritableStream,
  filesTotal: number,
  bytesTotal: number,
) {
  if ((stream as NodeJS.WriteStream).isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream: stream as NodeJS.WriteStream,
        format: 'uploading [{bar}] {percentage}% | {files}/{filesTotal} files | {mb}/{mbTotal} MB',
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
    const mbTotal = (bytesTotal / MB).toFixed(1);
    bar.start(Math.max(bytesTotal, 1), 0, { files: 0, filesTotal, mb: '0.0', mbTotal });
    return {
      update: (p: UploadProgress) =>
        bar.update(p.bytesDone, { files: p.filesDone, mb: (p.bytesDone / MB).toFixed(1) }),
      stop: () => bar.stop(),
    };
  }
  let lastTenth = -1;
  let lastLine = '';
  return {
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
