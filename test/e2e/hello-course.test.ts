import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHelloCourse } from '../../examples/hello-course/build.js';
import { useBrowser } from '../helpers/browser.js';
import { serveOrigins } from '../helpers/serve.js';

/** The example course, built to plain static files and taken by a learner in real Chromium, no LMS. */
const b = useBrowser();
let servers: Awaited<ReturnType<typeof serveOrigins>>;
let out = '';

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'hello-course-'));
  buildHelloCourse(out);
  servers = await serveOrigins([{ host: '127.0.0.1', dir: out }]);
});
afterAll(async () => {
  await servers?.close();
  rmSync(out, { recursive: true, force: true });
});

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
