import { randomUUID } from 'node:crypto';
import { build } from 'esbuild';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERBS } from '../../protocol/xapi.js';
import { useBrowser } from '../helpers/browser.js';
import { blockIngest, createIngestStub } from '../helpers/ingest-stub.js';
import { ROOT } from '../helpers/paths.js';
import { serveOrigins } from '../helpers/serve.js';

/**
 * Telemetry in real Chromium, as in a gated launch: the course page on the content origin (127.0.0.1)
 * gets the ingest endpoint and its session from the URL fragment and sends to the ingest on another
 * origin (localhost), so every request is a CORS request with a preflight, keepalive ones included.
 */
const b = useBrowser();
const session = { id: `sess-${randomUUID()}`, token: `tok.${randomUUID()}` };
let ingest: ReturnType<typeof createIngestStub>;
let ingestServer: { origin: string; close(): Promise<void> };
let content: Awaited<ReturnType<typeof serveOrigins>>;
let contentOrigin = '';
let lmsOrigin = '';

const COURSE_PAGE = `<!doctype html><title>course</title>
<img id="logo" alt="">
<script src="/telemetry.js"></script>
<script>
  const p = new URLSearchParams(location.hash.slice(1));
  const session = p.get('session');
  const t = CgTelemetry.createTelemetry({
    endpoint: p.get('endpoint'), sessionToken: p.get('token'), sessionId: session,
    course: 'intro', deployment: 'dep-1',
    retryBaseMs: 200, retryMaxMs: 1000, flushDelayMs: Number(p.get('delay') || 100),
  });
  t.install();
  window.t = t;
  // Test bookkeeping: every statement id this browser produced, across reloads. A cross-site frame
  // may be denied storage altogether (Chromium blocking third-party storage); telemetry then queues in memory.
  let store = null;
  try { store = localStorage; } catch {}
  const produced = JSON.parse((store && store.getItem('test:ids')) || '[]');
  window.produce = (n) => {
    for (let i = 0; i < n; i++) produced.push(t.statement('progressed', 'page-' + i, { progress: i / n }));
    if (store) store.setItem('test:ids', JSON.stringify(produced));
  };
  window.produced = () => produced;
  function widget() { throw new Error('Widget exploded'); }
  // 10 errors: 5 uncaught, 3 unhandled rejections, 2 of the runtime's own.
  window.fail = () => {
    for (let i = 0; i < 5; i++) setTimeout(widget);
    for (let i = 0; i < 3; i++) Promise.reject(new Error('Quiz fetch failed'));
    for (let i = 0; i < 2; i++) t.error('lms_commit_failed', 'LMSCommit returned false');
  };
  window.queued = () => {
    const q = JSON.parse(store.getItem('cg:outbox:' + session) || '{"q":[]}').q;
    return { statements: q.filter((x) => x.s).length, errors: q.reduce((n, x) => n + (x.e ? x.e.count : 0), 0) };
  };
  if (p.get('terminate')) addEventListener('pagehide', () => t.statement('terminated'));
</script>`;

beforeAll(async () => {
  const bundle = await build({
    stdin: {
      contents: "export { createTelemetry } from './runtime/telemetry/index.ts';",
      resolveDir: ROOT,
      loader: 'ts',
    },
    bundle: true,
    format: 'iife',
    globalName: 'CgTelemetry',
    target: 'es2019',
    write: false,
  });
  const files: Record<string, string> = {
    '/telemetry.js': bundle.outputFiles[0]!.text,
    '/course.html': COURSE_PAGE,
    '/away.html': '<!doctype html><title>elsewhere</title>',
  };
  content = await serveOrigins([
    {
      host: '127.0.0.1',
      handler: (req, res) => {
        const body = files[new URL(req.url ?? '/', 'http://x').pathname];
        if (body === undefined) return false;
        res.writeHead(200, { 'content-type': req.url?.endsWith('.js') ? 'text/javascript' : 'text/html' });
        res.end(body);
        return true;
      },
    },
    {
      // The LMS: a page on another site that frames the course, as a gated launch does.
      host: '127.0.0.2',
      handler: (req, res) => {
        const url = new URL(req.url ?? '/', 'http://x');
        if (url.pathname !== '/lms.html') return false;
        const src = JSON.stringify(url.searchParams.get('src')).replace(/</g, '\\u003c');
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(`<!doctype html><title>lms</title><body><script>
          const f = document.createElement('iframe'); f.src = ${src}; document.body.append(f);
        </script>`);
        return true;
      },
    },
  ]);
  [contentOrigin, lmsOrigin] = content.origins as [string, string];
});

