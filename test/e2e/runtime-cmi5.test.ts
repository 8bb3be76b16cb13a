import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBrowser } from '../helpers/browser.js';
import { type Cmi5Launch, type Cmi5Lms, type Statement, startCmi5Lms } from '../helpers/cmi5-lms/index.js';
import { checkCmi5Rules } from '../helpers/cmi5-rules.js';
import { ROOT } from '../helpers/paths.js';
import { serveOrigins } from '../helpers/serve.js';

/**
 * A course built on the runtime's cmi5 entry (runtime/dist/cmi5.js), launched by the test LMS on another
 * origin, in real Chromium. The course is driven from the test through `window.course`.
 */
const COURSE = `<!doctype html><title>cmi5 course</title><script type="module">
  import { start } from '/cmi5.js';
  window.errors = [];
  const course = await start({ commitDelayMs: 20, retryMs: [] });
  course.on('error', (e) => window.errors.push(e));
  window.course = course;
</script>`;

const b = useBrowser();
let lms: Cmi5Lms;
let au: Awaited<ReturnType<typeof serveOrigins>>;
let auUrl = '';

beforeAll(async () => {
  lms = await startCmi5Lms({ host: '127.0.0.1', strict: true });
  au = await serveOrigins([
    { host: 'localhost', dir: join(ROOT, 'runtime/dist'), files: { '/course.html': COURSE } },
  ]);
  auUrl = `${au.origins[0]}/course.html`;
});

afterAll(async () => {
  await au?.close();
  await lms?.close();
});

type W = Window & { course: Record<string, unknown> & { flush(): Promise<void> }; errors: unknown[] };

async function open(page: Page, url?: string) {
  if (url) await page.goto(url);
  await page.waitForFunction(() => (window as unknown as W).course !== undefined);
  return page.evaluate(() => {
    const c = (window as unknown as W).course;
    return {
      mode: c.mode,
      entry: c.entry,
      location: c.location,
      state: c.state,
      masteryScore: c.masteryScore,
      learner: c.learner,
      completed: c.completed,
      success: c.success,
      preferences: c.preferences,
    };
  });
}

/** Calls exit() and waits for the LMS's returnURL, which the runtime follows after terminated. */
async function exitTo(page: Page, launch: Cmi5Launch) {
  expect(await page.evaluate(() => (window as unknown as W).errors)).toEqual([]);
  await page.evaluate(() => {
    void ((window as unknown as W).course as unknown as { exit(): Promise<void> }).exit();
  });
  await page.waitForURL(launch.returnURL as string);
}

const verbs = (list: Statement[]) => list.map((s) => s.verb.id.split('/').pop());

