import { describe, expect, it } from 'vitest';
import type { LogEntry } from '../../gatekeeper/logger.js';
import { createTestApp } from '../helpers/gatekeeper.js';

/** An app that logs into `logs`, with an org, a live course and a license token for it. */
async function licensed() {
  const logs: LogEntry[] = [];
  const t = await createTestApp({ logger: (e) => logs.push(e) });
  const a = await t.org('Acme');
  const { course } = await t.liveCourse(a.org.id, 'c');
  const res = await t.call('POST', '/v1/licenses', {
    key: a.owner.key,
    body: { courseId: course.id, clientName: 'x' },
  });
  const { token } = (await res.json()) as { token: string };
  return { logs, t, a, token };
}

describe('structured request logs', () => {
  it('logs one JSON record per request and never a token or an API key', async () => {
    const { logs, t, a, token } = await licensed();
    const launched = await t.call('POST', '/v1/launch', { body: { token, standard: 'scorm12' } });
    const { session } = (await launched.json()) as { session: { token: string } };
    // A token in the path (as cmi5 launch URLs carry it) and in the query string are not logged either.
    await t.call('GET', `/v1/launch/cmi5/${token}?t=${token}`);

    expect(logs.length).toBe(3);
    expect(logs[0]).toMatchObject({
      level: 'info',
      msg: 'request',
      method: 'POST',
      path: '/v1/licenses',
      status: 201,
    });
    expect(typeof logs[0]?.ms).toBe('number');
    const text = JSON.stringify(logs);
    for (const secret of [token, session.token, a.owner.key, token.split('.')[2]!, a.owner.key.slice(3)])
      expect(text).not.toContain(secret);
    expect(logs[2]?.path).toBe('/v1/launch/cmi5/[token]');
  });

  it('logs an unexpected error without the token its path carries', async () => {
    const { logs, t, a, token } = await licensed();
    // With the database gone, the next request fails inside the app: the error path logs it.
    await t.db.close();
    const failed = await t.call('GET', `/v1/licenses/${token}`, { key: a.owner.key });
    expect(failed.status).toBe(500);
    const errors = logs.filter((e) => e.level === 'error' && e.msg === 'unhandled');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.path).toBe('/v1/licenses/[token]');
    const text = JSON.stringify(logs);
    for (const secret of [token, token.split('.')[2]!, a.owner.key]) expect(text).not.toContain(secret);
  });
});
