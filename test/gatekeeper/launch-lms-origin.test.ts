import { describe, expect, it } from 'vitest';
import { listLaunchEvents } from '../../gatekeeper/db/launch-events.js';
import { courses } from '../../gatekeeper/db/schema.js';
import { createTestApp, TEST_CONTENT_URL, type TestApp, testOrgOrigin } from '../helpers/gatekeeper.js';

const LMS = 'https://lms.example.com';
const OTHER = 'https://other-lms.example.com';
/** Stands for the org's own content origin in `setup`'s allowed origins. */
const OWN = 'own-content-origin';

async function setup(allowedOrigins?: string[]) {
  const t = await createTestApp();
  const a = await t.org('Acme');
  const { course } = await t.liveCourse(a.org.id, 'intro', 'index.html');
  const content = testOrgOrigin(a.org.id);
  const origins = allowedOrigins?.map((o) => (o === OWN ? content : o));
  const res = await t.call('POST', '/v1/licenses', {
    key: a.owner.key,
    body: { courseId: course.id, clientName: 'Client LMS', ...(origins ? { allowedOrigins: origins } : {}) },
  });
  const { token } = (await res.json()) as { token: string };
  return { t, token, content };
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
    const { t, token, content: TEST_CONTENT_URL } = await setup([LMS]);
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
    const restricted = await setup([LMS, OWN]);
    expect((await launch(restricted.t, restricted.token, restricted.content)).code).toBe(
      'origin_not_allowed',
    );
    const open = await setup();
    expect((await launch(open.t, open.token, open.content)).status).toBe(200);
  });

  it('a claim that is not exactly an origin counts as none', async () => {
    const { t, token, content } = await setup([LMS]);
    for (const claim of [`${LMS}/course?actor=x`, 'null', 'javascript:alert(1)', `${LMS}/`])
      expect((await launch(t, token, content, claim)).code, claim).toBe('origin_not_allowed');
  });

  it("counts the claim only from the license's own org's content origin: another org's page is judged as itself", async () => {
    const { t, token } = await setup([LMS]);
    const other = await t.org('Other');
    const theirs = testOrgOrigin(other.org.id);
    expect((await launch(t, token, theirs, LMS)).code).toBe('origin_not_allowed');
    expect(await lastOrigin(t)).toBe(theirs);
    // The shared origin of older deployments counts only for a course it still serves.
    expect((await launch(t, token, TEST_CONTENT_URL, LMS)).code).toBe('origin_not_allowed');
    await t.db.orm.update(courses).set({ sharedOrigin: 1 });
    expect((await launch(t, token, TEST_CONTENT_URL, LMS)).status).toBe(200);
    expect(await lastOrigin(t)).toBe(LMS);
  });
});