afterAll(async () => {
  await content?.close();
});

async function startIngest() {
  ingest = createIngestStub({ sessions: [session], allowOrigins: [contentOrigin] });
  ingestServer = await ingest.listen('localhost');
}

const courseUrl = (extra: Record<string, string> = {}, query = '') =>
  `${contentOrigin}/course.html${query}#${new URLSearchParams({
    endpoint: ingestServer.origin,
    token: session.token,
    session: session.id,
    ...extra,
  })}`;

const queued = (page: Page) =>
  page.evaluate(() => (window as unknown as { queued(): { statements: number; errors: number } }).queued());

describe('telemetry offline', () => {
  beforeAll(startIngest);
  afterAll(() => ingestServer.close());

  it('keeps 200 statements and 20 errors across two reloads offline, then stores each statement once', async () => {
    const page = await b.page();
    // Two walls: Chromium aborts the requests it routes, and the ingest drops connections, because
    // keepalive requests sent by an unloading page bypass Playwright's routing.
    const unblock = await blockIngest(page.context(), ingestServer.origin);
    ingest.setReachable(false);

    await page.goto(courseUrl());
    await page.evaluate(() => {
      const w = window as unknown as { produce(n: number): void; fail(): void };
      w.produce(100);
      w.fail();
    });
    await expect.poll(() => queued(page)).toEqual({ statements: 100, errors: 10 });

    await page.reload();
    await expect.poll(() => queued(page)).toEqual({ statements: 100, errors: 10 });
    await page.evaluate(() => {
      const w = window as unknown as { produce(n: number): void; fail(): void };
      w.produce(100);
      w.fail();
    });
    await expect.poll(() => queued(page)).toEqual({ statements: 200, errors: 20 });

    await page.reload();
    await expect.poll(() => queued(page)).toEqual({ statements: 200, errors: 20 });
    expect(ingest.requests.length, 'nothing reached the ingest while it was unreachable').toBe(0);

    await unblock();
    ingest.setReachable(true);
    await expect.poll(() => queued(page), { timeout: 20_000 }).toEqual({ statements: 0, errors: 0 });

    const produced = await page.evaluate(() => (window as unknown as { produced(): string[] }).produced());
    const stored = ingest.statements().map((s) => s.id as string);
    expect(new Set(produced).size).toBe(200);
    expect(stored).toHaveLength(200);
    expect(new Set(stored)).toEqual(new Set(produced));
    expect(ingest.conflicts(), 'a retry never changes a statement').toBe(0);
    expect(ingest.requests.every((r) => r.status === 200)).toBe(true);
    expect(ingest.errorCounts()).toEqual({
      'Uncaught Error: Widget exploded': 10,
      'Quiz fetch failed': 6,
      'LMSCommit returned false': 4,
    });
  });
});

/** localStorage keys that name the session or hold its token: none once everything is delivered. */
const traces = (page: Page) =>
  page.evaluate(
    ({ id, token }) =>
      Object.keys(localStorage).filter((k) => k.includes(id) || localStorage[k].includes(token)),
    session,
  );

describe('telemetry leaves no session token behind', () => {
  beforeAll(startIngest);
  afterAll(() => ingestServer.close());

  it('removes the session record once delivered; a reload mid-queue still sends the tail once', async () => {
    const page = await b.page();
    const produce = (n: number) =>
      page.evaluate((k) => (window as unknown as { produce(n: number): void }).produce(k), n);
    await page.goto(courseUrl());
    await produce(30);
    await page.evaluate(() => (window as unknown as { fail(): void }).fail());
    await expect.poll(() => ingest.statements().length).toBe(30);
    await expect.poll(() => ingest.reports().length).toBeGreaterThan(0);
    await expect.poll(() => traces(page)).toEqual([]);

    const unblock = await blockIngest(page.context(), ingestServer.origin);
    ingest.setReachable(false);
    await produce(40);
    await expect.poll(() => queued(page)).toEqual({ statements: 40, errors: 0 });
    expect(await traces(page), 'the queue keeps the token while it has something to send').toEqual([
      `cg:outbox:${session.id}`,
    ]);
    await page.reload();
    await expect.poll(() => queued(page)).toEqual({ statements: 40, errors: 0 });
    await unblock();
    ingest.setReachable(true);

    await expect.poll(() => traces(page), { timeout: 20_000 }).toEqual([]);
    const produced = await page.evaluate(() => (window as unknown as { produced(): string[] }).produced());
    const stored = ingest.statements().map((s) => s.id as string);
    expect(stored).toHaveLength(70);
    expect(new Set(stored)).toEqual(new Set(produced));
    expect(ingest.conflicts()).toBe(0);
  });
});

