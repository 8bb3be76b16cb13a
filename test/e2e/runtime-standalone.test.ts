import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBrowser } from '../helpers/browser.js';
import { ROOT } from '../helpers/paths.js';
import { serveOrigins } from '../helpers/serve.js';

/** No LMS at all: the runtime falls back to standalone and keeps progress in localStorage. */
const b = useBrowser();
let servers: Awaited<ReturnType<typeof serveOrigins>>;
let url = '';

beforeAll(async () => {
  const runtime = readFileSync(join(ROOT, 'runtime/dist/coursegate.iife.js'), 'utf8');
  servers = await serveOrigins([
    {
      host: '127.0.0.1',
      files: {
        '/course/index.html':
          '<!doctype html><title>course</title><script src="/coursegate.iife.js"></script>',
        '/coursegate.iife.js': runtime,
      },
    },
  ]);
  url = `${servers.origins[0]}/course/index.html`;
});
afterAll(async () => {
  await servers?.close();
});

type Cg = { Coursegate: typeof import('../../runtime/index.js') };

/** Starts the course on the page and reports what it resumed from. */
const open = (page: Page) =>
  page.evaluate(async () => {
    const course = await (window as unknown as Cg).Coursegate.start();
    (window as unknown as { course: unknown }).course = course;
    return {
      standard: course.standard,
      entry: course.entry,
      location: course.location,
      state: course.state,
      completed: course.completed,
    };
  });

describe('runtime without an LMS (standalone)', () => {
  it('keeps location, state and completion across a reload after exit()', async () => {
    const page = await b.page();
    await page.goto(url);
    expect(await open(page)).toMatchObject({
      standard: 'standalone',
      entry: 'ab-initio',
      location: '',
      state: undefined,
      completed: false,
    });
    await page.evaluate(async () => {
      const { course } = window as unknown as { course: import('../../runtime/index.js').Course };
      course.location = 'page-2';
      course.state = { answers: { q1: 'a' } };
      course.complete();
      await course.exit();
    });
    await page.reload();
    expect(await open(page)).toEqual({
      standard: 'standalone',
      entry: 'resume',
      location: 'page-2',
      state: { answers: { q1: 'a' } },
      completed: true,
    });
    expect(page.errors).toEqual([]);
  });

  it('saves on pagehide when the learner reloads without exiting', async () => {
    const page = await b.page();
    await page.goto(url);
    await open(page);
    await page.evaluate(() => {
      const { course } = window as unknown as { course: import('../../runtime/index.js').Course };
      course.location = 'page-5';
      course.state = { step: 5 };
    });
    await page.reload();
    expect(await open(page)).toMatchObject({ entry: 'resume', location: 'page-5', state: { step: 5 } });
  });
});
