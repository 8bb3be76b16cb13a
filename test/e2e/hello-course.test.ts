import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHelloCourse } from '../../examples/hello-course/build.js';
import { useBrowser } from '../helpers/browser.js';
import { useScormLms } from '../helpers/scorm-lms.js';
import { serveOrigins } from '../helpers/serve.js';

/** The example course, built to plain static files and taken by a learner in real Chromium, no LMS. */
const b = useBrowser();
let servers: Awaited<ReturnType<typeof serveOrigins>>;
const out = mkdtempSync(join(tmpdir(), 'hello-course-'));

beforeAll(async () => {
  buildHelloCourse(out);
  servers = await serveOrigins([{ host: '127.0.0.1', dir: out }]);
});
afterAll(async () => {
  await servers?.close();
  rmSync(out, { recursive: true, force: true });
});

const lms = useScormLms('12', { courseDir: out });

const visible = (page: Page) => page.locator('section[data-page]:not([hidden]) h2').textContent();

describe('examples/hello-course', () => {
  it('goes through the pages and the quiz, passes at the mastery score and resumes after a reload', async () => {
    const page = await b.page();
    await page.goto(`${servers.origins[0]}/index.html`);
    await page.locator('html[data-ready]').waitFor();
    expect(await visible(page)).toBe('Welcome');
    for (let i = 0; i < 3; i++) await page.click('#next');
    expect(await visible(page)).toBe('Quiz');
    await page.check('input[name=q1][value=b]');
    await page.check('input[name=q2][value=true]');
    await page.check('input[name=q3][value=a]');
    await page.click('button[type=submit]');
    expect(await page.textContent('#result')).toBe('You scored 2 of 3: passed.');

    await page.reload();
    await page.locator('html[data-ready]').waitFor();
    expect(await visible(page)).toBe('Quiz');
    expect(await page.isChecked('input[name=q1][value=b]')).toBe(true);
    expect(await page.textContent('#result')).toBe('You scored 2 of 3: passed.');
    expect(await page.locator('#progress').evaluate((el) => (el as HTMLProgressElement).value)).toBe(1);
    expect(page.errors).toEqual([]);
  });

  it('does not pass below the mastery score', async () => {
    const page = await b.page();
    await page.goto(`${servers.origins[0]}/index.html`);
    await page.locator('html[data-ready]').waitFor();
    for (let i = 0; i < 3; i++) await page.click('#next');
    await page.check('input[name=q1][value=a]');
    await page.check('input[name=q2][value=true]');
    await page.check('input[name=q3][value=a]');
    await page.click('button[type=submit]');
    expect(await page.textContent('#result')).toBe('You scored 1 of 3: not passed yet, try again.');
  });
});

describe('examples/hello-course in a SCORM 1.2 LMS (scorm-again, two frames down)', () => {
  /** Takes the whole course in the course frame and answers `right` of the 3 questions correctly. */
  async function takeCourse(frame: Frame, right: number) {
    await frame.locator('html[data-ready]').waitFor();
    for (let i = 0; i < 3; i++) await frame.click('#next');
    await frame.check(`input[name=q1][value=${right >= 1 ? 'b' : 'a'}]`);
    await frame.check(`input[name=q2][value=${right >= 2 ? 'true' : 'false'}]`);
    await frame.check(`input[name=q3][value=${right >= 3 ? 'c' : 'a'}]`);
    await frame.click('button[type=submit]');
    const result = await frame.textContent('#result');
    await frame.click('#exit');
    await frame.locator('text=Your progress is saved').waitFor();
    return result;
  }

  it('passes at the LMS mastery score and records the quiz', async () => {
    const page = await b.page();
    const frame = await lms.launch(page, {
      core: { student_id: 'l1', entry: 'ab-initio' },
      student_data: { mastery_score: '60' },
    });
    expect(await takeCourse(frame, 2)).toBe('You scored 2 of 3: passed.');
    const r = await lms.read(page);
    const core = (r.cmi as { core: Record<string, unknown> }).core;
    expect(core).toMatchObject({
      lesson_status: 'passed',
      lesson_location: 'quiz',
      exit: '',
      // 2 of 3 as a percentage: SCORM 1.2 compares raw with the mastery score.
      score: { raw: '66.67', min: '0', max: '100' },
    });
    expect(r.sets.filter(([el]) => /^cmi\.interactions\.\d+\.id$/.test(el)).map(([, v]) => v)).toEqual([
      'q1',
      'q2',
      'q3',
    ]);
    expect(r.errors).toEqual([]);
  });

  it('follows the LMS mastery score over its own', async () => {
    const page = await b.page();
    const frame = await lms.launch(page, {
      core: { student_id: 'l1', entry: 'ab-initio' },
      student_data: { mastery_score: '90' },
    });
    expect(await takeCourse(frame, 2)).toBe('You scored 2 of 3: not passed yet, try again.');
    const r = await lms.read(page);
    expect((r.cmi as { core: Record<string, unknown> }).core.lesson_status).toBe('failed');
    expect(r.errors).toEqual([]);
  });
});