describe('telemetry at unload', () => {
  beforeAll(startIngest);
  afterAll(() => ingestServer.close());

  it('delivers statements queued at pagehide after the page is closed', async () => {
    const page = await b.page();
    // A minute's flush delay: nothing leaves before the page goes away.
    await page.goto(courseUrl({ delay: '60000', terminate: '1' }));
    await page.evaluate(() => (window as unknown as { produce(n: number): void }).produce(30));
    const produced = await page.evaluate(() => (window as unknown as { produced(): string[] }).produced());
    expect(ingest.requests.length).toBe(0);
    await page.close({ runBeforeUnload: true });

    await expect.poll(() => ingest.statements().length, { timeout: 15_000 }).toBe(31);
    const stored = ingest.statements();
    const terminated = stored.filter((s) => (s.verb as { id: string }).id === VERBS.terminated);
    expect(terminated).toHaveLength(1);
    expect(new Set(stored.map((s) => s.id))).toEqual(new Set([...produced, terminated[0]!.id]));
  });

  // This Chromium denies localStorage to the cross-site frame, so here the queue lives in memory only.
  it('delivers statements of a course framed by another site when the top page is closed', async () => {
    const page = await b.page();
    const before = ingest.statements().length;
    await page.goto(`${lmsOrigin}/lms.html?src=${encodeURIComponent(courseUrl({ delay: '60000' }))}`);
    const frame = await (await page.waitForSelector('iframe')).contentFrame();
    await frame!.waitForFunction(() => 'produce' in window);
    await frame!.evaluate(() => (window as unknown as { produce(n: number): void }).produce(25));
    await page.close({ runBeforeUnload: true });
    await expect.poll(() => ingest.statements().length - before, { timeout: 15_000 }).toBe(25);
  });

  it('delivers statements queued before navigating away', async () => {
    const page = await b.page();
    const before = ingest.statements().length;
    await page.goto(courseUrl({ delay: '60000' }));
    await page.evaluate(() => (window as unknown as { produce(n: number): void }).produce(20));
    await page.goto(`${contentOrigin}/away.html`);
    await expect.poll(() => ingest.statements().length - before, { timeout: 15_000 }).toBe(20);
  });
});

describe('telemetry scrubbing', () => {
  beforeAll(startIngest);
  afterAll(() => ingestServer.close());

  it('sends error text without emails, tokens or URL queries, and statements without personal actors', async () => {
    const page = await b.page();
    // A cmi5-style launch URL: the LMS puts the learner in the query string.
    const actor = JSON.stringify({ objectType: 'Agent', name: 'Jane Doe', mbox: 'mailto:jane@example.com' });
    await page.goto(courseUrl({}, `?actor=${encodeURIComponent(actor)}&registration=${randomUUID()}`));
    await page.evaluate(() => {
      const t = (
        window as unknown as { t: { statement(v: string): void; error(c: string, m: string): void } }
      ).t;
      t.statement('launched');
      t.error('lms_call_failed', `LMSSetValue failed for jane@example.com at ${location.href}`);
      setTimeout(() => {
        throw new Error(`Could not save for jane@example.com, see ${location.href}`);
      });
      (document.getElementById('logo') as HTMLImageElement).src = '/missing.png?user=jane@example.com';
      t.statement('terminated');
    });
    await expect.poll(() => ingest.reports().length, { timeout: 15_000 }).toBe(3);
    await expect.poll(() => ingest.statements().length).toBe(2);

    const messages = ingest.reports().map((r) => r.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        `LMSSetValue failed for [email] at ${contentOrigin}/course.html`,
        `IMG failed: ${contentOrigin}/missing.png`,
      ]),
    );
    expect(messages.some((m) => m.startsWith('Uncaught Error: Could not save for [email], see '))).toBe(true);
    for (const r of ingest.requests) {
      for (const secret of [
        'jane@example.com',
        'jane%40example.com',
        'Jane Doe',
        'Jane%20Doe',
        'mbox',
        'openid',
        'actor=',
      ])
        expect(r.body, `${r.path} carries ${secret}`).not.toContain(secret);
    }
    for (const s of ingest.statements())
      expect(s.actor).toEqual({
        objectType: 'Agent',
        account: { homePage: ingestServer.origin, name: session.id },
      });
  });
});
