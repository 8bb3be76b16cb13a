import { readFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { build } from 'esbuild';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../gatekeeper/db/database-file.js';
import { VERBS } from '../../protocol/xapi.js';
import { useBrowser } from '../helpers/browser.js';
import { startGatekeeper } from '../helpers/gatekeeper.js';
import { launchSession, seedLicense } from '../helpers/gatekeeper-process.js';
import { blockIngest } from '../helpers/ingest-stub.js';
import { ROOT } from '../helpers/paths.js';
import { serveOrigins } from '../helpers/serve.js';

/**
 * Runtime telemetry against the REAL Gatekeeper ingest (not the stub): the course page on the content
 * origin sends to the Gatekeeper through a loopback relay that can drop connections, because keepalive
 * requests of an unloading page bypass Playwright's routing. Records are read from the SQLite file.
 */
const b = useBrowser();
let gk: Awaited<ReturnType<typeof startGatekeeper>>;
let content: Awaited<ReturnType<typeof serveOrigins>>;
let relay: { origin: string; reachable: boolean; bodies: string[]; close(): Promise<void> };
let licenseToken = '';

const COURSE_PAGE = `<!doctype html><title>course</title>
<script src="/telemetry.js"></script>
<script>
  const p = new URLSearchParams(location.hash.slice(1));
  const session = p.get('session');
  const t = CgTelemetry.createTelemetry({
    endpoint: p.get('endpoint'), homePage: p.get('home'), sessionToken: p.get('token'), sessionId: session,
    course: 'seed', retryBaseMs: 200, retryMaxMs: 1000, flushDelayMs: Number(p.get('delay') || 100),
  });
  t.install();
  window.t = t;
  const produced = JSON.parse(localStorage.getItem('test:ids') || '[]');
  window.produce = (n) => {
    for (let i = 0; i < n; i++) produced.push(t.statement('progressed', 'page-' + i, { progress: i / n }));
    localStorage.setItem('test:ids', JSON.stringify(produced));
  };
  window.produced = () => produced;
  function widget() { throw new Error('Widget exploded'); }
  window.fail = () => {
    for (let i = 0; i < 5; i++) setTimeout(widget);
    for (let i = 0; i < 3; i++) Promise.reject(new Error('Quiz fetch failed'));
    for (let i = 0; i < 2; i++) t.error('lms_commit_failed', 'LMSCommit returned false');
  };
  window.queued = () => {
    const q = JSON.parse(localStorage.getItem('cg:outbox:' + session) || '{"q":[]}').q;
    return { statements: q.filter((x) => x.s).length, errors: q.reduce((n, x) => n + (x.e ? x.e.count : 0), 0) };
  };
  if (p.get('terminate')) addEventListener('pagehide', () => t.statement('terminated'));
</script>`;

/** A relay to the Gatekeeper that records request bodies and, while unreachable, drops connections. */
async function startRelay(target: string) {
  const to = new URL(target);
  const state = { reachable: true, bodies: [] as string[] };
  const server = createServer((req, res) => {
    if (!state.reachable) {
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      state.bodies.push(`${req.method} ${req.url}\n${JSON.stringify(req.headers)}\n${body.toString()}`);
      const out = request(
        {
          host: to.hostname,
          port: to.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: to.host },
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      out.on('error', () => res.destroy());
      out.end(body);
    });
  });
  await new Promise<void>((done) => server.listen(0, 'localhost', done));
  return Object.assign(state, {
    origin: `http://localhost:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  });
}

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
    '/telemetry.js': bundle.outputFiles[0]?.text ?? '',
    '/course.html': COURSE_PAGE,
  };
  content = await serveOrigins([{ host: '127.0.0.1', files }]);
  const contentOrigin = content.origins[0] as string;
  gk = await startGatekeeper({ COURSEGATE_CONTENT_URL: contentOrigin });
  licenseToken = (await seedLicense(gk.dataDir, gk.url)).token;
  relay = await startRelay(gk.url);
});

afterAll(async () => {
  await relay?.close();
  await gk?.close();
  await content?.close();
});

function sql<T>(query: string, ...params: unknown[]): T[] {
  const db = new Sqlite(join(gk.dataDir, DATABASE_FILE), { readonly: true });
  try {
    return db.prepare(query).all(...params) as T[];
  } finally {
    db.close();
  }
}

const courseUrl = (session: { id: string; token: string }, extra: Record<string, string> = {}, query = '') =>
  `${content.origins[0]}/course.html${query}#${new URLSearchParams({
    endpoint: relay.origin,
    home: gk.url,
    token: session.token,
    session: session.id,
    ...extra,
  })}`;

const queued = (page: Page) =>
  page.evaluate(() => (window as unknown as { queued(): { statements: number; errors: number } }).queued());

describe('runtime telemetry against the real Gatekeeper ingest', () => {
  it('offline across two reloads: 200 statements stored exactly once, errors with the right counts', async () => {
    const session = await launchSession(gk.url, licenseToken);
    const page = await b.page();
    const unblock = await blockIngest(page.context(), relay.origin);
    relay.reachable = false;
    await page.goto(courseUrl(session));
    for (let round = 0; round < 2; round++) {
      await page.evaluate(() => {
        const w = window as unknown as { produce(n: number): void; fail(): void };
        w.produce(100);
        w.fail();
      });
      await expect
        .poll(() => queued(page))
        .toEqual({ statements: 100 * (round + 1), errors: 10 * (round + 1) });
      await page.reload();
      await expect
        .poll(() => queued(page))
        .toEqual({ statements: 100 * (round + 1), errors: 10 * (round + 1) });
    }
    expect(sql('SELECT id FROM statements WHERE session_id = ?', session.id)).toEqual([]);

    await unblock();
    relay.reachable = true;
    await expect.poll(() => queued(page), { timeout: 20_000 }).toEqual({ statements: 0, errors: 0 });
    const produced = await page.evaluate(() => (window as unknown as { produced(): string[] }).produced());
    const rows = sql<{ id: string; n: number }>(
      'SELECT id, count(*) AS n FROM statements WHERE session_id = ? GROUP BY id',
      session.id,
    );
    expect(rows.every((r) => r.n === 1)).toBe(true);
    expect(new Set(rows.map((r) => r.id))).toEqual(new Set(produced));
    expect(produced).toHaveLength(200);
    const errors = sql<{ message: string; count: number }>('SELECT message, count FROM error_events');
    expect(Object.fromEntries(errors.map((e) => [e.message, e.count]))).toEqual({
      'Uncaught Error: Widget exploded': 10,
      'Quiz fetch failed': 6,
      'LMSCommit returned false': 4,
    });
    const [record] = sql<{ progress: number }>(
      'SELECT progress FROM completions WHERE session_id = ?',
      session.id,
    );
    expect(record?.progress).toBeCloseTo(0.99);
    await page.close();
  });

  it('statements queued at pagehide arrive after the page is closed', async () => {
    const session = await launchSession(gk.url, licenseToken);
    const page = await b.page();
    await page.goto(courseUrl(session, { delay: '60000', terminate: '1' }));
    await page.evaluate(() => (window as unknown as { produce(n: number): void }).produce(30));
    const produced = await page.evaluate(() => (window as unknown as { produced(): string[] }).produced());
    await page.close({ runBeforeUnload: true });
    const stored = () =>
      sql<{ id: string; verb: string }>('SELECT id, verb FROM statements WHERE session_id = ?', session.id);
    await expect.poll(() => stored().length, { timeout: 15_000 }).toBe(31);
    const terminated = stored().filter((s) => s.verb === VERBS.terminated);
    expect(terminated).toHaveLength(1);
    expect(new Set(stored().map((s) => s.id))).toEqual(new Set([...produced, terminated[0]?.id]));
  });

  it('learner data in the launch URL and error text reaches neither the requests nor the database file', async () => {
    const session = await launchSession(gk.url, licenseToken);
    const page = await b.page();
    const actor = JSON.stringify({ objectType: 'Agent', name: 'Jane Doe', mbox: 'mailto:jane@example.com' });
    const before = relay.bodies.length;
    const reportsBefore = sql('SELECT id FROM error_reports').length;
    await page.goto(courseUrl(session, {}, `?actor=${encodeURIComponent(actor)}&learner_name=Jane%20Doe`));
    await page.evaluate(() => {
      const t = (
        window as unknown as { t: { statement(v: string): void; error(c: string, m: string): void } }
      ).t;
      t.statement('launched');
      t.error('lms_call_failed', `LMSSetValue failed for jane@example.com at ${location.href}`);
      setTimeout(() => {
        throw new Error(`Could not save for jane@example.com, see ${location.href}`);
      });
      t.statement('terminated');
    });
    await expect
      .poll(() => sql('SELECT id FROM statements WHERE session_id = ?', session.id).length, {
        timeout: 15_000,
      })
      .toBe(2);
    await expect
      .poll(() => sql('SELECT id FROM error_reports').length - reportsBefore, { timeout: 15_000 })
      .toBe(2);
    await page.close();
    const sent = relay.bodies.slice(before).join('\n');
    expect(sent).toContain('/xapi/statements');
    for (const secret of ['jane@example.com', 'jane%40example.com', 'Jane Doe', 'Jane%20Doe', 'mbox'])
      expect(sent, `a request carries ${secret}`).not.toContain(secret);
    const files = [DATABASE_FILE, `${DATABASE_FILE}-wal`].map((f) => {
      try {
        return readFileSync(join(gk.dataDir, f));
      } catch {
        return Buffer.alloc(0);
      }
    });
    for (const bytes of files)
      for (const secret of ['jane@example.com', 'jane%40example.com', 'Jane Doe', 'Jane%20Doe', 'mailto:'])
        expect(bytes.includes(secret), `the database holds ${secret}`).toBe(false);
  });
});
