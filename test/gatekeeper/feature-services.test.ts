import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApiKeyFor, revokeApiKeyOf } from '../../gatekeeper/api-keys/service.js';
import { createCourseOf, loadCourse } from '../../gatekeeper/courses/service.js';
import { listAuditEvents } from '../../gatekeeper/db/audit-events.js';
import { createDeployment } from '../../gatekeeper/db/deployments.js';
import { GatekeeperError } from '../../gatekeeper/errors.js';
import { createIngestKeyFor, revokeIngestKeyOf } from '../../gatekeeper/ingest-keys/service.js';
import { createStorage } from '../../gatekeeper/storage/factory.js';
import { dashboardSignIn } from '../helpers/dashboard.js';
import { createTestApp } from '../helpers/gatekeeper.js';

/** Two orgs, Acme with a live course and a staged (finalized, not live) second deployment of it. */
async function setup() {
  const t = await createTestApp({
    storage: await createStorage({ driver: 'fs', root: mkdtempSync(join(tmpdir(), 'cg-fs-')) }),
  });
  const acme = await t.org('Acme');
  const globex = await t.org('Globex');
  const { course, deployment } = await t.liveCourse(acme.org.id, 'intro');
  const staged = await createDeployment(t.db, {
    orgId: acme.org.id,
    courseId: course.id,
    entry: 'index.html',
    files: [{ path: 'index.html', sha256: '0'.repeat(64), size: 1 }],
    status: 'staged',
    now: t.clock.now.getTime(),
  });
  const other = await t.liveCourse(acme.org.id, 'other');
  const services = { db: t.db, now: () => t.clock.now };
  const owner = { orgId: acme.org.id, memberId: acme.owner.member.id };
  const dashboard = await dashboardSignIn(t, acme.owner.member);
  const memberDashboard = await dashboardSignIn(t, acme.member.member);
  return { t, acme, globex, course, deployment, staged, other, services, owner, dashboard, memberDashboard };
}

const codeOf = async (p: Promise<unknown>) => {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(GatekeeperError);
  return (err as GatekeeperError).code;
};
const apiCode = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;
const alertOf = async (res: Response) => /role="alert"[^>]*>\s*([^<]*)/.exec(await res.text())?.[1]?.trim();

describe('courses: one service for the API, the seeders and the demo', () => {
  it('refuses a slug the org has, a malformed slug, and finds courses by id or slug in its org only', async () => {
    const s = await setup();
    expect(await codeOf(createCourseOf(s.services, s.owner, { slug: 'intro', title: 'Again' }))).toBe(
      'slug_taken',
    );
    const api = await s.t.call('POST', '/v1/courses', {
      key: s.acme.owner.key,
      body: { slug: 'intro', title: 'Again' },
    });
    expect(api.status).toBe(409);
    expect(await apiCode(api)).toBe('slug_taken');
    expect(await codeOf(createCourseOf(s.services, s.owner, { slug: 'Not A Slug', title: 'x' }))).toBe(
      'invalid_request',
    );
    expect((await loadCourse(s.services, s.owner, 'intro')).id).toBe(s.course.id);
    expect(await codeOf(loadCourse(s.services, { orgId: s.globex.org.id }, s.course.id))).toBe(
      'course_not_found',
    );
    // Another org may take the same slug.
    const theirs = await createCourseOf(
      s.services,
      { orgId: s.globex.org.id },
      { slug: 'intro', title: 'I' },
    );
    expect(theirs.slug).toBe('intro');
  });
});

describe('preview links: one rule for the API and the dashboard', () => {
  it('a link made on the dashboard opens the deployment, and revoking it through the API closes it', async () => {
    const s = await setup();
    const page = await s.dashboard('POST', `/courses/${s.course.id}/deployments/${s.staged.id}/preview`);
    expect(page.status).toBe(200);
    const url = /id="preview-url" href="([^"]+)"/.exec(await page.text())?.[1] ?? '';
    expect(url).toContain('/preview/');
    const open = await s.t.app.request(new URL(url).pathname);
    expect(open.status).toBe(302);
    expect(open.headers.get('location')).toContain(s.staged.id);
    const id = new URL(url).pathname.split('/').pop()!.split('.')[0]!;
    expect((await s.t.call('DELETE', `/v1/previews/${id}`, { key: s.acme.owner.key })).status).toBe(200);
    expect((await s.t.app.request(new URL(url).pathname)).status).toBe(404);
  });

  it('the dashboard refuses a deployment of another course as the API refuses an unknown one', async () => {
    const s = await setup();
    const page = await s.dashboard(
      'POST',
      `/courses/${s.other.course.id}/deployments/${s.staged.id}/preview`,
    );
    expect(page.status).toBe(404);
    expect(await alertOf(page)).toBe('No such deployment of this course');
    const api = await s.t.call('POST', `/v1/deployments/dep_nope/previews`, {
      key: s.acme.owner.key,
      body: {},
    });
    expect(api.status).toBe(404);
    expect(await apiCode(api)).toBe('deployment_not_found');
  });
});

