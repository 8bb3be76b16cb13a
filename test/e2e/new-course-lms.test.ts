import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractPackage } from '../../packager/index.js';
import { useBrowser } from '../helpers/browser.js';
import { newCoursePackaged } from '../helpers/course-project.js';
import { portableLmsPage, servePortableLms } from '../helpers/portable-lms.js';
import { removeDir, tempDir } from '../packager/fixtures.js';

/**
 * The author's path (issue 21) up to an LMS: `coursegate new`, `npm run build` (Vite), `npm run package`
 * (SCORM 1.2), unpacked and launched in Chromium under scorm-again, served from a subfolder as an LMS
 * serves it. The learner answers; scorm-again records the completion and the score.
 */
const b = useBrowser();
const work = tempDir('cg-new-lms-');
const pages: Record<string, string> = {};
let lms: Awaited<ReturnType<typeof servePortableLms>>;

beforeAll(async () => {
  const { project, stderr } = await newCoursePackaged(work, 'lms-course');
  expect(stderr).not.toContain('warning');
  await extractPackage(join(project, 'lms-course-scorm12.zip'), join(work, 'lms/courses/lms-course'));
  pages['/lms.html'] = portableLmsPage('scorm12', '/lms/courses/lms-course/index.html', 0.8);
  lms = await servePortableLms(work, pages);
}, 180_000);
afterAll(async () => {
  await lms?.close();
  removeDir(work);
});

describe('a course made with coursegate new, in an LMS', () => {
  it('SCORM 1.2 under scorm-again: answering records passed with score 100', async () => {
    const page = await b.page();
    await page.goto(`${lms.origins[0]}/lms.html`);
    const course = page.frameLocator('#sco');
    await course.locator('#yes').click();
    await expect.poll(() => page.evaluate(() => (window as unknown as { done: boolean }).done)).toBe(true);
    const core = await page.evaluate(() => {
      const c = (window as unknown as { API: { cmi: { core: Record<string, unknown> } } }).API.cmi.core;
      return { status: c.lesson_status, raw: (c.score as { raw: string }).raw };
    });
    expect(core).toEqual({ status: 'passed', raw: '100' });
    expect(await course.locator('#result').textContent()).toBe('Right: passed.');
    expect(page.errors).toEqual([]);
  });
});
