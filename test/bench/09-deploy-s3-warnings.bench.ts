import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { startDeployGatekeeper } from '../helpers/deploy-gatekeeper.ts';
import { ROOT } from '../helpers/paths.ts';
import { makeCourseDir, removeDir, tempDir } from '../packager/fixtures.ts';
import type { BenchRow } from './types.ts';

/**
 * Issue 22's figure: the `coursegate` binary deploys 10,000 small files to a real Gatekeeper on S3
 * (s3rver) and writes nothing but progress on stderr: no `MaxListenersExceededWarning`, which a deploy of
 * that size printed thousands of times before every request got its own abort signal. About 80 s: too
 * slow for `npm test`, whose test (test/cli/deploy-many-files-cli.test.ts) makes the same pile-up certain
 * with fewer files.
 */
const FILES = 10_000;

export async function bench(): Promise<BenchRow[]> {
  const env = await startDeployGatekeeper('s3', 'many');
  const home = tempDir('cg-bench-home-');
  const files: Record<string, string> = { 'index.html': '<!doctype html><title>many</title>' };
  for (let i = 0; i < FILES - 1; i++) files[`items/i-${i}.txt`] = `item ${i}`;
  const dir = makeCourseDir(files);
  try {
    const t0 = performance.now();
    const run = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
      execFile(
        process.execPath,
        [join(ROOT, 'bin/coursegate.js'), 'deploy', dir, '--course', 'many'],
        { cwd: ROOT, env: env.cliEnv(home), maxBuffer: 256 * 1024 * 1024 },
        (err, stdout, stderr) => resolve({ code: err ? 1 : 0, stdout, stderr }),
      ),
    );
    const s = (performance.now() - t0) / 1000;
    const noise = run.stderr.split('\n').filter((l) => l !== '' && !/^uploaded \d+\/\d+ files, /.test(l));
    const id = /deployed (dep_[\w-]+)/.exec(run.stdout)?.[1];
    const stored = id
      ? (await env.listDeployment(id)).filter((k) => !k.startsWith('_coursegate/')).length
      : 0;
    return [
      {
        name: `deploy of ${FILES.toLocaleString('en')} files to S3 (s3rver): files stored, time`,
        value: `${stored.toLocaleString('en')} in ${s.toFixed(1)} s (exit ${run.code})`,
        budget: `${FILES.toLocaleString('en')}`,
        ok: run.code === 0 && stored === FILES,
      },
      {
        name: 'the same deploy: stderr lines other than progress (warnings)',
        value: noise.length === 0 ? '0' : `${noise.length}: ${noise[0]}`,
        budget: '0',
        ok: noise.length === 0,
      },
    ];
  } finally {
    await env.close();
    removeDir(home);
    removeDir(dir);
  }
}
