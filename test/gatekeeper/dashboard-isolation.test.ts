import { describe, expect, it } from 'vitest';
import { listApiKeys } from '../../gatekeeper/db/api-keys.js';
import { createDeployment } from '../../gatekeeper/db/deployments.js';
import { exportDeployment } from '../../gatekeeper/deployments/export.js';
import { createWebhook, sendTestEvent } from '../../gatekeeper/webhooks/service.js';
import { dashboardSignIn } from '../helpers/dashboard.js';
import { tempFsStorage } from '../helpers/fs-storage.js';
import { createTestApp } from '../helpers/gatekeeper.js';
import { errorReport } from './ingest-setup.js';

/** Org A with a live course, a staged deployment, a license and a member's key; org B signed in. */
async function setup() {
  const storage = await tempFsStorage();
  const t = await createTestApp({ storage, exportPackage: exportDeployment });
  const a = await t.org('Org A');
  const b = await t.org('Org B');
  const { course, deployment } = await t.liveCourse(a.org.id, 'a-course');
  await storage.put(`courses/${course.id}/${deployment.id}/index.html`, 'x');
  const staged = await createDeployment(t.db, {
    orgId: a.org.id,
    courseId: course.id,
    entry: 'index.html',
    files: [],
    now: t.clock.now.getTime(),
  });
  const lic = await t.call('POST', '/v1/licenses', {
    key: a.owner.key,
    body: { courseId: course.id, clientName: 'A client' },
  });
  const { license: licensed, token } = (await lic.json()) as { license: { id: string }; token: string };
  const license = licensed.id;
  // One error group of org A's course, for the error group page.
  const launched = await t.call('POST', '/v1/launch', { body: { token, standard: 'scorm12' } });
  const session = ((await launched.json()) as { session: { token: string } }).session;
  await t.call('POST', '/v1/errors', {
    body: { errors: [errorReport()] },
    headers: { authorization: `Bearer ${session.token}` },
  });
  const key = (await listApiKeys(t.db, a.org.id)).find((k) => k.memberId === a.member.member.id)!.id;
  // A webhook endpoint of org A with one delivery, for the webhook pages.
  const webhookDeps = { db: t.db, now: () => t.clock.now, policy: { allowHttpLoopback: false } };
  const owner = { orgId: a.org.id, memberId: a.owner.member.id };
  const webhook = (
    await createWebhook(webhookDeps, owner, { url: 'https://hooks.example.com/a', events: ['*'] })
  ).row.id;
  const webhookEvent = await sendTestEvent(webhookDeps, owner, webhook);

  const signIn = (who: typeof a.owner) => dashboardSignIn(t, who.member);
  const ids = {
    course: course.id,
    deployment: deployment.id,
    staged: staged.id,
    license,
    key,
    member: a.member.member.id,
    webhook,
    webhookEvent,
  };
  return { t, a, b, ids, signIn };
}

type Ids = Awaited<ReturnType<typeof setup>>['ids'];

