/** Drives examples/hello-course (built with `buildHelloCourse`) the way a learner does. */
import type { Frame, Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * The course frame once the course is ready: the `index.html` under `where` when it is a content root, or the
 * frame whose URL matches `where` when it is a pattern.
 */
export async function helloFrame(page: Page, where: string | RegExp): Promise<Frame> {
  const isCourse = (f: Frame) =>
    typeof where === 'string'
      ? f.url().startsWith(where) && /\/index\.html(#|$)/.test(f.url())
      : where.test(f.url());
  await expect.poll(() => page.frames().some(isCourse), { timeout: 30_000 }).toBe(true);
  const frame = page.frames().find(isCourse)!;
  await frame.locator('html[data-ready]').waitFor({ state: 'attached' });
  return frame;
}

/** Visits every page and passes the quiz with 2 of 3. */
export async function takeHello(course: Frame | Page): Promise<void> {
  for (let i = 0; i < 3; i++) await course.click('#next');
  await course.check('input[name=q1][value=b]');
  await course.check('input[name=q2][value=true]');
  await course.check('input[name=q3][value=a]');
  await course.click('button[type=submit]');
  expect(await course.textContent('#result')).toBe('You scored 2 of 3: passed.');
}
