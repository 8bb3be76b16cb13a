import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDeploy } from '../../packager/commands/deploy.js';
import { extractPackage, inspectPackage } from '../../packager/index.js';
import { useBrowser } from '../helpers/browser.js';
import { startDeployGatekeeper } from '../helpers/deploy-gatekeeper.js';
import { ROOT } from '../helpers/paths.js';
import { serveOrigins } from '../helpers/serve.js';
import { validateXml } from '../helpers/xmllint.js';
import { makeCourseDir, removeDir, tempDir } from '../packager/fixtures.js';

/**
 * A course deployed to a real Gatekeeper, exported with the real `coursegate export` binary, then the
 * Gatekeeper is stopped: the package must validate and run under a scorm-again LMS page on its own.
 */
const b = useBrowser();
const work = tempDir('cg-export-');
const quiet = new Writable({
  write(_c, _e, done) {
    done();
  },
});

const course12 = `<!doctype html><meta charset="utf-8"><title>course</title><script>
let w = window; while (w && !w.API && w !== w.parent) w = w.parent;
const api = w.API;
api.LMSInitialize('');
document.title = 'mastery ' + api.LMSGetValue('cmi.student_data.mastery_score');
api.LMSSetValue('cmi.core.score.raw', '90');
api.LMSSetValue('cmi.core.lesson_status', 'passed');
api.LMSCommit('');
api.LMSFinish('');
</script>`;

function coursegate(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [join(ROOT, 'bin/coursegate.js'), ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: work, ...env } },
      (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const zips: Record<string, string> = {};

beforeAll(async () => {
  const env = await startDeployGatekeeper('fs', 'exported');
  try {
    const dir = makeCourseDir({
      'coursegate.json': JSON.stringify({
        id: 'exported-course',
        title: 'Exported & <deployed>',
        version: '2.0.0',
        entry: 'pages/start.html',
        masteryScore: 0.8,
      }),
      'pages/start.html': course12,
      'media/pixel.bin': new Uint8Array(64),
    });
    const r = await runDeploy({ source: dir, course: 'exported', api: env.api, log: quiet, out: quiet });
    removeDir(dir);
    await env.api('POST /v1/courses/:id/promote', {
      params: { id: 'exported' },
      body: { deployment: r.deploymentId!, reason: 'release', expectedLive: null },
    });
    const cli = { COURSEGATE_URL: env.gk.url, COURSEGATE_API_KEY: env.key };
    for (const format of ['scorm12', 'scorm2004', 'cmi5'] as const) {
      const out = join(work, `${format}.zip`);
      const run = await coursegate(['export', 'exported', '--format', format, '-o', out], cli);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      zips[format] = out;
    }
  } finally {
    // From here on no Gatekeeper runs: the packages stand alone.
    await env.close();
  }
}, 180_000);

afterAll(() => removeDir(work));

describe('export of a deployed course', () => {
  it('writes manifests that validate against the XSDs, without the gated player', async () => {
    for (const format of ['scorm12', 'scorm2004', 'cmi5'] as const) {
      const target = join(work, `x-${format}`);
      const extracted = await extractPackage(zips[format]!, target);
      expect(extracted.files.some((f) => f.startsWith('_coursegate/'))).toBe(false);
      await validateXml(join(target, format === 'cmi5' ? 'cmi5.xml' : 'imsmanifest.xml'), format);
    }
    const info = await inspectPackage(zips.scorm2004!);
    expect(info.title).toBe('Exported & <deployed>');
    expect(info.masteryScore).toBe(0.8);
  });

  it('runs in a scorm-again LMS page in Chromium with no Gatekeeper running', async () => {
    const target = join(work, 'lms');
    await extractPackage(zips.scorm12!, target);
    const launch = (await inspectPackage(zips.scorm12!)).launchables[0]!.launchUrl;
    writeFileSync(
      join(target, 'lms.html'),
      `<!doctype html><title>LMS</title><script src="/scorm-again.js"></script><script>
        window.done = false;
        window.API = new Scorm12API({ logLevel: 5 });
        window.API.cmi.student_data.mastery_score = '80';
        window.API.on('LMSFinish', () => { window.done = true; });
      </script><iframe src="/${launch}"></iframe>`,
    );
    const lib = readFileSync(join(ROOT, 'node_modules/scorm-again/dist/scorm12.js'), 'utf8');
    const servers = await serveOrigins([
      { host: '127.0.0.1', dir: target, files: { '/scorm-again.js': lib } },
    ]);
    try {
      const page = await b.page();
      await page.goto(`${servers.origins[0]}/lms.html`);
      await page.waitForFunction(() => (window as unknown as { done: boolean }).done, null, {
        timeout: 20_000,
      });
      const status = await page.evaluate(() => {
        const core = (
          window as unknown as { API: { cmi: { core: { lesson_status: string; score: { raw: string } } } } }
        ).API.cmi.core;
        return [core.lesson_status, core.score.raw];
      });
      expect(status).toEqual(['passed', '90']);
      expect(page.errors).toEqual([]);
    } finally {
      await servers.close();
    }
  });
});