/** Every dashboard route that names a resource, called with org A's ids and a valid form. */
const ROUTES: Record<string, (ids: Ids) => { path: string; form?: Record<string, string> }> = {
  'GET /dashboard/courses/:id': (ids) => ({ path: `/courses/${ids.course}` }),
  'GET /dashboard/courses/:id/export': (ids) => ({
    path: `/courses/${ids.course}/export?format=scorm12&deployment=${ids.deployment}`,
  }),
  'POST /dashboard/courses/:id/promote': (ids) => ({
    path: `/courses/${ids.course}/promote`,
    form: { deployment: ids.staged, reason: 'takeover', expectedLive: ids.deployment },
  }),
  'POST /dashboard/courses/:id/rollback': (ids) => ({
    path: `/courses/${ids.course}/rollback`,
    // Sent after the promote above, by org A's owner, from the deployment it made live.
    form: { reason: 'takeover', expectedLive: ids.staged },
  }),
  'POST /dashboard/courses/:id/deployments/:deployment/preview': (ids) => ({
    path: `/courses/${ids.course}/deployments/${ids.deployment}/preview`,
  }),
  'GET /dashboard/error-groups/:course/:fingerprint': (ids) => ({
    path: `/error-groups/${ids.course}/${errorReport().fingerprint}`,
  }),
  'GET /dashboard/licenses/:id': (ids) => ({ path: `/licenses/${ids.license}` }),
  'GET /dashboard/licenses/:id/package': (ids) => ({
    path: `/licenses/${ids.license}/package?format=scorm12`,
  }),
  'GET /dashboard/licenses/:id/revoke': (ids) => ({ path: `/licenses/${ids.license}/revoke` }),
  'POST /dashboard/licenses/:id/revoked': (ids) => ({
    path: `/licenses/${ids.license}/revoked`,
    form: { revoked: 'true' },
  }),
  'POST /dashboard/licenses/:id/extend': (ids) => ({
    path: `/licenses/${ids.license}/extend`,
    form: { expiresAt: '2030-01-01' },
  }),
  'POST /dashboard/licenses/:id/reissue': (ids) => ({ path: `/licenses/${ids.license}/reissue` }),
  'GET /dashboard/webhooks/:id': (ids) => ({ path: `/webhooks/${ids.webhook}` }),
  'POST /dashboard/webhooks/:id/test': (ids) => ({ path: `/webhooks/${ids.webhook}/test` }),
  'POST /dashboard/webhooks/:id/deliveries/:eventId/redeliver': (ids) => ({
    path: `/webhooks/${ids.webhook}/deliveries/${ids.webhookEvent}/redeliver`,
  }),
  'POST /dashboard/webhooks/:id/rotate': (ids) => ({ path: `/webhooks/${ids.webhook}/rotate` }),
  'POST /dashboard/webhooks/:id/delete': (ids) => ({ path: `/webhooks/${ids.webhook}/delete` }),
  'POST /dashboard/members/keys/:id/revoke': (ids) => ({ path: `/members/keys/${ids.key}/revoke` }),
  // After the key above: removing the member takes their keys.
  'POST /dashboard/members/:id/role': (ids) => ({
    path: `/members/${ids.member}/role`,
    form: { role: 'member' },
  }),
  'POST /dashboard/members/:id/remove': (ids) => ({ path: `/members/${ids.member}/remove` }),
};

describe('dashboard org isolation', () => {
  it("covers every dashboard route that names a resource, and answers org B's owner 404 on each of org A's", async () => {
    const { t, a, b, ids, signIn } = await setup();
    const asB = await signIn(b.owner);
    const named = [
      ...new Set(
        t.app.routes
          .filter((r) => r.method !== 'ALL' && r.path.startsWith('/dashboard/') && r.path.includes('/:'))
          .map((r) => `${r.method} ${r.path}`),
      ),
    ].sort();
    expect(named).toEqual(Object.keys(ROUTES).sort());

    for (const [route, call] of Object.entries(ROUTES)) {
      const { path, form } = call(ids);
      const res = await asB(route.split(' ')[0]!, path, form);
      expect([route, res.status]).toEqual([route, 404]);
    }

    // Nothing of org A changed: its license still launches with its first token, its key still works,
    // and its live deployment is the one it was.
    const license = await t.call('GET', `/v1/licenses/${ids.license}`, { key: a.owner.key });
    expect(((await license.json()) as { license: object }).license).toMatchObject({
      status: 'active',
      expiresAt: null,
    });
    expect((await t.call('GET', '/v1/org', { key: a.member.key })).status).toBe(200);
    const course = await t.call('GET', `/v1/courses/${ids.course}`, { key: a.owner.key });
    expect(await course.json()).toMatchObject({ liveDeploymentId: ids.deployment });
  });

  it("shows org B none of org A's records on its list pages", async () => {
    const { a, b, ids, signIn } = await setup();
    const asB = await signIn(b.owner);
    for (const path of [
      '',
      '/licenses',
      '/launches',
      '/errors',
      '/error-groups',
      '/completions',
      '/members',
      '/webhooks',
      '/audit',
    ]) {
      const html = await (await asB('GET', path)).text();
      for (const id of [a.org.id, ...Object.values(ids)]) expect(html, path).not.toContain(id);
      expect(html, path).not.toContain('A client');
    }
  });

  it("lets org A's own owner through the same routes (so the 404s above are about the org)", async () => {
    const { a, ids, signIn } = await setup();
    const asA = await signIn(a.owner);
    for (const [route, call] of Object.entries(ROUTES)) {
      const { path, form } = call(ids);
      const res = await asA(route.split(' ')[0]!, path, form);
      const text = await res.text();
      expect([route, res.status < 400], /role="alert"[^>]*>([^<]*)/.exec(text)?.[1]).toEqual([route, true]);
    }
  });
});
