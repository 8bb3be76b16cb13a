import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDeploy } from '../../packager/commands/deploy.js';
import { startDeployGatekeeper } from '../helpers/deploy-gatekeeper.js';
import { ROOT } from '../helpers/paths.js';
import { makeCourseDir, removeDir, tempDir } from '../packager/fixtures.js';

interface Deploy {
  child: ChildProcessWithoutNullStreams;
  stderr(): string;
  /** Resolves once stderr matches. */
  said(pattern: RegExp): Promise<void>;
  exit: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** 500 small files and an entry page: enough that the upload is still under way when storage stops. */
function courseOf(n: number, tag: string): string {
  const files: Record<string, string> = { 'index.html': `<!doctype html><title>${tag}</title>` };
  for (let i = 0; i < n; i++) files[`pages/p-${String(i).padStart(4, '0')}.html`] = `${tag} page ${i}`;
  return makeCourseDir(files);
}

// The real binary against a real Gatekeeper whose S3 store (s3rver) goes down mid-upload: the presigned
// PUTs go straight to the store, so the CLI sees what a user's CLI sees when a bucket's endpoint is down.
describe('coursegate deploy while the S3 store is down', { timeout: 180_000 }, () => {
  let env: Awaited<ReturnType<typeof startDeployGatekeeper>>;
  let home: string;
  const dirs: string[] = [];

  const deploy = (dir: string, extra: string[] = []): Deploy => {
    const child = spawn(
      process.execPath,
      [join(ROOT, 'bin/coursegate.js'), 'deploy', dir, '--course', env.course.slug, ...extra],
      {
        cwd: ROOT,
        env: env.cliEnv(home),
      },
    );
    let stdout = '';
    let stderr = '';
    const waiters: { pattern: RegExp; done: () => void }[] = [];
    child.stdout.on('data', (c) => {
      stdout += String(c);
    });
    child.stderr.on('data', (c) => {
      stderr += String(c);
      for (const w of waiters.filter((w) => w.pattern.test(stderr))) {
        waiters.splice(waiters.indexOf(w), 1);
        w.done();
      }
    });
    const exit = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
      child.on('close', (code) => resolve({ code, stdout, stderr })),
    );
    return {
      child,
      stderr: () => stderr,
      said: (pattern) =>
        new Promise<void>((done, fail) => {
          if (pattern.test(stderr)) return done();
          waiters.push({ pattern, done });
          void exit.then((r) => fail(new Error(`exited ${r.code} before ${pattern}:\n${r.stderr}`)));
        }),
      exit,
    };
  };

  beforeAll(async () => {
    env = await startDeployGatekeeper('s3', 'outage');
    home = tempDir('cg-home-');
  });
  afterAll(async () => {
    await env?.close();
    removeDir(home);
    for (const d of dirs) removeDir(d);
  });

  it('rides out a 10 s outage that starts mid-upload: it says it is retrying and why, and every file is stored', async () => {
    const dir = courseOf(500, 'outage');
    dirs.push(dir);
    const run = deploy(dir);
    await run.said(/uploaded [1-9]\d*\//);
    await env.s3Outage.stop();
    await run.said(/retrying: .*ECONNREFUSED/);
    // The outage itself: ten seconds of a store that refuses every connection.
    await new Promise((r) => setTimeout(r, 10_000));
    await env.s3Outage.start();
    const done = await run.exit;
    expect(done.code, done.stderr).toBe(0);
    const port = new URL(env.env.COURSEGATE_S3_ENDPOINT!).port;
    expect(done.stderr).toMatch(
      new RegExp(
        `retrying: 127\\.0\\.0\\.1:${port} failed: connection refused \\(ECONNREFUSED\\); next try in`,
      ),
    );
    expect(done.stderr).toContain('uploads go through again');
    expect(done.stderr).toContain('uploaded 501/501 files');
    const id = /deployed (dep_[\w-]+)/.exec(done.stdout)![1]!;
    const listed = await env.listDeployment(id);
    for (const name of ['index.html', 'pages/p-0000.html', 'pages/p-0499.html'])
      expect(listed).toContain(name);
    expect(listed.filter((k) => !k.startsWith('_coursegate/'))).toHaveLength(501);
  });

  it('a store that stays down fails with the host, the cause and how to resume; running it again resumes', async () => {
    const dir = courseOf(300, 'down');
    dirs.push(dir);
    const run = deploy(dir, ['--retry-for', '3']);
    await run.said(/uploaded [1-9]\d*\//);
    await env.s3Outage.stop();
    const failed = await run.exit;
    await env.s3Outage.start();
    expect(failed.code).toBe(1);
    const port = new URL(env.env.COURSEGATE_S3_ENDPOINT!).port;
    const last = failed.stderr.trimEnd().split('\n').at(-1);
    expect(last).toMatch(
      new RegExp(
        `^coursegate: Upload of pages/p-\\d{4}\\.html to 127\\.0\\.0\\.1:${port} failed after \\d+ attempts over [34] s: ` +
          'connection refused \\(ECONNREFUSED\\)\\. Files already stored are kept: run the same command again to resume ' +
          '\\[upload_failed\\]$',
      ),
    );

    const again = await deploy(dir).exit;
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/resuming dep_[\w-]+: [1-9]\d* file\(s\) already stored/);
    const id = /deployed (dep_[\w-]+)/.exec(again.stdout)![1]!;
    expect((await env.listDeployment(id)).filter((k) => !k.startsWith('_coursegate/'))).toHaveLength(301);
  });

  it('finalize that meets the outage is tried again once the store is back', async () => {
    const dir = courseOf(20, 'finalize');
    dirs.push(dir);
    let stopped = false;
    let restarted: Promise<void> | undefined;
    const api = (async (route: string, ...rest: unknown[]) => {
      if (route === 'POST /v1/deployments/:id/finalize' && !stopped) {
        stopped = true;
        await env.s3Outage.stop();
      }
      return (env.api as (r: string, ...a: unknown[]) => Promise<unknown>)(route, ...rest);
    }) as typeof env.api;
    let said = '';
    const log = new Writable({
      write(chunk, _enc, done) {
        said += String(chunk);
        if (/retrying: finalize/.test(said)) restarted ??= env.s3Outage.start();
        done();
      },
    });
    const result = await runDeploy({
      source: dir,
      course: env.course.slug,
      api,
      log,
      out: new PassThrough(),
    });
    await restarted;
    expect(said).toContain(
      `retrying: finalize at ${new URL(env.gk.url).host} failed: HTTP 503 Service Unavailable (storage_unavailable)`,
    );
    expect(
      (await env.listDeployment(result.deploymentId!)).filter((k) => !k.startsWith('_coursegate/')),
    ).toHaveLength(21);
  });
});
