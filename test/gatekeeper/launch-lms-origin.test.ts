import { describe, expect, it } from 'vitest';
import { listLaunchEvents } from '../../gatekeeper/db/launch-events.js';
import { createTestApp, TEST_CONTENT_URL, type TestApp } from '../helpers/gatekeeper.js';

const LMS = 'https://lms.example.com';
const OTHER = 'https://other-lms.example.com';

async function setup(allowedOrigins?: string[]) {
  const t = await createTestApp();
  const a = await t.org('Acme');
  const { course } = await t.liveCourse(a.org.id, 'intro', 'index.html');
  const res = await t.call('POST', '/v1/licenses', {
    key: a.owner.key,
    body: { courseId: course.id, clientName: 'Client LMS', ...(allowedOrigins ? { allowedOrigins } : {}) },
  });
  const { token } = (await res.json()) as { token: string };
  return { t, token };
}

/** A launch as the gated cmi5 launch page sends it (or as someone else might try to). */
async function launch(t: TestApp, token: string, origin: string | undefined, lmsOrigin?: string) {
  const res = await t.call('POST', '/v1/launch', {
    body: { token, standard: 'cmi5', ...(lmsOrigin === undefined ? {} : { lmsOrigin }) },
    ...(origin ? { headers: { origin } } : {}),
  });
  const body = (await res.json()) as { error?: { code: string } };
  return { status: res.status, code: body.error?.code };
}

async function lastOrigin(t: TestApp) {
  const events = await listLaunchEvents(t.db);
  return events[events.length - 1]?.origin;
}

describe('POST /v1/launch from the cmi5 launch page: the claimed LMS origin', () => {
  it('counts the claimed LMS origin when the request comes from the content origin', async () => {
    const { t, token } = await setup([LMS]);
    expect(await launch(t, token, TEST_CONTENT_URL, LMS)).toEqual({ status: 200, code: undefined });
    // What is recorded is the origin the license was judged on: the LMS's.
    expect(await lastOrigin(t)).toBe(LMS);
    expect(await launch(t, token, TEST_CONTENT_URL, OTHER)).toEqual({
      status: 403,
      code: 'origin_not_allowed',
    });
  });

  it('ignores the claim from any other origin: the request Origin is judged, as for the SCORM stub', async () => {
    const { t, token } = await setup([LMS]);
    expect((await launch(t, token, OTHER, LMS)).code).toBe('origin_not_allowed');
    expect(await lastOrigin(t)).toBe(OTHER);
    expect((await launch(t, token, undefined, LMS)).code).toBe('origin_not_allowed');
    expect((await launch(t, token, LMS, OTHER)).status).toBe(200);
  });

  it('without a claim (no referrer) the content origin counts as no origin, like a Referer-less navigation', async () => {
    const restricted = await setup([LMS, TEST_CONTENT_URL]);
    expect((await launch(restricted.t, restricted.token, TEST_CONTENT_URL)).code).toBe('origin_not_allowed');
    const open = await setup();
    expect((await launch(open.t, open.token, TEST_CONTENT_URL)).status).toBe(200);
  });

  it('a claim that is not exactly an origin counts as none', async () => {
    const { t, token } = await setup([LMS]);
    for (const claim of [`${LMS}/course?actor=x`, 'null', 'javascript:alert(1)', `${LMS}/`])
      expect((await launch(t, token, TEST_CONTENT_URL, claim)).code, claim).toBe('origin_not_allowed');
  });
});
