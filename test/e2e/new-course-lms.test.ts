import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractPackage } from '../../packager/index.js';
import { useBrowser } from '../helpers/browser.js';
import { type Cmi5Lms, startCmi5Lms } from '../helpers/cmi5-lms/index.js';
import { checkCmi5Rules } from '../helpers/cmi5-rules.js';
import { newCoursePacked } from '../helpers/course-project.js';
import { startGatedHarness } from '../helpers/gated-lms.js';
import { portableLmsPage, servePortableLms } from '../helpers/portable-lms.js';
import { realGatekeeper } from '../helpers/real-gatekeeper.js';
import { serveOrigins } from '../helpers/serve.js';
import { removeDir, tempDir } from '../packager/fixtures.js';

/**
 * The author's path (issue 21) up to an LMS, with the packages as npm publishes them (packed, installed
 * outside the repository): the packed CLI's `coursegate new`, `npm run build` (Vite), `npm run package`
 * (SCORM 1.2) and the project's `coursegate package` for SCORM 2004 and cmi5, each unpacked and launched in Chromium
 * from a subfolder as an LMS serves it: scorm-again for SCORM, the cmi5 test LMS + LRS for cmi5. The
 * learner answers; the LMS records the completion and the pass.
 */
const run = promisify(execFile);
const b = useBrowser();
const work = tempDir('cg-new-lms-');
const pages: Record<string, string> = {};
let scormLms: Awaited<ReturnType<typeof servePortableLms>>;
let cmi5Lms: Cmi5Lms;
let au: Awaited<ReturnType<typeof serveOrigins>>;
let project = '';

/** Packages the built project for `format` with the CLI and unpacks it under `lms/<format>/`. */
async function unpacked(
  project: string,
  bin: string,
  format: 'scorm12' | 'scorm2004' | 'cmi5',
): Promise<void> {
  const zip = join(project, `lms-course-${format}.zip`);
  if (format !== 'scorm12') await run(bin, ['package', 'dist', '--format', format], { cwd: project });
  await extractPackage(zip, join(work, 'lms', format));
}

beforeAll(async () => {
  const made = await newCoursePacked(work, 'lms-course');
  project = made.project;
  const { stderr, bin } = made;
  expect(stderr).not.toContain('warning');
  for (const format of ['scorm12', 'scorm2004', 'cmi5'] as const) await unpacked(project, bin, format);
  for (const standard of ['scorm12', 'scorm2004'] as const)
    pages[`/${standard}.html`] = portableLmsPage(standard, `/lms/${standard}/index.html`, 0.8);
  scormLms = await servePortableLms(work, pages);
  cmi5Lms = await startCmi5Lms({ host: '127.0.0.1', strict: true });
  au = await serveOrigins([{ host: 'localhost', dir: join(work, 'lms/cmi5') }]);
}, 600_000);
afterAll(async () => {
  await scormLms?.close();
  await cmi5Lms?.close();
  await au?.close();
  removeDir(work);
});

type Lms = {
  API?: { cmi: { core: { lesson_status: string; score: { raw: string } } } };
  API_1484_11?: { cmi: { completion_status: string; score: { scaled: string } } };
};

describe('a course made with coursegate new, in an LMS', () => {
  for (const standard of ['scorm12', 'scorm2004'] as const) {
    it(`${standard} under scorm-again: answering records the completion and the score, and the pass (1.2)`, async () => {
      const page = await b.page();
      await page.goto(`${scormLms.origins[0]}/${standard}.html`);
      const course = page.frameLocator('#sco');
      await course.locator('#yes').click();
      await expect.poll(() => page.evaluate(() => (window as unknown as { done: boolean }).done)).toBe(true);
      const recorded = await page.evaluate(() => {
        const w = window as unknown as Lms;
        return w.API
          ? [w.API.cmi.core.lesson_status, w.API.cmi.core.score.raw]
          : [w.API_1484_11?.cmi.completion_status, w.API_1484_11?.cmi.score.scaled];
      });
      // This LMS page gives SCORM 2004 no scaled passing score, so there the LMS records the score, not a verdict.
      // SCORM 1.2 keeps the score as a percentage (the runtime writes the scaled score × 100).
      expect(recorded).toEqual(standard === 'scorm12' ? ['passed', '100'] : ['completed', '1']);
      expect(await course.locator('#result').textContent()).toBe('Right: passed.');
      expect(page.errors).toEqual([]);
    });
  }

  it('cmi5 under the test LMS + LRS: completed, passed, terminated, every statement valid', async () => {
    const page = await b.page();
    const launch = cmi5Lms.launch(`${au.origins[0]}/index.html`, { masteryScore: 0.8 });
    await page.goto(launch.url);
    await page.locator('#yes').click();
    // exit() sends terminated, then the runtime goes to the LMS's returnURL.
    await page.waitForURL(/\/return$/);
    const statements = cmi5Lms.auStatements(launch.registration);
    expect(statements.map((s) => s.verb.id.split('/').pop())).toEqual(
      expect.arrayContaining(['initialized', 'completed', 'passed', 'terminated']),
    );
    const passed = statements.find((st) => st.verb.id.endsWith('/passed'));
    expect((passed?.result?.score as { scaled?: number } | undefined)?.scaled).toBe(1);
    expect(checkCmi5Rules(statements, cmi5Lms.launchesOf(launch.registration))).toEqual([]);
    expect(page.errors).toEqual([]);
  });

  it('gated: the same course, deployed, sends an error it throws to the error log (no telemetry code in it)', async () => {
    // The author's bug, after start() has resolved; the course has no line about telemetry.
    const main = join(project, 'src/main.ts');
    const source = readFileSync(main, 'utf8');
    expect(source).not.toMatch(/telemetry\(|ingest|errors?Log/i);
    writeFileSync(
      main,
      source.replace(
        'void main();',
        `void main().then(() => setTimeout(() => { throw new Error(${JSON.stringify(THROWN)}); }));`,
      ),
    );
    await run('npx', ['vite', 'build', '--outDir', 'dist-gated'], { cwd: project });
    const gk = realGatekeeper();
    const h = await startGatedHarness({ gatekeeper: gk.handler });
    try {
      await gk.start(h.gate);
      const courseId = await gk.deploy('lms-course', filesOf(join(project, 'dist-gated')), 'index.html');
      const license = await gk.license(courseId);
      const folder = h.lmsFiles('lms-course', await gk.gatedPackage(license.id, 'scorm12'));
      const page = await b.page();
      await page.goto(h.lmsPage({ standard: 'scorm12', seed: {}, sco: `${folder}index.html` }));
      await expect
        .poll(
          async () => {
            const res = await fetch(`${gk.api.url}/v1/courses/${courseId}/errors`, {
              headers: { authorization: `Bearer ${gk.api.key}` },
            });
            return ((await res.json()) as { errors: { message: string }[] }).errors.map((e) => e.message);
          },
          { timeout: 30_000 },
        )
        .toContainEqual(expect.stringContaining(THROWN));
    } finally {
      await h.close();
      await gk.close();
    }
  });
});

const THROWN = 'the scaffolded course broke';

/** A built folder's files by path relative to it, as the deploy sends them. */
function filesOf(dir: string, prefix = ''): Record<string, Uint8Array> {
  const files: Record<string, Uint8Array> = {};
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) Object.assign(files, filesOf(path, `${prefix}${name}/`));
    else files[`${prefix}${name}`] = readFileSync(path);
  }
  return files;
}
