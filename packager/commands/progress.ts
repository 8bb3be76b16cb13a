import cliProgress from 'cli-progress';
import type { CliIo } from './cli-io.js';

/** Reports byte progress: a bar on a terminal, a plain line every 10 % otherwise (CI logs, pipes). */
export interface Progress {
  update(done: number): void;
  stop(): void;
}

const MB = 1024 * 1024;

/**
 * Progress for `total` bytes on `stream` (the CLI's stderr); silent for inputs under `threshold` bytes,
 * where it would only flicker.
 */
export function createProgress(
  stream: CliIo['stderr'],
  label: string,
  total: number,
  threshold = 16 * MB,
): Progress {
  if (total < threshold) return { update() {}, stop() {} };
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream,
        format: `${label} [{bar}] {percentage}% | {value}/{total} MB`,
        noTTYOutput: true,
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(Math.ceil(total / MB), 0);
    return {
      update: (done) => bar.update(Math.floor(done / MB)),
      stop: () => {
        bar.update(bar.getTotal());
        bar.stop();
      },
    };
  }
  let lastTenth = -1;
  return {
    update(done) {
      const tenth = Math.floor((done / total) * 10);
      if (tenth > lastTenth) {
        lastTenth = tenth;
        stream.write(
          `${label}: ${tenth * 10}% (${(done / MB).toFixed(1)} of ${(total / MB).toFixed(1)} MB)\n`,
        );
      }
    },
    stop() {},
  };
}
