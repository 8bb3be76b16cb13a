import { describe, expect, it } from 'vitest';
import { createTokenBucket } from '../../gatekeeper/http/rate-limit.js';
import { tempFsStorage } from '../helpers/fs-storage.js';
import { createTestApp } from '../helpers/gatekeeper.js';
import { onWorker } from '../helpers/worker-target.js';
import { ingestSetup, postStatements, statement } from './ingest-setup.js';

const code = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

// The buckets are injected into the app; the Worker builds its own from vars.
describe.skipIf(onWorker)('public endpoints are rate limited', () => {
  it('gives each session one bucket across statements, errors and reports, refilled over time', async () => {
    const t = await createTestApp({
      limits: {
        perLicense: createTokenBucket({ capacity: 100, refillPerSecond: 100 }),
        perAddress: createTokenBucket({ capacity: 100, refillPerSecond: 100 }),
        perSession: createTokenBucket({ capacity: 3, refillPerSecond: 1 }),
      },
    });
    const s = await ingestSetup(t);
    const one = await s.launch();
    const auth = { authorization: `Bearer ${one.token}` };
    expect((await postStatements(t, one.token, [statement(one.id)])).status).toBe(200);
    const at = '2026-03-01T11:59:00.000Z';
    const errors = [
      { id: crypto.randomUUID(), fingerprint: 'f1', kind: 'error', message: 'TypeError: x', count: 1 },
    ].map((e) => ({ ...e, firstAt: at, lastAt: at, course: 'intro', breadcrumbs: [] }));
    expect((await t.call('POST', '/v1/errors', { body: { errors }, headers: auth })).status).toBe(200);
    expect((await postStatements(t, one.token, [statement(one.id)])).status).toBe(200);
    const limited = await t.call('POST', '/v1/sessions/report', { body: {}, headers: auth });
    expect([limited.status, await code(limited)]).toEqual([429, 'rate_limited']);
    const flood = await postStatements(t, one.token, [statement(one.id)]);
    expect([flood.status, await code(flood)]).toEqual([429, 'rate_limited']);
    // One token a second, the clock standing still: the next one comes in a second.
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(flood.headers.get('retry-after')).toBe('1');

    // Another session of the same license is not held back by the first one's flood.
    const two = await s.launch();
    expect((await postStatements(t, two.token, [statement(two.id)])).status).toBe(200);
    // A second later the first session has one request again.
    t.clock.now = new Date(t.clock.now.getTime() + 1000);
    expect((await postStatements(t, one.token, [statement(one.id)])).status).toBe(200);
    // Only what was accepted is stored: 2 + 1 statements of session one, 1 of session two.
    const stored = await t.call('GET', '/xapi/statements?limit=50', { key: s.a.owner.key });
    expect(((await stored.json()) as { statements: unknown[] }).statements).toHaveLength(4);
  });

  it('degrades a flood of parallel statement requests from one session to 429s, and keeps serving', async () => {
    const s = await ingestSetup();
    const session = await s.launch();
    const answers = await Promise.all(
      Array.from({ length: 260 }, () => postStatements(s.t, session.token, [statement(session.id)])),
    );
    const statuses = answers.map((r) => r.status);
    // The default bucket: a burst of 200, then 20 a second.
    expect(statuses.filter((x) => x === 200).length).toBeGreaterThanOrEqual(200);
    expect(statuses.filter((x) => x === 429).length).toBeGreaterThan(0);
    expect(statuses.every((x) => x === 200 || x === 429)).toBe(true);
    expect((await s.t.call('GET', '/healthz')).status).toBe(200);
  });

  it('bounds preview-link visits per client address, whatever the token', async () => {
    const storage = await tempFsStorage();
    const t = await createTestApp({
      storage,
      limits: {
        perLicense: createTokenBucket({ capacity: 100, refillPerSecond: 100 }),
        perAddress: createTokenBucket({ capacity: 2, refillPerSecond: 0.001 }),
      },
      clientAddress: (c) => c.req.header('x-test-address') ?? 'a',
    });
    const visit = (address: string) =>
      t.request('/preview/not-a-real-token', { headers: { 'x-test-address': address } });
    expect((await visit('a')).status).toBe(404);
    expect((await visit('a')).status).toBe(404);
    const probe = await visit('a');
    expect([probe.status, await code(probe)]).toEqual([429, 'rate_limited']);
    expect((await visit('b')).status).toBe(404);
  });
});
