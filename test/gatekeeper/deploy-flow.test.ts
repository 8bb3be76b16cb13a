import { randomBytes } from 'node:crypto';
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDeploy } from '../../packager/commands/deploy.js';
import { startDeployGatekeeper } from '../helpers/deploy-gatekeeper.js';
import { onWorker } from '../helpers/worker-target.js';
import { makeCourseDir, removeDir, tempDir } from '../packager/fixtures.js';

const PLAYER = ['player.html', 'player.js', 'scorm12.min.js', 'scorm2004.min.js'].map(
  (f) => `_coursegate/${f}`,
);

/** A writable that keeps what the CLI printed. */
function capture() {
  let text = '';
  const stream = new Writable({
    write(chunk, _enc, done) {
      text += String(chunk);
      done();
    },
  });
  return { stream, text: () => text };
}

// On the Worker (the `workers` project) the same flow runs over D1 and R2, uploads going to the Worker.
describe.each(onWorker ? (['r2'] as const) : (['fs', 's3'] as const))(
  'deploy through a real Gatekeeper (%s storage)',
  { timeout: 120_000 },
  (driver) => {
    let env: Awaited<ReturnType<typeof startDeployGatekeeper>>;
    const dirs: string[] = [];
    beforeAll(async () => {
      env = await startDeployGatekeeper(driver);
    });
    afterAll(async () => {
      await env?.close();
      for (const d of dirs) removeDir(d);
    });

    const deploy = async (source: string, extra: Partial<Parameters<typeof runDeploy>[0]> = {}) => {
      const log = capture();
      const out = capture();
      const result = await runDeploy({
        source,
        course: env.course.slug,
        api: env.api,
        log: log.stream,
        out: out.stream,
        ...extra,
      });
      return { result, log: log.text(), out: out.text() };
    };

    it('uploads only built output: .git/, node_modules/, .env*, source maps and outside links stay out, and the CLI names them', async () => {
      const outside = tempDir('cg-outside-');
      writeFileSync(join(outside, 'secret.txt'), 'secret');
      const dir = makeCourseDir({
        'index.html': '<!doctype html><title>v1</title>',
        'js/app.js': 'console.log(1)',
        'js/app.js.map': '{}',
        'media/clip.bin': randomBytes(300_000),
        '.git/config': '[core]',
        'node_modules/x/index.js': 'module.exports = 1',
        '.env': 'TOKEN=1',
        '.env.local': 'TOKEN=2',
      });
      symlinkSync(join(outside, 'secret.txt'), join(dir, 'linked-secret.txt'));
      dirs.push(dir, outside);
      env.meter.mark();
      const { result, log } = await deploy(dir, { message: 'first' });
      expect(result.uploaded.files).toBe(3);
      const listed = await env.listDeployment(result.deploymentId!);
      expect(listed).toEqual([...PLAYER, 'index.html', 'js/app.js', 'media/clip.bin'].sort());
      for (const name of [
        '.git/',
        'node_modules/',
        '.env',
        '.env.local',
        'js/app.js.map',
        'linked-secret.txt',
      ])
        expect(log).toContain(`left out ${name} `);
      // The source map reached storage too, but privately (`sourcemaps/`, issue 24): never a deployment file.
      expect(env.meter.uploaded().bytes).toBe(result.uploaded.bytes + '{}'.length);

      const d = await env.api('GET /v1/deployments/:id', { params: { id: result.deploymentId! } });
      expect(d).toMatchObject({ status: 'staged', message: 'first', fileCount: 3 });
    });

    it('an unchanged redeploy uploads 0 bytes; changing one file uploads only that file', async () => {
      const dir = makeCourseDir({
        'index.html': '<!doctype html><title>same</title>',
        'a.js': 'a',
        'media/big.bin': randomBytes(500_000),
      });
      dirs.push(dir);
      const first = await deploy(dir);
      expect(first.result.uploaded.files).toBe(3);

      env.meter.mark();
      const again = await deploy(dir);
      expect(again.result.uploaded).toEqual({ files: 0, bytes: 0 });
      expect(again.result.copied).toBe(3);
      expect(env.meter.uploaded()).toEqual({ keys: [], bytes: 0 });
      expect(await env.listDeployment(again.result.deploymentId!)).toEqual(
        [...PLAYER, 'a.js', 'index.html', 'media/big.bin'].sort(),
      );

      writeFileSync(join(dir, 'a.js'), 'a changed');
      env.meter.mark();
      const changed = await deploy(dir);
      expect(changed.result.uploaded).toEqual({ files: 1, bytes: 'a changed'.length });
      expect(env.meter.uploaded().keys).toEqual([
        `courses/${env.course.id}/${changed.result.deploymentId}/a.js`,
      ]);

      const dry = await deploy(dir, { dryRun: true });
      expect(dry.result.dryRun?.upload).toEqual([]);
      expect(dry.out).toContain('0 file(s)');
    });

    it('a deploy aborted mid-upload, run again, finishes without re-uploading finished files', async () => {
      const files: Record<string, Uint8Array | string> = {
        'index.html': '<!doctype html><title>big</title>',
      };
      for (let i = 0; i < 24; i++)
        files[`media/part-${String(i).padStart(2, '0')}.bin`] = randomBytes(200_000);
      const dir = makeCourseDir(files);
      dirs.push(dir);
      const abort = new AbortController();
      const log = new Writable({
        write(chunk, _enc, done) {
          // The first progress line means some files are stored and others are not.
          if (/uploaded [1-9]\d*\//.test(String(chunk))) abort.abort();
          done();
        },
      });
      await expect(
        runDeploy({
          source: dir,
          course: env.course.slug,
          api: env.api,
          log,
          out: capture().stream,
          concurrency: 2,
          signal: abort.signal,
        }),
      ).rejects.toMatchObject({ code: 'aborted' });

      // What the interrupted run stored; an upload still in flight at the abort may land a moment later.
      env.meter.mark();
      const deploymentPrefix = (key: string) => key.split('/').slice(0, 3).join('/');
      const resumed = await deploy(dir, { concurrency: 2 });
      expect(resumed.log).toContain('resuming');
      expect(resumed.result.present).toBeGreaterThan(0);
      expect(resumed.result.present + resumed.result.uploaded.files).toBe(25);
      const stored = await env.listDeployment(resumed.result.deploymentId!);
      expect(stored).toHaveLength(25 + 4);
      const sent = env.meter.uploaded();
      // Nothing was sent twice, and nothing the first run had finished was sent again.
      expect(new Set(sent.keys).size).toBe(sent.keys.length);
      expect(sent.keys.length).toBeLessThan(25);
      expect(sent.keys.length).toBeGreaterThanOrEqual(resumed.result.uploaded.files);
      for (const key of sent.keys)
        expect(deploymentPrefix(key)).toBe(`courses/${env.course.id}/${resumed.result.deploymentId}`);
      const d = await env.api('GET /v1/deployments/:id', { params: { id: resumed.result.deploymentId! } });
      expect(d.status).toBe('staged');
    });

    it('finalize refuses a deployment with missing files (409, listed) and a finalized one never changes', async () => {
      const plan = await env.api('POST /v1/courses/:id/deployments', {
        params: { id: env.course.slug },
        body: { entry: 'index.html', files: [{ path: 'index.html', sha256: 'a'.repeat(64), size: 5 }] },
      });
      expect(plan.upload).toHaveLength(1);
      const res = await fetch(`${env.gk.url}/v1/deployments/${plan.deployment.id}/finalize`, {
        method: 'POST',
        headers: { authorization: `Bearer ${env.key}` },
      });
      expect(res.status).toBe(409);
      const body = (await res.json()) as { error: { code: string; details: { files: unknown[] } } };
      expect(body.error.code).toBe('upload_incomplete');
      expect(body.error.details.files).toEqual([{ path: 'index.html', problem: 'missing' }]);
    });
  },
);
