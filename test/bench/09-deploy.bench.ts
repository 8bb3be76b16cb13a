import { Writable } from 'node:stream';
import { runDeploy } from '../../packager/commands/deploy.ts';
import { startDeployGatekeeper } from '../helpers/deploy-gatekeeper.ts';
import { generateCourse } from './05-packaging.bench.ts';
import type { BenchRow } from './types.ts';

/**
 * `coursegate deploy` of a generated 1 GB / 10,000-file course through a real Gatekeeper on fs storage,
 * then an unchanged redeploy: wall time and the bytes that reached storage as new objects, counted on the
 * storage side (the redeploy must be 0: every file is a server-side copy).
 * `COURSEGATE_BENCH_DEPLOY_MB=64 npm run bench -- deploy` runs a smaller course for a quick look.
 */
const sizeMb = Number(process.env.COURSEGATE_BENCH_DEPLOY_MB ?? 1024);
const fileCount = Math.max(100, Math.round((10_000 * sizeMb) / 1024));
const MiB = 1024 * 1024;

const quiet = () =>
  new Writable({
    write(_c, _e, done) {
      done();
    },
  });

export async function bench(): Promise<BenchRow[]> {
  const dir = generateCourse(sizeMb, fileCount);
  const env = await startDeployGatekeeper('fs', 'bench');
  const label = `${sizeMb >= 1024 ? `${sizeMb / 1024} GB` : `${sizeMb} MB`} / ${fileCount.toLocaleString('en')} files`;
  try {
    const run = async () => {
      env.meter.mark();
      const t0 = performance.now();
      const r = await runDeploy({
        source: dir,
        course: 'bench',
        api: env.api,
        log: quiet(),
        out: quiet(),
        concurrency: 8,
      });
      return { s: (performance.now() - t0) / 1000, stored: env.meter.uploaded().bytes, r };
    };
    const first = await run();
    const again = await run();
    return [
      {
        name: `deploy through the Gatekeeper (fs), ${label}`,
        value: `${first.s.toFixed(1)} s, ${(first.stored / MiB).toFixed(0)} MB uploaded (${(first.stored / MiB / first.s).toFixed(0)} MB/s)`,
        budget: '',
      },
      {
        name: 'unchanged redeploy through the Gatekeeper (fs)',
        value: `${again.s.toFixed(1)} s, ${again.stored} bytes uploaded, ${again.r.copied} files copied in storage`,
        budget: '0 bytes',
        ok: again.stored === 0 && again.r.uploaded.bytes === 0,
      },
    ];
  } finally {
    await env.close();
  }
}
