import { expect } from 'vitest';
import { createTestApp, TEST_PUBLIC_URL, type TestApp } from '../helpers/gatekeeper.js';

/** An org with a live course, a license and launched sessions, on an in-memory Gatekeeper. */
export async function ingestSetup(t?: TestApp) {
  const app = t ?? (await createTestApp());
  const a = await app.org('Acme');
  const { course, deployment } = await app.liveCourse(a.org.id, 'intro');
  const res = await app.call('POST', '/v1/licenses', {
    key: a.owner.key,
    body: { courseId: course.id, clientName: 'Client LMS' },
  });
  expect(res.status).toBe(201);
  const { token, license } = (await res.json()) as { token: string; license: { id: string } };
  async function launch(standard = 'scorm12') {
    const r = await app.call('POST', '/v1/launch', { body: { token, standard } });
    expect(r.status).toBe(200);
    return ((await r.json()) as { session: { id: string; token: string } }).session;
  }
  return { t: app, a, course, deployment, license, launch };
}

export type IngestSetup = Awaited<ReturnType<typeof ingestSetup>>;

/** A valid statement about `sessionId`'s anonymous actor. */
export function statement(sessionId: string, overrides: Record<string, unknown> = {}) {
  return {
    id: crypto.randomUUID(),
    actor: { objectType: 'Agent', account: { homePage: TEST_PUBLIC_URL, name: sessionId } },
    verb: { id: 'http://adlnet.gov/expapi/verbs/progressed' },
    object: { objectType: 'Activity', id: `${TEST_PUBLIC_URL}/courses/intro` },
    timestamp: '2026-03-01T12:00:00.000Z',
    ...overrides,
  };
}

/** POSTs statements with a session token. */
export function postStatements(t: TestApp, token: string, body: unknown, version = '1.0.3') {
  return t.call('POST', '/xapi/statements', {
    body,
    headers: { authorization: `Bearer ${token}`, 'x-experience-api-version': version },
  });
}

/** A valid error report (`POST /v1/errors`), with a fresh id. */
export function errorReport(overrides: Record<string, unknown> = {}) {
  return {
    id: crypto.randomUUID(),
    fingerprint: 'abc123',
    kind: 'error',
    message: 'TypeError: x is undefined',
    count: 1,
    firstAt: '2026-03-01T11:59:00.000Z',
    lastAt: '2026-03-01T11:59:30.000Z',
    course: 'intro',
    breadcrumbs: [],
    ...overrides,
  };
}
