import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDeployGatekeeper } from '../helpers/deploy-gatekeeper.js';
import { ROOT } from '../helpers/paths.js';
import { makeCourseDir, removeDir, tempDir } from '../packager/fixtures.js';

/**
 * Issue 22 saw `MaxListenersExceededWarning` hundreds of times in a 2,001-file deploy to S3: every PUT
 * shared one abort signal, fetch hangs a listener on it per request and takes it off only when garbage
 * collection reclaims the request, and undici warns past 1,500 listeners on one signal. Whether a
 * deploy reaches 1,500 depends on when the heap's major collection comes: measured here, never at 2,000
 * files with Node's default heap, about a hundred warnings at 5,000, thousands at 10,000 (80 s: too slow for
 * `npm test`). The CLI runs here with a 1 GB initial old space, so no major collection comes during the
 * deploy and every request's listener would still be there, as in a long-running deploy: 1,600 files then
 * pass the limit on every run (about a hundred warnings before the fix) in a fraction of the time.
 */
const FILES = 1_600;
const NO_MAJOR_GC = '--initial-old-space-size=1024';

describe('coursegate deploy of many files to S3', { timeout: 120_000 }, () => {
  let env: Awaited<ReturnType<typeof startDeployGatekeeper>>;
  let home: string;
  let dir: string;

  beforeAll(async () => {
    env = await startDeployGatekeeper('s3', 'many');
    home = tempDir('cg-home-');
    const files: Record<string, string> = { 'index.html': '<!doctype html><title>many</title>' };
    for (let i = 0; i < FILES; i++) files[`items/i-${i}.txt`] = `item ${i}`;
    dir = makeCourseDir(files);
  });
  afterAll(async () => {
    await env?.close();
    removeDir(home);
    removeDir(dir);
  });

  it(`prints no warning at all for ${FILES + 1} files, and stores every one`, async () => {
    const run = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
      execFile(
        process.execPath,
        [NO_MAJOR_GC, join(ROOT, 'bin/coursegate.js'), 'deploy', dir, '--course', 'many'],
        {
          cwd: ROOT,
          env: env.cliEnv(home),
          maxBuffer: 64 * 1024 * 1024,
        },
        (err, stdout, stderr) => resolve({ code: err ? 1 : 0, stdout, stderr }),
      ),
    );
    expect(run.code, run.stderr).toBe(0);
    // Only the progress lines: no `(node:…) …Warning`, no other noise.
    expect(run.stderr.trimEnd().split('\n')).toEqual(
      expect.arrayContaining([`uploaded ${FILES + 1}/${FILES + 1} files, 0.0 of 0.0 MB`]),
    );
    expect(run.stderr.split('\n').filter((l) => !/^uploaded \d+\/\d+ files, /.test(l) && l !== '')).toEqual(
      [],
    );
    const id = /deployed (dep_[\w-]+)/.exec(run.stdout)![1]!;
    expect((await env.listDeployment(id)).filter((k) => !k.startsWith('_coursegate/'))).toHaveLength(
      FILES + 1,
    );
  });
});
