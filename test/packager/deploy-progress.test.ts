import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { deployProgress } from '../../packager/commands/deploy-progress.js';
import { uploadFiles } from '../../packager/deploy/upload.js';

const MB = 1024 * 1024;

/** The lines `deploy` writes to a log (not a terminal) for these files, sent as uploads really report. */
async function progressLines(sizes: number[]): Promise<string[]> {
  const log = new PassThrough();
  let text = '';
  log.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  const files = sizes.map((size, i) => ({ path: `f${i}.bin`, size }));
  const bar = deployProgress(
    log,
    files.length,
    sizes.reduce((a, b) => a + b, 0),
  );
  await uploadFiles({
    files,
    concurrency: 6,
    // Every body is read into its request at once; the answers come later, the first one soonest: the
    // order a real deploy of a few large files reports in.
    send: async (file, ctx) => {
      ctx.onBytes(file.size);
      await new Promise((r) => setTimeout(r, 5 + Number(file.path.slice(1, -4)) * 5));
    },
    onProgress: (p) => bar.update(p),
  });
  bar.stop();
  return text.trimEnd().split('\n');
}

describe('deploy progress on a log (not a terminal)', () => {
  it('ends with every file and the whole size, after the bytes were all sent before the answers came', async () => {
    const lines = await progressLines([100, 8 * MB, 8 * MB, 8 * MB, 8 * MB, 8 * MB]);
    expect(lines.at(-1)).toBe('uploaded 6/6 files, 40.0 of 40.0 MB');
    expect(lines.filter((l) => l.startsWith('uploaded 6/6'))).toHaveLength(1);
    expect(new Set(lines).size).toBe(lines.length);
  });

  it('writes no line twice on a small deploy whose sizes round to 0.0 MB', async () => {
    const lines = await progressLines([10, 20, 30, 40]);
    expect(lines).toEqual(['uploaded 0/4 files, 0.0 of 0.0 MB', 'uploaded 4/4 files, 0.0 of 0.0 MB']);
  });
});

describe('deploy progress while uploads are retried', () => {
  it('says why at once, then once every 5 s while the same failure lasts, and when uploads go through again', () => {
    const log = new PassThrough();
    let text = '';
    log.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    let t = 0;
    const bar = deployProgress(log, 10, 1000, { now: () => t });
    const refused = { what: 'h:9 failed: connection refused (ECONNREFUSED)', retryForMs: 60_000 };
    // Six lanes failing together, again and again, for 12 s.
    for (; t <= 12_000; t += 500)
      for (let lane = 0; lane < 6; lane++) bar.retrying({ ...refused, delayMs: 500, failingForMs: t });
    bar.recovered();
    bar.recovered();
    const lines = text.trimEnd().split('\n');
    expect(lines).toEqual([
      'retrying: h:9 failed: connection refused (ECONNREFUSED); next try in 0.5 s (failing for 0.0 s, giving up after 60 s: --retry-for)',
      'retrying: h:9 failed: connection refused (ECONNREFUSED); next try in 0.5 s (failing for 5.0 s, giving up after 60 s: --retry-for)',
      'retrying: h:9 failed: connection refused (ECONNREFUSED); next try in 0.5 s (failing for 10 s, giving up after 60 s: --retry-for)',
      'uploads go through again after: h:9 failed: connection refused (ECONNREFUSED)',
    ]);
  });
});
