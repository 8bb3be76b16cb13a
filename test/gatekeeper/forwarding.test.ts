import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqlite } from '../../gatekeeper/db/open-sqlite.js';
import { importForwardingKey } from '../../gatekeeper/forwarding/credentials.js';
import { createForwarder } from '../../gatekeeper/forwarding/forward.js';
import { createOutbound } from '../../gatekeeper/webhooks/outbound.js';
import { createTelemetry } from '../../runtime/telemetry/index.js';
import { dashboardSignIn } from '../helpers/dashboard.js';
import { createTestApp, TEST_PUBLIC_URL } from '../helpers/gatekeeper.js';
import { startTestLrs } from '../helpers/test-lrs.js';
import { ingestSetup, postStatements, statement } from './ingest-setup.js';

const KEY = Buffer.alloc(32, 7).toString('base64');
const PASSWORD = 'lrs-secret-3f9a1c';
const RETRY_MS = 60_000;
const VERB = 'http://adlnet.gov/expapi/verbs/';
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** A real SQLite file, an org with a live course and a launched session, a test LRS on loopback. */
async function setup(options: { key?: string } = { key: KEY }) {
  const dir = mkdtempSync(join(tmpdir(), 'cg-forwarding-'));
  const db = await openSqlite({ file: join(dir, 'gatekeeper.db') });
  closers.push(() => db.close());
  const key = options.key ? importForwardingKey(options.key) : Promise.resolve(undefined);
  const t = await createTestApp({ db, forwardingKey: key, webhooks: { allowHttpLoopback: true } });
  const s = await ingestSetup(t);
  const lrs = await startTestLrs({ username: 'cg', password: PASSWORD });
  closers.push(lrs.close);
  const forwarder = createForwarder({
    db,
    now: () => t.clock.now,
    send: createOutbound({ allowHttpLoopback: true }),
    key,
    homePage: TEST_PUBLIC_URL,
    retryDelay: () => RETRY_MS,
    batchSize: 4,
  });
  const owner = s.a.owner.key;
  const path = `/v1/courses/${s.course.id}/forwarding`;
  const setTarget = (endpoint = lrs.url) =>
    t.call('PUT', path, { key: owner, body: { endpoint, username: 'cg', password: PASSWORD } });
  const status = async () =>
    (await (await t.call('GET', path, { key: owner })).json()) as Record<string, unknown>;
  /** Forwards until the backlog is empty or a pass moves nothing. */
  const drain = async () => {
    for (;;) {
      const run = await forwarder.runOnce();
      if (run.forwarded === 0 || (await status()).backlog === 0) return run;
    }
  };
  return { ...s, dir, db, lrs, setTarget, status, drain, path, owner };
}

/** A session's statements as the runtime sends them: progress, completion, success with a score. */
function sessionStatements(sessionId: string) {
  return [
    statement(sessionId, { verb: { id: `${VERB}initialized` } }),
    statement(sessionId, { verb: { id: `${VERB}progressed` } }),
    statement(sessionId, { verb: { id: `${VERB}completed` }, result: { completion: true } }),
    statement(sessionId, {
      verb: { id: `${VERB}passed` },
      result: { success: true, score: { raw: 8, min: 0, max: 10, scaled: 0.8 } },
    }),
    statement(sessionId, { verb: { id: `${VERB}terminated` } }),
  ];
}

