import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBrowser } from '../helpers/browser.js';
import { type Cmi5Launch, type Cmi5Lms, type Statement, startCmi5Lms } from '../helpers/cmi5-lms/index.js';
import { checkCmi5Rules } from '../helpers/cmi5-rules.js';
import { ROOT } from '../helpers/paths.js';
import { serveOrigins } from '../helpers/serve.js';

/**
 * The cmi5 adapter on its own, below the course core, in Chromium: it keeps §9 even when asked to break
 * it (the core already filters most of this, so the adapter is driven directly here).
 */
const PAGE = `<!doctype html><title>cmi5 adapter</title><script type="module">
  import { createCmi5Adapter } from '/cmi5.js';
  window.errors = [];
  window.adapter = createCmi5Adapter({ onError: (code, message) => window.errors.push({ code, message }) });
  window.info = await window.adapter.open();
</script>`;

const b = useBrowser();
let lms: Cmi5Lms;
let au: Awaited<ReturnType<typeof serveOrigins>>;
let auUrl = '';

beforeAll(async () => {
  lms = await startCmi5Lms({ strict: true });
  au = await serveOrigins([
    { host: 'localhost', dir: join(ROOT, 'runtime/dist'), files: { '/adapter.html': PAGE } },
  ]);
  auUrl = `${au.origins[0]}/adapter.html`;
});
afterAll(async () => {
  await au?.close();
  await lms?.close();
});

interface W {
  adapter: { write(c: unknown): Promise<boolean>; close(o: unknown): Promise<void> };
  info: { mode: string };
  errors: { code: string }[];
}

async function open(page: Page, launch: Cmi5Launch) {
  await page.goto(launch.url);
  await page.waitForFunction(() => (window as unknown as W).info !== undefined);
}
const write = (page: Page, changes: unknown) =>
  page.evaluate((c) => (window as unknown as W).adapter.write(c), changes);
const close = (page: Page) =>
  page.evaluate(() => (window as unknown as W).adapter.close({ suspend: false, sessionMs: 1000 }));
const verbs = (list: Statement[]) => list.map((s) => s.verb.id.split('/').pop());
const score = (scaled: number) => ({ raw: scaled * 10, min: 0, max: 10, scaled });

describe('cmi5 adapter (Chromium, test LMS)', () => {
  it.each(['Browse', 'Review'] as const)(
    'records no satisfaction in %s mode but still saves the bookmark',
    async (launchMode) => {
      const page = await b.page();
      const launch = lms.launch(auUrl, { launchMode });
      await open(page, launch);
      const everything = {
        completion: 'completed',
        success: 'passed',
        score: score(1),
        progress: 1,
        location: 'page-9',
        interactions: [{ id: 'q1', type: 'true-false', response: 'true' }],
      };
      expect(await write(page, everything)).toBe(true);
      await close(page);
      const statements = lms.auStatements(launch.registration);
      expect(verbs(statements)).toEqual(['initialized', 'terminated']);
      expect(checkCmi5Rules(statements, lms.launchesOf(launch.registration))).toEqual([]);
      expect(lms.state(launch, 'coursegate')).toEqual({ location: 'page-9' });
    },
  );

  it('sends one of passed/failed per session, judged by the masteryScore, and no verb twice', async () => {
    const page = await b.page();
    const launch = lms.launch(auUrl, { masteryScore: 0.8 });
    await open(page, launch);
    // Asked for passed with a score under the mastery score: failed is what the LMS must see.
    expect(await write(page, { success: 'passed', score: score(0.5) })).toBe(true);
    expect(await write(page, { success: 'passed', score: score(0.9) })).toBe(true);
    expect(await write(page, { completion: 'completed' })).toBe(true);
    expect(await write(page, { completion: 'completed', progress: 1 })).toBe(true);
    await close(page);
    await close(page);
    const statements = lms.auStatements(launch.registration);
    expect(verbs(statements)).toEqual(['initialized', 'failed', 'completed', 'terminated']);
    expect(statements[1]?.result).toMatchObject({ success: false, score: { scaled: 0.5 } });
    expect(checkCmi5Rules(statements, lms.launchesOf(launch.registration))).toEqual([]);
  });

  it('sends nothing after terminated, also after a reload of the ended session', async () => {
    const page = await b.page();
    const launch = lms.launch(auUrl);
    await open(page, launch);
    await close(page);
    await write(page, { completion: 'completed' });
    await open(page, launch);
    const errors = await page.evaluate(() => (window as unknown as W).errors);
    expect(errors).toEqual([expect.objectContaining({ code: 'launch_params_invalid' })]);
    await write(page, { completion: 'completed' });
    await close(page);
    expect(verbs(lms.auStatements(launch.registration))).toEqual(['initialized', 'terminated']);
    expect(lms.fetchCalls(launch)).toBe(1);
  });

  it('reports a statement batch the LRS refuses as statement_rejected and resolves false', async () => {
    const page = await b.page();
    const launch = lms.launch(auUrl);
    await open(page, launch);
    // The LRS refuses statements whose id it already stored; forge that by replaying a stored id.
    const stored = lms.auStatements(launch.registration)[0] as Statement;
    await page.evaluate((id) => {
      const original = crypto.randomUUID.bind(crypto);
      let first = true;
      crypto.randomUUID = () => {
        if (!first) return original();
        first = false;
        return id as ReturnType<typeof original>;
      };
    }, stored.id);
    expect(await write(page, { completion: 'completed' })).toBe(false);
    expect(await page.evaluate(() => (window as unknown as W).errors)).toEqual([
      expect.objectContaining({ code: 'statement_rejected' }),
    ]);
    // Not recorded as sent: the retry goes through.
    expect(await write(page, { completion: 'completed' })).toBe(true);
    await close(page);
    expect(verbs(lms.auStatements(launch.registration))).toEqual(['initialized', 'completed', 'terminated']);
  });
});