describe('runtime over cmi5 (real Chromium, test LMS + LRS)', () => {
  it('runs a Normal session to completion and pass; every statement passes the §9 checker', async () => {
    const page = await b.page();
    const launch = lms.launch(auUrl, { masteryScore: 0.8 });
    lms.setPreferences(launch.actor, { languagePreference: 'fr-FR,en-US', audioPreference: 'off' });
    const first = await open(page, launch.url);
    expect(first).toMatchObject({
      mode: 'normal',
      entry: 'ab-initio',
      masteryScore: 0.8,
      learner: { id: 'learner-1', name: 'Ada Learner' },
      preferences: { language: ['fr-FR', 'en-US'], audio: 'off' },
    });

    await page.evaluate(async () => {
      const c = (window as unknown as W).course as unknown as W['course'] & { progress(v: number): void };
      c.progress(0.5);
      (c as unknown as { interaction(i: object): void }).interaction({
        id: 'q1',
        type: 'choice',
        response: ['a', 'c'],
        correct: ['a', 'c'],
        result: 'correct',
        latencyMs: 3000,
      });
      c.location = 'page-2';
      c.state = { answers: [1, 2] };
      await c.flush();
    });
    expect(lms.state(launch, 'coursegate')).toMatchObject({ location: 'page-2' });

    await page.evaluate(async () => {
      const c = (window as unknown as W).course as unknown as {
        score(raw: number, r: object): void;
        complete(): void;
        flush(): Promise<void>;
      };
      c.score(9, { min: 0, max: 10 });
      c.complete();
      await c.flush();
    });
    await exitTo(page, launch);

    const statements = lms.auStatements(launch.registration);
    expect(verbs(statements)).toEqual([
      'initialized',
      'answered',
      'progressed',
      'completed',
      'passed',
      'terminated',
    ]);
    expect(checkCmi5Rules(statements, lms.launchesOf(launch.registration))).toEqual([]);
    const answer = statements.find((s) => s.verb.id.endsWith('/answered'));
    expect(answer?.object).toMatchObject({
      id: `${launch.activityId}/interactions/q1`,
      definition: { interactionType: 'choice', correctResponsesPattern: ['a[,]c'] },
    });
    expect(answer?.result).toEqual({ response: 'a[,]c', success: true, duration: 'PT3S' });
    const progressed = statements.find((s) => s.verb.id.endsWith('/progressed'));
    expect(progressed?.result?.extensions).toEqual({
      'https://w3id.org/xapi/cmi5/result/extensions/progress': 50,
    });
    const passed = statements.find((s) => s.verb.id.endsWith('/passed'));
    expect(passed?.result).toMatchObject({ success: true, score: { scaled: 0.9, raw: 9, min: 0, max: 10 } });

    // terminated reached the LRS before the browser went to returnURL.
    const paths = lms.requests.map((r) => `${r.method} ${r.path}`);
    const lastStatements = paths.lastIndexOf('POST /xapi/statements');
    expect(paths.indexOf('GET /return')).toBeGreaterThan(lastStatements);
    expect(lms.requests.filter((r) => r.path.startsWith('/xapi')).every((r) => r.auth === 'ok')).toBe(true);
    expect(page.errors).toEqual([]);
  });

  it('reuses the token after a reload mid-session instead of calling fetch again, and resumes', async () => {
    const page = await b.page();
    const launch = lms.launch(auUrl);
    await open(page, launch.url);
    await page.evaluate(async () => {
      const c = (window as unknown as W).course;
      c.location = 'page-2';
      c.state = { seen: ['intro'] };
      await c.flush();
      // Not flushed: only the pagehide path (keepalive fetch) can save this one.
      c.location = 'page-3';
    });
    await page.reload();
    const resumed = await open(page);
    expect(resumed).toMatchObject({ entry: 'resume', state: { seen: ['intro'] } });
    // The keepalive request may land after the new page read the state: look again on the next reload.
    await expect
      .poll(() => lms.state(launch, 'coursegate'), { timeout: 10_000 })
      .toMatchObject({ location: 'page-3' });
    await page.reload();
    expect(await open(page)).toMatchObject({ entry: 'resume', location: 'page-3' });
    expect(lms.fetchCalls(launch)).toBe(1);

    await page.evaluate(() =>
      ((window as unknown as W).course as unknown as { complete(): void }).complete(),
    );
    await exitTo(page, launch);
    const statements = lms.auStatements(launch.registration);
    expect(verbs(statements)).toEqual(['initialized', 'completed', 'terminated']);
    expect(checkCmi5Rules(statements, lms.launchesOf(launch.registration))).toEqual([]);
  });

  it('honours the masteryScore: a score below it is failed even when the course says pass()', async () => {
    const page = await b.page();
    const launch = lms.launch(auUrl, { masteryScore: 0.8 });
    await open(page, launch.url);
    await page.evaluate(async () => {
      const c = (window as unknown as W).course as unknown as {
        score(r: number, o: object): void;
        pass(): void;
      };
      c.score(5, { min: 0, max: 10 });
      c.pass();
    });
    await exitTo(page, launch);
    const statements = lms.auStatements(launch.registration);
    expect(verbs(statements)).toEqual(['initialized', 'failed', 'terminated']);
    const failed = statements[1] as Statement;
    expect(failed.result).toMatchObject({ success: false, score: { scaled: 0.5 } });
    expect(failed.context?.extensions?.['https://w3id.org/xapi/cmi5/context/extensions/masteryscore']).toBe(
      0.8,
    );
    expect(checkCmi5Rules(statements, lms.launchesOf(launch.registration))).toEqual([]);
  });

  it.each(['Browse', 'Review'] as const)(
    'sends only initialized and terminated in %s mode, whatever the course reports',
    async (launchMode) => {
      const page = await b.page();
      const launch = lms.launch(auUrl, { launchMode });
      expect((await open(page, launch.url)).mode).toBe(launchMode.toLowerCase());
      await page.evaluate(async () => {
        const c = (window as unknown as W).course as unknown as Record<string, (...a: unknown[]) => void>;
        c.progress?.(1);
        c.score?.(10, { max: 10 });
        c.complete?.();
        c.pass?.();
        await (window as unknown as W).course.flush();
      });
      await exitTo(page, launch);
      const statements = lms.auStatements(launch.registration);
      expect(verbs(statements)).toEqual(['initialized', 'terminated']);
      expect(checkCmi5Rules(statements, lms.launchesOf(launch.registration))).toEqual([]);
    },
  );

  it('does not send completed or passed twice in a registration across launches', async () => {
    const page = await b.page();
    const first = lms.launch(auUrl, { masteryScore: 0.5 });
    await open(page, first.url);
    const finish = () =>
      page.evaluate(async () => {
        const c = (window as unknown as W).course as unknown as {
          score(r: number, o: object): void;
          complete(): void;
        };
        c.score(8, { max: 10 });
        c.complete();
        await (window as unknown as W).course.flush();
      });
    await finish();
    await exitTo(page, first);

    const second = lms.launch(auUrl, { registration: first.registration, masteryScore: 0.5 });
    expect(await open(page, second.url)).toMatchObject({
      entry: 'ab-initio',
      completed: true,
      success: 'passed',
    });
    await finish();
    await exitTo(page, second);
    const statements = lms.auStatements(first.registration);
    expect(verbs(statements)).toEqual([
      'initialized',
      'completed',
      'passed',
      'terminated',
      'initialized',
      'terminated',
    ]);
    expect(checkCmi5Rules(statements, lms.launchesOf(first.registration))).toEqual([]);
  });

  it('reports a used fetch URL as fetch_failed and sends nothing', async () => {
    const page = await b.page();
    const launch = lms.launch(auUrl);
    expect(await (await fetch(launch.fetchUrl, { method: 'POST' })).json()).toHaveProperty('auth-token');
    await open(page, launch.url);
    const errors = await page.evaluate(() => (window as unknown as W).errors);
    expect(errors).toEqual([expect.objectContaining({ code: 'fetch_failed' })]);
    expect(lms.auStatements(launch.registration)).toEqual([]);
  });

  it('reports missing launch parameters as launch_params_invalid', async () => {
    const page = await b.page();
    await open(page, auUrl);
    const errors = await page.evaluate(() => (window as unknown as W).errors);
    expect(errors).toEqual([expect.objectContaining({ code: 'launch_params_invalid' })]);
    expect(page.errors).toEqual([]);
  });
});
