import { describe, expect, it } from 'vitest';
import { createDeployment } from '../../gatekeeper/db/deployments.js';
import { expectUnbrokenChain } from '../helpers/audit-chain.js';
import { tempFsStorage } from '../helpers/fs-storage.js';
import { createTestApp } from '../helpers/gatekeeper.js';

interface Answer {
  error?: { code: string; details?: { live: string | null; expected: string | null } };
  from?: string | null;
  to?: string;
  events?: { from: string | null; to: string | null }[];
  liveDeploymentId?: string | null;
}

/**
 * A course with three finalized deployments: d1 live (set directly, no audit event), d2 and d3 staged.
 * The API under test is the shared app harness: in-process on Node, the Worker build on D1 in the
 * `workers` project.
 */
async function setup() {
  // The deployment routes are served where there is content storage.
  const t = await createTestApp({ storage: await tempFsStorage() });
  const { owner } = await t.org('Acme');
  const orgId = owner.member.orgId;
  const { course, deployment } = await t.liveCourse(orgId, 'intro');
  const staged = async () =>
    (
      await createDeployment(t.db, {
        orgId,
        courseId: course.id,
        entry: 'index.html',
        files: [],
        now: t.clock.now.getTime(),
      })
    ).id;
  const d = [deployment.id, await staged(), await staged()] as const;
  const call = async (path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await t.call(body === undefined ? 'GET' : 'POST', `/v1/courses/${course.id}${path}`, {
      key: owner.key,
      headers,
      ...(body === undefined ? {} : { body }),
    });
    return { status: res.status, json: (await res.json()) as Answer };
  };
  const live = async () => (await call('')).json.liveDeploymentId;
  const history = async () => (await call('/history')).json.events ?? [];
  return { t, d, call, live, history };
}

describe('promote and rollback move the live deployment only from the one their sender saw', () => {
  it('a request that does not say which deployment it saw live is 428 expected_live_required, and changes nothing', async () => {
    const { d, call, live, history } = await setup();
    const promoted = await call('/promote', { deployment: d[1], reason: 'ship' });
    expect([promoted.status, promoted.json.error?.code]).toEqual([428, 'expected_live_required']);
    const rolled = await call('/rollback', { reason: 'undo', to: d[1] });
    expect([rolled.status, rolled.json.error?.code]).toEqual([428, 'expected_live_required']);
    expect(await live()).toBe(d[0]);
    expect(await history()).toEqual([]);
  });

  it('takes the expectation as If-Match ("<id>", or "none") or as expectedLive; a malformed or disagreeing one is 400', async () => {
    const { d, call, live, history } = await setup();
    const bad = await call('/promote', { deployment: d[1], reason: 'ship' }, { 'if-match': d[0] });
    expect([bad.status, bad.json.error?.code]).toEqual([400, 'invalid_request']);
    const split = await call(
      '/promote',
      { deployment: d[1], reason: 'ship', expectedLive: d[1] },
      { 'if-match': `"${d[0]}"` },
    );
    expect([split.status, split.json.error?.code]).toEqual([400, 'invalid_request']);
    // "none" is what a sender saw on a course without a live deployment: not this one.
    const none = await call('/promote', { deployment: d[1], reason: 'ship' }, { 'if-match': '"none"' });
    expect([none.status, none.json.error?.code]).toEqual([409, 'live_changed']);
    expect(none.json.error?.details).toEqual({ live: d[0], expected: null });
    expect(await history()).toEqual([]);

    const header = await call('/promote', { deployment: d[1], reason: 'ship' }, { 'if-match': `"${d[0]}"` });
    expect([header.status, header.json.from, header.json.to]).toEqual([200, d[0], d[1]]);
    const body = await call('/rollback', { reason: 'undo', expectedLive: d[1] });
    expect([body.status, body.json.from, body.json.to]).toEqual([200, d[1], d[0]]);
    expect(await live()).toBe(d[0]);
  });

  it('a stale expectation is 409 live_changed naming the live deployment, and writes no audit event', async () => {
    const { d, call, live, history } = await setup();
    expect((await call('/promote', { deployment: d[1], reason: 'v2', expectedLive: d[0] })).status).toBe(200);
    // A second operator still looking at d1 promotes d3, then rolls back "the bad release" they saw.
    const promoted = await call('/promote', { deployment: d[2], reason: 'v3', expectedLive: d[0] });
    expect([promoted.status, promoted.json.error]).toEqual([
      409,
      expect.objectContaining({ code: 'live_changed', details: { live: d[1], expected: d[0] } }),
    ]);
    const rolled = await call('/rollback', { reason: 'undo', expectedLive: d[2] });
    expect([rolled.status, rolled.json.error?.details]).toEqual([409, { live: d[1], expected: d[2] }]);
    expect(await live()).toBe(d[1]);
    expect((await history()).map((e) => [e.from, e.to])).toEqual([[d[0], d[1]]]);
  });

  it('ten rollbacks sent at once from one live state: one rolls back, nine are 409 live_changed naming where it went', async () => {
    const { d, call, live, history } = await setup();
    await call('/promote', { deployment: d[1], reason: 'v2', expectedLive: d[0] });
    await call('/promote', { deployment: d[2], reason: 'v3', expectedLive: d[1] });
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => call('/rollback', { reason: `undo ${i}`, expectedLive: d[2] })),
    );
    const won = answers.filter((a) => a.status === 200);
    expect(won.map((a) => [a.json.from, a.json.to])).toEqual([[d[2], d[1]]]);
    const lost = answers.filter((a) => a.status !== 200);
    expect(lost.map((a) => [a.status, a.json.error?.code, a.json.error?.details])).toEqual(
      Array.from({ length: 9 }, () => [409, 'live_changed', { live: d[1], expected: d[2] }]),
    );
    expect(await live()).toBe(d[1]);
    const events = await history();
    expect(events).toHaveLength(3);
    expectUnbrokenChain(events, d[0], d[1]);
  });
});