describe('promote and roll back: one rule for the API and the dashboard', () => {
  it('both refuse a blank reason with the same code, and both audit a promotion alike', async () => {
    const s = await setup();
    const blank = await s.dashboard('POST', `/courses/${s.course.id}/promote`, {
      deployment: s.staged.id,
      reason: '  ',
    });
    const api = await s.t.call('POST', `/v1/courses/${s.course.id}/promote`, {
      key: s.acme.owner.key,
      body: { deployment: s.staged.id, reason: ' ' },
    });
    expect(blank.status).toBe(api.status);
    expect(await apiCode(api)).toBe('reason_required');
    expect(await alertOf(blank)).toBe('Give a reason for this change');
    const none = await s.dashboard('POST', `/courses/${s.course.id}/promote`, {
      reason: 'no target',
      expectedLive: s.deployment.id,
    });
    expect(none.status).toBe(404);
    expect(await alertOf(none)).toBe('No such deployment of this course');
    const done = await s.dashboard('POST', `/courses/${s.course.id}/promote`, {
      deployment: s.staged.id,
      reason: 'v2 approved',
      expectedLive: s.deployment.id,
    });
    expect(done.status).toBe(303);
    const back = await s.dashboard('POST', `/courses/${s.course.id}/rollback`, {
      reason: 'broken',
      expectedLive: s.staged.id,
    });
    expect(back.status).toBe(303);
    const events = (await listAuditEvents(s.t.db, s.acme.org.id)).filter((e) => e.subject === s.course.id);
    expect(events.map((e) => [e.action, e.fromValue, e.toValue, e.reason])).toEqual([
      ['deployment.rollback', s.staged.id, s.deployment.id, 'broken'],
      ['deployment.promote', s.deployment.id, s.staged.id, 'v2 approved'],
    ]);
  });
});

describe('API keys: one rule for the API, the dashboard and the seeders', () => {
  it('a key is for a member of the org, and another org cannot revoke it from either side', async () => {
    const s = await setup();
    expect(
      await codeOf(createApiKeyFor(s.services, s.owner, { name: 'x', memberId: s.globex.owner.member.id })),
    ).toBe('member_not_found');
    const { row } = await createApiKeyFor(s.services, s.owner, { name: 'ci' });
    expect(
      await codeOf(
        revokeApiKeyOf(s.services, { orgId: s.globex.org.id, memberId: s.globex.owner.member.id }, row.id),
      ),
    ).toBe('api_key_not_found');
    const globexDashboard = await dashboardSignIn(s.t, s.globex.owner.member);
    const refused = await globexDashboard('POST', `/members/keys/${row.id}/revoke`);
    expect(refused.status).toBe(404);
    expect(await alertOf(refused)).toBe('No such API key');
    expect((await s.dashboard('POST', `/members/keys/${row.id}/revoke`)).status).toBe(303);
    expect((await revokeApiKeyOf(s.services, s.owner, row.id)).revokedAt).not.toBeNull();
  });
});

describe('ingest keys: one rule with its audit events', () => {
  it('creating and revoking are audited once each, whoever calls, and a revoked key stays revoked', async () => {
    const s = await setup();
    const { row } = await createIngestKeyFor(s.services, s.owner, { course: 'intro' });
    await revokeIngestKeyOf(s.services, s.owner, { course: s.course.id, id: row.id });
    const again = await s.t.call('DELETE', `/v1/courses/intro/ingest-keys/${row.id}`, {
      key: s.acme.owner.key,
    });
    expect(again.status).toBe(200);
    const events = (await listAuditEvents(s.t.db, s.acme.org.id)).filter((e) => e.subject === row.id);
    expect(events.map((e) => e.action).sort()).toEqual(['ingest_key.create', 'ingest_key.revoke']);
    expect(
      await codeOf(revokeIngestKeyOf(s.services, s.owner, { course: s.other.course.id, id: row.id })),
    ).toBe('ingest_key_not_found');
  });
});

describe('gated packages: the dashboard calls the service, not the API route', () => {
  it('answers the API route’s refusal for a course with nothing live, and without the scripts says so', async () => {
    const s = await setup();
    const course = await createCourseOf(s.services, s.owner, { slug: 'empty', title: 'Empty' });
    const issued = await s.t.call('POST', '/v1/licenses', {
      key: s.acme.owner.key,
      body: { courseId: course.id, clientName: 'LMS' },
    });
    const license = ((await issued.json()) as { license: { id: string } }).license.id;
    const api = await s.t.call('GET', `/v1/licenses/${license}/package`, { key: s.acme.member.key });
    const page = await s.memberDashboard('GET', `/licenses/${license}/package?format=scorm12`);
    expect(page.status).toBe(api.status);
    expect(await apiCode(api)).toBe('no_live_deployment');
    expect(await alertOf(page)).toBe('The course has no live deployment yet');
    const unknown = await s.memberDashboard('GET', '/licenses/lic_nope/package');
    expect(unknown.status).toBe(404);
    expect(await alertOf(unknown)).toBe('No such license');
  });
});
