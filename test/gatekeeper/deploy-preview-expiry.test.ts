import { describe, expect, it } from 'vitest';
import { tempFsStorage } from '../helpers/fs-storage.js';
import { createTestApp, testOrgOrigin } from '../helpers/gatekeeper.js';

describe('preview links expire', () => {
  it('open until their expiry, then 404; a deployment still uploading gets none', async () => {
    const storage = await tempFsStorage();
    const t = await createTestApp({ storage });
    const { owner } = await t.org('Previewers');
    const { course, deployment } = await t.liveCourse(owner.member.orgId, 'pv');
    const res = await t.call('POST', `/v1/deployments/${deployment.id}/previews`, {
      key: owner.key,
      body: { expiresIn: 600 },
    });
    const { url } = (await res.json()) as { url: string };
    const open = await t.request(url, { redirect: 'manual' });
    expect(open.status).toBe(302);
    expect(open.headers.get('location')).toBe(
      `${testOrgOrigin(owner.member.orgId)}/courses/${course.id}/${deployment.id}/index.html`,
    );
    t.clock.now = new Date(t.clock.now.getTime() + 601_000);
    expect((await t.request(url, { redirect: 'manual' })).status).toBe(404);

    const plan = await t.call('POST', `/v1/courses/pv/deployments`, {
      key: owner.key,
      body: { entry: 'index.html', files: [{ path: 'index.html', sha256: 'c'.repeat(64), size: 3 }] },
    });
    const staged = ((await plan.json()) as { deployment: { id: string } }).deployment.id;
    const refused = await t.call('POST', `/v1/deployments/${staged}/previews`, { key: owner.key, body: {} });
    expect(refused.status).toBe(409);
  });
});
