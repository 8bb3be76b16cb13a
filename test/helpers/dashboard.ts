import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { createCourseOf } from '../../gatekeeper/courses/service.js';
import { hashPassword, sha256Hex } from '../../gatekeeper/crypto.js';
import { setLiveDeploymentStatement } from '../../gatekeeper/db/courses.js';
import { DATABASE_FILE } from '../../gatekeeper/db/database-file.js';
import { createDeployment } from '../../gatekeeper/db/deployments.js';
import { insertLaunchEventStatement } from '../../gatekeeper/db/launch-events.js';
import { type Member, setMemberPassword } from '../../gatekeeper/db/members.js';
import { openSqlite } from '../../gatekeeper/db/open-sqlite.js';
import { errorEvents } from '../../gatekeeper/db/schema.js';
import { deploymentKey } from '../../gatekeeper/deployments/keys.js';
import { issueLicense } from '../../gatekeeper/licenses/service.js';
import { addMember } from '../../gatekeeper/members/service.js';
import { createOrgWithOwner } from '../../gatekeeper/orgs/service.js';
import { createStorage } from '../../gatekeeper/storage/factory.js';
import { startGatekeeper, TEST_PUBLIC_URL, type TestApp } from './gatekeeper.js';

export const XSS = '<img src=x onerror=alert(1)>';
export const OWNER_PASSWORD = 'owner-password-123';
export const MEMBER_PASSWORD = 'member-password-123';
const DAY = 86_400_000;

/**
 * A running Gatekeeper with an organisation seeded through the services: an owner and a member with
 * dashboard passwords, a course whose title is an XSS probe (unless `courseTitle` says otherwise) with a live and a staged deployment, a
 * second course, a license, and two weeks of launches and errors for the charts.
 */
export async function startDashboardFixture(options: { courseTitle?: string } = {}) {
  const gk = await startGatekeeper();
  const db = await openSqlite({ file: join(gk.dataDir, DATABASE_FILE) });
  const now = Date.now();
  const services = { db, now: () => new Date(now) };
  const { org, owner, key } = await createOrgWithOwner(services, {
    name: 'Acme Learning',
    owner: { email: 'owner@acme.test', password: OWNER_PASSWORD },
    keyName: 'owner',
  });
  const member = await addMember(
    services,
    { orgId: org.id, memberId: 'cli' },
    { email: 'member@acme.test', role: 'member', password: MEMBER_PASSWORD },
  );
  const course = await createCourseOf(
    { db, now: () => new Date(now - 9 * DAY) },
    { orgId: org.id },
    {
      slug: 'safety',
      title: options.courseTitle ?? XSS,
    },
  );
  const other = await createCourseOf(
    services,
    { orgId: org.id },
    { slug: 'onboarding', title: 'Onboarding 101' },
  );
  const page = '<!doctype html><title>Safety</title><p>Safety first.</p>';
  const files = [{ path: 'index.html', sha256: sha256Hex(page), size: Buffer.byteLength(page) }];
  const v1 = await createDeployment(db, {
    orgId: org.id,
    courseId: course.id,
    entry: 'index.html',
    files,
    status: 'live',
    now: now - 8 * DAY,
  });
  const v2 = await createDeployment(db, {
    orgId: org.id,
    courseId: course.id,
    entry: 'index.html',
    files,
    status: 'staged',
    now: now - DAY,
  });
  await db.batch([setLiveDeploymentStatement(db, course.id, v1.id)]);
  // The files themselves, where the server's fs storage reads them: exports stream them from there.
  const storage = await createStorage({ driver: 'fs', root: join(gk.dataDir, 'content') });
  for (const d of [v1, v2])
    await storage.put(deploymentKey(course.id, d.id, 'index.html'), new TextEncoder().encode(page), {
      contentType: 'text/html; charset=utf-8',
    });
  const license = await issueLicense(
    { db, now: () => new Date(now - 10 * DAY) },
    { orgId: org.id, memberId: owner.id },
    { courseId: course.id, clientName: 'Globex LMS' },
  );
  const history = [];
  for (let d = 0; d < 14; d++) {
    for (let i = 0; i < ((d * 7) % 5) + 1; i++)
      history.push(
        insertLaunchEventStatement(db, {
          licenseId: license.id,
          orgId: org.id,
          allowed: i % 4 !== 3,
          reason: i % 4 !== 3 ? 'ok' : 'origin_not_allowed',
          detail: null,
          origin: 'https://lms.globex.test',
          standard: 'scorm12',
          sessionId: null,
          at: now - d * DAY - i * 60_000,
        }),
      );
    if (d % 3 === 0)
      history.push(
        db.orm.insert(errorEvents).values({
          sessionId: null,
          orgId: org.id,
          courseId: course.id,
          code: 'lms_commit_failed',
          message: 'LMSCommit returned false',
          // One group per day: ingest keys groups by course, deployment and fingerprint.
          fingerprint: `seed-${d}`,
          count: 1,
          url: 'https://content.test/index.html',
          at: now - d * DAY,
        }),
      );
  }
  await db.batch(history);

  const base = `${gk.url}/dashboard`;
  return {
    gk,
    db,
    base,
    org,
    /** The org's content origin (`org-<uuid>.localhost`), where its previews and cmi5 launch page are. */
    contentUrl: gk.orgContentUrl!.replace('{org}', org.id.replace(/^org_/, 'org-')),
    owner,
    /** The owner's API key, for the CLI (`coursegate deploy`) against this Gatekeeper. */
    key,
    member,
    course,
    other,
    v1,
    v2,
    license,
    /** Signs in through the login form. */
    async login(page: Page, who: 'owner' | 'member' = 'owner') {
      await page.goto(`${base}/login`);
      await page.getByLabel('Email').fill(who === 'owner' ? owner.email : member.email);
      await page.getByLabel('Password').fill(who === 'owner' ? OWNER_PASSWORD : MEMBER_PASSWORD);
      await Promise.all([page.waitForURL(base), page.getByRole('button', { name: 'Sign in' }).click()]);
    },
    async close() {
      await db.close();
      await gk.close();
    },
  };
}

export type DashboardFixture = Awaited<ReturnType<typeof startDashboardFixture>>;

/**
 * Signs `who` in to the dashboard of an in-memory test app through the login form (a fresh password set
 * first); the answer sends dashboard requests with its cookie, and each POST with its own CSRF token.
 */
export async function dashboardSignIn(t: TestApp, who: Pick<Member, 'id' | 'email'>) {
  const password = 'a-good-long-password';
  const origin = new URL(TEST_PUBLIC_URL).origin;
  await setMemberPassword(t.db, who.id, await hashPassword(password));
  const form = await t.app.request('/dashboard/login');
  const loginCookie = (form.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const loginCsrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
  const signedIn = await t.app.request('/dashboard/login', {
    method: 'POST',
    headers: { origin, cookie: loginCookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: loginCsrf, email: who.email, password }),
  });
  if (signedIn.status !== 303) throw new Error(`dashboard sign-in answered ${signedIn.status}`);
  const cookie = (signedIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const page = await t.app.request('/dashboard/licenses', { headers: { cookie } });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  if (!csrf) throw new Error('no CSRF token on the dashboard page');
  return (method: string, path: string, fields: Record<string, string> = {}) =>
    t.app.request(`/dashboard${path}`, {
      method,
      headers: { cookie, origin, 'content-type': 'application/x-www-form-urlencoded' },
      ...(method === 'POST' ? { body: new URLSearchParams({ _csrf: csrf, ...fields }) } : {}),
    });
}
