import { afterAll, describe, expect, it } from 'vitest';
import { createCourseOf } from '../../gatekeeper/courses/service.js';
import { issueLicense } from '../../gatekeeper/licenses/service.js';
import { createOrgWithOwner } from '../../gatekeeper/orgs/service.js';
import { TEST_CONTENT_URL, TEST_PUBLIC_URL } from '../helpers/gatekeeper.js';
import { startWebhookReceiver } from '../helpers/webhook-receiver.js';
import { startWorkerTarget } from '../helpers/worker-target.js';

const receiver = await startWebhookReceiver();
const worker = await startWorkerTarget({
  publicUrl: TEST_PUBLIC_URL,
  contentUrl: TEST_CONTENT_URL,
  vars: { COURSEGATE_WEBHOOKS_ALLOW_HTTP_LOOPBACK: 'true' },
});
afterAll(async () => {
  await worker.mf.dispose();
  await receiver.close();
});

describe("the Worker's webhooks", () => {
  it('an endpoint added through the API gets a revoke from the every-minute Cron Trigger, retried after a failure', async () => {
    const now = new Date();
    const deps = { db: worker.db, now: () => now };
    const { org, owner, key } = await createOrgWithOwner(deps, {
      name: 'Acme',
      owner: { email: 'owner@acme.test' },
      keyName: 'owner',
    });
    const actor = { orgId: org.id, memberId: owner.id };
    await createCourseOf(deps, actor, { slug: 'intro', title: 'Intro' });
    const license = await issueLicense(deps, actor, { courseId: 'intro', clientName: 'Globex LMS' });
    const call = (method: string, path: string, body: unknown) =>
      worker.fetch(
        path,
        {
          method,
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        },
        now,
      );
    const added = await call('POST', '/v1/webhooks', { url: receiver.url, events: ['license.revoked'] });
    expect(added.status).toBe(201);
    expect((await call('POST', `/v1/licenses/${license.id}/revoke`, {})).status).toBe(200);

    const cron = await worker.mf.getWorker();
    receiver.answerWith(() => 503);
    await cron.scheduled({ scheduledTime: now, cron: '* * * * *' });
    expect(receiver.received).toEqual([]);
    receiver.answerWith(() => 204);
    // The retry is due at most 5 s later.
    await cron.scheduled({ scheduledTime: new Date(now.getTime() + 10_000), cron: '* * * * *' });
    expect(receiver.unique()).toEqual([
      expect.objectContaining({
        type: 'license.revoked',
        data: expect.objectContaining({ licenseId: license.id }),
      }),
    ]);
  });
});
