import { describe, expect, it } from 'vitest';
import { getSession } from '../../gatekeeper/db/sessions.js';
import { createTokenBucket } from '../../gatekeeper/http/rate-limit.js';
import { createTestApp, TEST_CONTENT_URL, type TestApp } from '../helpers/gatekeeper.js';
import { onWorker } from '../helpers/worker-target.js';
import { type IngestSetup, ingestSetup, postStatements, statement } from './ingest-setup.js';

type Json = Record<string, unknown>;
const LMS_ORIGIN = 'https://lms.client.test';

async function createKey(t: TestApp, key: string, courseId: string, name?: string) {
  const res = await t.call('POST', `/v1/courses/${courseId}/ingest-keys`, {
    key,
    body: name === undefined ? {} : { name },
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { key: string; ingestKey: Json & { id: string } };
}

/** Statements stored for the org, as its owner reads them back. */
async function storedStatements(s: IngestSetup, query = '') {
  const res = await s.t.call('GET', `/xapi/statements?limit=500${query}`, { key: s.a.owner.key });
  expect(res.status).toBe(200);
  return ((await res.json()) as { statements: Json[] }).statements;
}

function sendErrors(t: TestApp, credential: string, errors: unknown[]) {
  return t.call('POST', '/v1/errors', {
    body: { errors },
    headers: { authorization: `Bearer ${credential}` },
  });
}

const report = (course: string) => ({
  id: crypto.randomUUID(),
  fingerprint: 'f1',
  kind: 'error',
  message: 'TypeError: boom',
  count: 2,
  firstAt: '2026-03-01T11:59:00.000Z',
  lastAt: '2026-03-01T11:59:30.000Z',
  course,
  breadcrumbs: [],
});

describe('per-course ingest keys: create, list, revoke', () => {
  it('shows the key once, lists it without secret, and revokes it', async () => {
    const s = await ingestSetup();
    const { key, ingestKey } = await createKey(s.t, s.a.owner.key, s.course.id, 'portable 2026');
    expect(key).toMatch(/^cgi_[A-Za-z0-9_-]{43}$/);
    expect(ingestKey).toMatchObject({
      courseId: s.course.id,
      name: 'portable 2026',
      prefix: key.slice(0, 12),
      createdBy: s.a.owner.member.id,
      revokedAt: null,
    });
    const list = await s.t.call('GET', `/v1/courses/${s.course.id}/ingest-keys`, { key: s.a.owner.key });
    const text = await list.text();
    expect(text).not.toContain(key);
    expect(text).not.toMatch(/"hash"/);
    expect((JSON.parse(text) as { ingestKeys: Json[] }).ingestKeys).toEqual([ingestKey]);

    const revoked = await s.t.call('DELETE', `/v1/courses/${s.course.id}/ingest-keys/${ingestKey.id}`, {
      key: s.a.owner.key,
    });
    expect(revoked.status).toBe(200);
    expect(((await revoked.json()) as Json).revokedAt).toBe(s.t.clock.now.toISOString());
    const again = await s.t.call('GET', `/v1/courses/${s.course.id}/ingest-keys`, { key: s.a.owner.key });
    expect(((await again.json()) as { ingestKeys: Json[] }).ingestKeys[0]?.revokedAt).not.toBeNull();
  });

  it('is for owners only, and another org cannot see or revoke a course key', async () => {
    const s = await ingestSetup();
    const { ingestKey } = await createKey(s.t, s.a.owner.key, s.course.id);
    const asMember = await s.t.call('POST', `/v1/courses/${s.course.id}/ingest-keys`, {
      key: s.a.member.key,
      body: {},
    });
    expect(asMember.status).toBe(403);
    const b = await s.t.org('Other');
    for (const [method, path] of [
      ['GET', `/v1/courses/${s.course.id}/ingest-keys`],
      ['DELETE', `/v1/courses/${s.course.id}/ingest-keys/${ingestKey.id}`],
    ] as const) {
      const res = await s.t.call(method, path, { key: b.owner.key });
      expect(res.status).toBe(404);
    }
  });
});

describe('ingest with an ingest key (portable packages)', () => {
  it('opens an anonymous session on first sight and stores its statements and errors', async () => {
    const s = await ingestSetup();
    const { key, ingestKey } = await createKey(s.t, s.a.owner.key, s.course.id);
    const sessionId = crypto.randomUUID();
    const credential = `${key}.${sessionId}`;
    const sent = [
      statement(sessionId),
      statement(sessionId, { verb: { id: 'http://adlnet.gov/expapi/verbs/completed' } }),
    ];
    const res = await postStatements(s.t, credential, sent);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(sent.map((x) => x.id));
    // The same session again (a later page load): the same session, not a second one.
    expect((await postStatements(s.t, credential, [statement(sessionId)])).status).toBe(200);

    const stored = await storedStatements(s, `&session=${sessionId}`);
    expect(stored).toHaveLength(3);
    expect(new Set(stored.map((x) => (x.actor as { account: { name: string } }).account.name))).toEqual(
      new Set([sessionId]),
    );
    const completions = await s.t.call('GET', `/v1/courses/${s.course.id}/completions`, {
      key: s.a.owner.key,
    });
    expect(((await completions.json()) as { completions: Json[] }).completions).toMatchObject([
      { sessionId, completed: true },
    ]);

    expect((await sendErrors(s.t, credential, [report('intro')])).status).toBe(200);
    const errors = await s.t.call('GET', `/v1/courses/${s.course.id}/errors`, { key: s.a.owner.key });
    expect(((await errors.json()) as { errors: Json[] }).errors).toMatchObject([
      { fingerprint: 'f1', count: 2 },
    ]);
    expect(await getSession(s.t.db, sessionId)).toMatchObject({
      orgId: s.a.org.id,
      courseId: s.course.id,
      licenseId: ingestKey.id,
      deploymentId: '',
      standard: 'portable',
    });
  });

  it('applies the gated rules: actor must be this session, PII refused, nothing stored', async () => {
    const s = await ingestSetup();
    const { key } = await createKey(s.t, s.a.owner.key, s.course.id);
    const sessionId = crypto.randomUUID();
    const credential = `${key}.${sessionId}`;
    const other = await postStatements(s.t, credential, [statement(crypto.randomUUID())]);
    expect(other.status).toBe(400);
    const pii = await postStatements(s.t, credential, [
      statement(sessionId, {
        actor: {
          objectType: 'Agent',
          name: 'Jane Doe',
          account: { homePage: 'http://localhost:8787', name: sessionId },
        },
      }),
    ]);
    expect(pii.status).toBe(400);
    expect(((await pii.json()) as { error: { code: string } }).error.code).toBe('pii_not_accepted');
    const mbox = await postStatements(s.t, credential, [
      statement(sessionId, { actor: { objectType: 'Agent', mbox: 'mailto:jane@example.com' } }),
    ]);
    expect(((await mbox.json()) as { error: { code: string } }).error.code).toBe('pii_not_accepted');
    expect(await storedStatements(s)).toEqual([]);
  });

  it('refuses a revoked key on the very next request (401 ingest_key_revoked) and stores nothing', async () => {
    const s = await ingestSetup();
    const { key, ingestKey } = await createKey(s.t, s.a.owner.key, s.course.id);
    const sessionId = crypto.randomUUID();
    expect((await postStatements(s.t, `${key}.${sessionId}`, [statement(sessionId)])).status).toBe(200);
    const del = await s.t.call('DELETE', `/v1/courses/${s.course.id}/ingest-keys/${ingestKey.id}`, {
      key: s.a.owner.key,
    });
    expect(del.status).toBe(200);

    const fresh = crypto.randomUUID();
    for (const [credential, id] of [
      [`${key}.${sessionId}`, sessionId],
      [`${key}.${fresh}`, fresh],
    ] as const) {
      const res = await postStatements(s.t, credential, [statement(id)]);
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('ingest_key_revoked');
      const errors = await sendErrors(s.t, credential, [report('intro')]);
      expect(errors.status).toBe(401);
      expect(((await errors.json()) as { error: { code: string } }).error.code).toBe('ingest_key_revoked');
    }
    expect(await storedStatements(s)).toHaveLength(1);
    const errors = await s.t.call('GET', `/v1/courses/${s.course.id}/errors`, { key: s.a.owner.key });
    expect(((await errors.json()) as { errors: Json[] }).errors).toEqual([]);
    expect(await getSession(s.t.db, fresh)).toBeUndefined();
  });

  it("cannot reach another course's or org's sessions, nor a launched session", async () => {
    const s = await ingestSetup();
    const { key } = await createKey(s.t, s.a.owner.key, s.course.id);
    const b = await s.t.org('Other');
    const other = await s.t.liveCourse(b.org.id, 'other');
    const { key: otherKey } = await createKey(s.t, b.owner.key, other.course.id);

    const sessionId = crypto.randomUUID();
    expect((await postStatements(s.t, `${key}.${sessionId}`, [statement(sessionId)])).status).toBe(200);
    // Org B's key presenting org A's session: refused, nothing lands.
    const cross = await postStatements(s.t, `${otherKey}.${sessionId}`, [statement(sessionId)]);
    expect(cross.status).toBe(401);
    // A launched session's id is not a key session.
    const launched = await s.launch();
    const res = await postStatements(s.t, `${key}.${launched.id}`, [statement(launched.id)]);
    expect(res.status).toBe(401);
    // Unknown keys and malformed credentials.
    for (const credential of [`cgi_${'x'.repeat(43)}.${sessionId}`, `${key}.not-a-uuid`, key]) {
      expect((await postStatements(s.t, credential, [statement(sessionId)])).status).toBe(401);
    }
    expect(await storedStatements(s)).toHaveLength(1);
    // Org B's key works for org B's course only: its statements are not org A's.
    const bSession = crypto.randomUUID();
    expect((await postStatements(s.t, `${otherKey}.${bSession}`, [statement(bSession)])).status).toBe(200);
    expect(await storedStatements(s)).toHaveLength(1);
  });

  it('answers CORS for any LMS origin when an ingest key is sent, and only then', async () => {
    const s = await ingestSetup();
    const { key } = await createKey(s.t, s.a.owner.key, s.course.id);
    const preflight = await s.t.request('/xapi/statements', {
      method: 'OPTIONS',
      headers: {
        origin: LMS_ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type,x-experience-api-version',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(LMS_ORIGIN);
    expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
    const sessionId = crypto.randomUUID();
    const withKey = await s.t.call('POST', '/xapi/statements', {
      body: [statement(sessionId)],
      headers: {
        authorization: `Bearer ${key}.${sessionId}`,
        'x-experience-api-version': '1.0.3',
        origin: LMS_ORIGIN,
      },
    });
    expect(withKey.status).toBe(200);
    expect(withKey.headers.get('access-control-allow-origin')).toBe(LMS_ORIGIN);
    // A session token's answer stays readable from the content origin only.
    const launched = await s.launch();
    const withToken = await s.t.call('POST', '/xapi/statements', {
      body: [statement(launched.id)],
      headers: {
        authorization: `Bearer ${launched.token}`,
        'x-experience-api-version': '1.0.3',
        origin: LMS_ORIGIN,
      },
    });
    expect(withToken.headers.get('access-control-allow-origin')).toBeNull();
    const fromContent = await s.t.call('POST', '/xapi/statements', {
      body: [statement(launched.id)],
      headers: {
        authorization: `Bearer ${launched.token}`,
        'x-experience-api-version': '1.0.3',
        origin: TEST_CONTENT_URL,
      },
    });
    expect(fromContent.headers.get('access-control-allow-origin')).toBe(TEST_CONTENT_URL);
  });

  // Rate-limit buckets are injected into the Node app; the Worker builds its own from its environment.
  it.skipIf(onWorker)(
    'bounds new sessions per key as launches are bounded per license (429); known sessions go on',
    async () => {
      const bucket = () => createTokenBucket({ capacity: 2, refillPerSecond: 1 });
      const s = await ingestSetup(
        await createTestApp({ limits: { perLicense: bucket(), perAddress: bucket() } }),
      );
      const { key } = await createKey(s.t, s.a.owner.key, s.course.id);
      const ids = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
      const answers = [];
      for (const id of ids) answers.push(await postStatements(s.t, `${key}.${id}`, [statement(id)]));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 429]);
      // One new session a second, the clock standing still.
      expect(answers[2]?.headers.get('retry-after')).toBe('1');
      const again = await postStatements(s.t, `${key}.${ids[0]}`, [statement(ids[0] as string)]);
      expect(again.status).toBe(200);
      expect(await getSession(s.t.db, ids[2] as string)).toBeUndefined();
    },
  );
});
