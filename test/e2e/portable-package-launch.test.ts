import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPackage, type Course, extractPackage, inspectPackage } from '../../packager/index.js';
import { useBrowser } from '../helpers/browser.js';
import { portableLmsPage, servePortableLms } from '../helpers/portable-lms.js';
import { makeCourseDir, removeDir, tempDir } from '../packager/fixtures.js';

/**
 * A portable package, unpacked the way an LMS unpacks it, launched in real Chromium inside an LMS page
 * whose SCORM API is scorm-again. The course is a minimal one that speaks the SCORM API directly.
 */
const b = useBrowser();
const work = tempDir('cg-launch-');
let servers: Awaited<ReturnType<typeof servePortableLms>>;
let origin = '';

const FIND_API = `function findApi(name) {
  for (let w = window; w; w = w === w.parent ? null : w.parent) if (w[name]) return w[name];
  return null;
}`;

const course12 = `<!doctype html><meta charset="utf-8"><title>SCORM 1.2 course</title><script>
${FIND_API}
const api = findApi('API');
api.LMSInitialize('');
document.title = 'mastery ' + api.LMSGetValue('cmi.student_data.mastery_score');
api.LMSSetValue('cmi.core.score.raw', '90');
api.LMSSetValue('cmi.core.lesson_status', 'passed');
api.LMSCommit('');
api.LMSFinish('');
</script>`;

const course2004 = `<!doctype html><meta charset="utf-8"><title>SCORM 2004 course</title><script>
${FIND_API}
const api = findApi('API_1484_11');
api.Initialize('');
api.SetValue('cmi.score.scaled', '0.9');
api.SetValue('cmi.completion_status', 'completed');
api.SetValue('cmi.success_status', 'passed');
api.Commit('');
api.Terminate('');
</script>`;

const pages: Record<string, string> = {};

beforeAll(async () => {
  servers = await servePortableLms(work, pages);
  origin = servers.origins[0]!;
});

afterAll(async () => {
  await servers?.close();
  removeDir(work);
});

async function packageAndUnpack(
  format: 'scorm12' | 'scorm2004',
  html: string,
  edition?: 3 | 4,
): Promise<{ launch: string; mastery: number | undefined }> {
  const course: Course = {
    id: `launch-${format}`,
    title: 'Launch test & <friends>',
    version: '1.0.0',
    entry: 'pages/start.html',
    masteryScore: 0.8,
  };
  const src = makeCourseDir({ 'pages/start.html': html, 'media/x.png': new Uint8Array(16) });
  const name = `${format}${edition ?? ''}`;
  const zip = join(work, `${name}.zip`);
  await buildPackage({ input: src, course, format, output: zip, ...(edition ? { edition } : {}) });
  removeDir(src);
  const info = await inspectPackage(zip);
  await extractPackage(zip, join(work, name));
  expect(info.launchables).toHaveLength(1);
  return { launch: `/${name}/${info.launchables[0]!.launchUrl}`, mastery: info.masteryScore };
}

describe('portable packages launch under a scorm-again LMS page in Chromium', () => {
  it('SCORM 1.2 reaches passed with its score, and sees the mastery score from the manifest', async () => {
    const { launch, mastery } = await packageAndUnpack('scorm12', course12);
    pages['/lms12.html'] = portableLmsPage('scorm12', launch, mastery);
    const page = await b.page();
    await page.goto(`${origin}/lms12.html`);
    await page.waitForFunction(() => (window as unknown as { done: boolean }).done, null, {
      timeout: 20_000,
    });
    const state = await page.evaluate(() => {
      const api = (
        window as unknown as { API: { cmi: { core: { lesson_status: string; score: { raw: string } } } } }
      ).API;
      return { status: api.cmi.core.lesson_status, raw: api.cmi.core.score.raw };
    });
    expect(state).toEqual({ status: 'passed', raw: '90' });
    const frame = page.frames().find((f) => f.url().endsWith('/scorm12/pages/start.html'));
    expect(await frame?.title()).toBe('mastery 80');
    expect(page.errors).toEqual([]);
  });

  for (const edition of [3, 4] as const) {
    it(`SCORM 2004 ${edition === 3 ? '3rd' : '4th'} edition reaches completed and passed`, async () => {
      const { launch } = await packageAndUnpack('scorm2004', course2004, edition);
      pages[`/lms2004-${edition}.html`] = portableLmsPage('scorm2004', launch);
      const page = await b.page();
      await page.goto(`${origin}/lms2004-${edition}.html`);
      await page.waitForFunction(() => (window as unknown as { done: boolean }).done, null, {
        timeout: 20_000,
      });
      const state = await page.evaluate(() => {
        const api = (
          window as unknown as {
            API_1484_11: {
              cmi: { completion_status: string; success_status: string; score: { scaled: string } };
            };
          }
        ).API_1484_11;
        return {
          completion: api.cmi.completion_status,
          success: api.cmi.success_status,
          scaled: api.cmi.score.scaled,
        };
      });
      expect(state).toEqual({ completion: 'completed', success: 'passed', scaled: '0.9' });
      expect(page.errors).toEqual([]);
    });
  }
});