describe('statement forwarding to an LRS (issue 25)', () => {
  it('forwards every statement the runtime sent in a session and its completion record once, each valid xAPI 1.0.3', async () => {
    const s = await setup();
    expect((await s.setTarget()).status).toBe(200);
    const session = await s.launch();
    // The runtime's own telemetry (statement building, its outbox, its batches) posting to the real ingest.
    const telemetry = createTelemetry({
      endpoint: TEST_PUBLIC_URL,
      sessionToken: session.token,
      sessionId: session.id,
      course: 'intro',
      deployment: s.deployment.id,
      storage: null,
      flushDelayMs: 60_000,
      fetch: (async (url: string, init?: RequestInit) =>
        s.t.request(new URL(url).pathname, init)) as typeof fetch,
    });
    const sent = [
      telemetry.statement('initialized'),
      telemetry.statement('progressed', 'page-1', { progress: 0.5 }),
    ];
    expect(await telemetry.flush()).toBe(true);
    sent.push(
      telemetry.statement('completed', undefined, { completion: true, durationMs: 61_000 }),
      telemetry.statement('passed', undefined, {
        score: { raw: 8, min: 0, max: 10, scaled: 0.8 },
        success: true,
      }),
      telemetry.statement('terminated'),
    );
    expect(await telemetry.flush()).toBe(true);
    expect((await s.status()).backlog).toBeGreaterThan(0);

    await s.drain();

    expect(s.lrs.refused).toEqual([]);
    for (const id of sent)
      expect(s.lrs.stored.get(id)).toMatchObject({ actor: { account: { name: session.id } } });
    const records = [...s.lrs.stored.values()].filter((st) => !sent.includes(String(st.id)));
    // The completion record as statements: completed, and passed with its score.
    expect(records.map((r) => (r.verb as { id: string }).id).sort()).toEqual([
      `${VERB}completed`,
      `${VERB}passed`,
    ]);
    expect(records.find((r) => (r.verb as { id: string }).id === `${VERB}passed`)?.result).toEqual({
      success: true,
      score: { scaled: 0.8, raw: 8, min: 0, max: 10 },
    });
    expect(s.lrs.stored.size).toBe(sent.length + 2);
    expect(s.lrs.mismatches()).toBe(0);
    expect(await s.status()).toMatchObject({
      backlog: 0,
      delivered: sent.length + 2,
      rejected: 0,
      attempts: 0,
    });
  });

  it('keeps the backlog while the LRS is down and loses nothing when it is back', async () => {
    const s = await setup();
    await s.setTarget();
    const session = await s.launch();
    const sent = sessionStatements(session.id);
    await s.lrs.stop();
    expect((await postStatements(s.t, session.token, sent)).status).toBe(200);

    const down = await s.drain();
    expect(down.failed).toBe(1);
    const during = await s.status();
    expect(during).toMatchObject({ attempts: 1, lastStatus: null });
    expect(during.backlog).toBeGreaterThan(0);
    expect(String(during.lastError)).toMatch(/ECONNREFUSED/);
    expect(during.nextAttemptAt).toBe(new Date(s.t.clock.now.getTime() + RETRY_MS).toISOString());
    // The course page shows the owner the backlog and the error; a member sees no forwarding section.
    const page = await (
      await (
        await dashboardSignIn(s.t, s.a.owner.member)
      )('GET', `/courses/${s.course.id}`)
    ).text();
    expect(page).toMatch(new RegExp(`id="forwarding-backlog">${during.backlog}<`));
    expect(page).toMatch(/id="forwarding-error">[^<]*ECONNREFUSED/);
    const memberPage = await (
      await (
        await dashboardSignIn(s.t, s.a.member.member)
      )('GET', `/courses/${s.course.id}`)
    ).text();
    expect(memberPage).not.toContain('Statement forwarding');
    // Not before its retry time.
    await s.lrs.start();
    expect((await s.drain()).forwarded).toBe(0);

    s.t.clock.now = new Date(s.t.clock.now.getTime() + RETRY_MS);
    await s.drain();
    for (const st of sent) expect(s.lrs.stored.has(st.id)).toBe(true);
    expect(s.lrs.stored.size).toBe(sent.length + 2);
    expect(await s.status()).toMatchObject({ backlog: 0, attempts: 0, lastError: String(during.lastError) });
  });

  it("counts the LRS's 409 for statements it already holds as delivered (a batch sent again after a crash)", async () => {
    const s = await setup();
    await s.setTarget();
    const session = await s.launch();
    const sent = sessionStatements(session.id);
    await postStatements(s.t, session.token, sent);
    // The first statements reached the LRS, but the queue rows outlived it (a crash before they were deleted).
    for (const st of sent.slice(0, 2)) s.lrs.stored.set(st.id, structuredClone(st));

    await s.drain();

    expect(s.lrs.refused).toEqual([{ status: 409, why: '' }, ...Array(2).fill({ status: 409, why: '' })]);
    expect(s.lrs.stored.size).toBe(sent.length + 2);
    expect(await s.status()).toMatchObject({ backlog: 0, rejected: 0 });
  });

  it('queues the statements stored before the target was set, and nothing for a course without one', async () => {
    const s = await setup();
    const session = await s.launch();
    const sent = sessionStatements(session.id);
    await postStatements(s.t, session.token, sent);
    const queued = async () =>
      (
        await s.db.orm.all<{ n: number }>(
          (
            await import('drizzle-orm')
          ).sql`SELECT count(*) AS n FROM lrs_queue`,
        )
      )[0]?.n;
    expect(await queued()).toBe(0);
    await s.setTarget();
    expect((await s.status()).backlog).toBe(sent.length + 1);
    await s.drain();
    expect(s.lrs.stored.size).toBe(sent.length + 2);
  });

  it('stores the credentials encrypted, never shows them, and refuses them without a configured key', async () => {
    const s = await setup();
    const answer = await (await s.setTarget()).json();
    expect(JSON.stringify(answer)).not.toContain(PASSWORD);
    expect(answer).toMatchObject({ endpoint: s.lrs.url, backlog: 0 });
    await s.db.close();
    for (const f of readdirSync(s.dir)) {
      const bytes = readFileSync(join(s.dir, f));
      expect(bytes.includes(PASSWORD), f).toBe(false);
      expect(bytes.includes(Buffer.from(`cg:${PASSWORD}`).toString('base64')), f).toBe(false);
    }

    const keyless = await setup({});
    const refused = await keyless.setTarget();
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('forwarding_key_missing');
  });

  it('shows, not throws, credentials that no longer open (the key was changed), and sends nothing', async () => {
    const s = await setup();
    await s.setTarget();
    const session = await s.launch();
    await postStatements(s.t, session.token, sessionStatements(session.id));
    const other = createForwarder({
      db: s.db,
      now: () => s.t.clock.now,
      send: createOutbound({ allowHttpLoopback: true }),
      key: importForwardingKey(Buffer.alloc(32, 8).toString('base64')),
      homePage: TEST_PUBLIC_URL,
      retryDelay: () => RETRY_MS,
    });
    expect(await other.runOnce()).toEqual({ forwarded: 0, rejected: 0, failed: 1 });
    expect(s.lrs.requests()).toBe(0);
    expect(String((await s.status()).lastError)).toContain('COURSEGATE_FORWARDING_KEY');
  });

  it('refuses a plain-http or private LRS unless loopback is allowed for development', async () => {
    const s = await setup();
    const t = await createTestApp({ db: s.db, forwardingKey: importForwardingKey(KEY) });
    for (const endpoint of [
      'http://127.0.0.1:9/xapi',
      'https://10.0.0.1/xapi',
      'https://169.254.169.254/xapi',
    ]) {
      const res = await t.call('PUT', s.path, {
        key: s.owner,
        body: { endpoint, username: 'cg', password: PASSWORD },
      });
      expect(res.status, endpoint).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('forwarding_url_refused');
    }
  });
});
