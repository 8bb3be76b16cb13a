import { describe, expect, it } from 'vitest';
import { makeStatement } from '../../runtime/telemetry/index.js';
import { createIngestStub } from '../helpers/ingest-stub.js';

/** The ingest contract the runtime is tested against, which the Gatekeeper's ingest must also keep. */
const HOME = 'https://gk.example.com';
const scope = { homePage: HOME, sessionId: 's1', course: 'intro', now: () => new Date() };

function post(
  ingest: ReturnType<typeof createIngestStub>,
  body: unknown,
  headers: Record<string, string> = {},
) {
  return ingest.fetch(`${HOME}/xapi/statements`, {
    method: 'POST',
    headers: {
      authorization: 'Bearer t1',
      'x-experience-api-version': '1.0.3',
      'content-type': 'application/json',
      ...headers,
    },
    body: JSON.stringify(body),
  });
}

describe('ingest stub', () => {
  const ingest = createIngestStub({ homePage: HOME, sessions: [{ id: 's1', token: 't1' }] });

  it('needs the session token and an xAPI version header', async () => {
    const s = makeStatement(scope, 'launched');
    expect((await post(ingest, s, { authorization: 'Bearer nope' })).status).toBe(401);
    expect((await post(ingest, s, { 'x-experience-api-version': '0.95' })).status).toBe(400);
    expect((await post(ingest, s, { 'x-experience-api-version': '2.0.0' })).status).toBe(200);
  });

  it('takes one statement or an array, stores an id once, and refuses the same id with another body', async () => {
    const a = makeStatement(scope, 'initialized');
    const b = makeStatement(scope, 'progressed', undefined, { progress: 0.5 });
    expect((await post(ingest, [a, b])).status).toBe(200);
    expect((await post(ingest, a)).status).toBe(200);
    const count = ingest.statements().filter((s) => s.id === a.id).length;
    expect(count).toBe(1);
    const changed = await post(ingest, { ...a, timestamp: new Date(0).toISOString() });
    expect(changed.status).toBe(409);
  });

  it('refuses any personal actor with pii_not_accepted, and another session’s actor', async () => {
    const s = makeStatement(scope, 'launched');
    for (const extra of [
      { mbox: 'mailto:jane@example.com' },
      { name: 'Jane Doe' },
      { openid: 'https://id/jane' },
    ]) {
      const res = await post(ingest, { ...s, actor: { ...s.actor, ...extra } });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 'pii_not_accepted' } });
    }
    const other = makeStatement({ ...scope, sessionId: 's2' }, 'launched');
    expect((await post(ingest, other)).status).toBe(400);
  });
});
