import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { seedAcmeCourse } from '../helpers/acme-course.js';
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
beforeEach(async () => {
  await worker.reset();
  receiver.received.length = 0;
  receiver.answerWith(() => 204);
});

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** An org with a course, a license, an owner's API key; requests through the Worker at `now`. */
async function setup(now: Date) {
  const { key, issue } = await seedAcmeCourse({ db: worker.db, now: () => now });
  const call = (method: string, path: string, body?: unknown, at = now) =>
    worker.fetch(
      path,
      {
        method,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      },
      at,
    );
  const cron = async (at: Date) =>
    (await worker.mf.getWorker()).scheduled({ scheduledTime: at, cron: '* * * * *' });
  return { issue, call, cron };
}

describe("the Worker's webhooks", () => {
  it('an endpoint added through the API gets a revoke from the every-minute Cron Trigger, retried after a failure', async () => {
    const now = new Date();
    const s = await setup(now);
    const license = await s.issue('Globex LMS');
    const added = await s.call('POST', '/v1/webhooks', { url: receiver.url, events: ['license.revoked'] });
    expect(added.status).toBe(201);
    expect((await s.call('POST', `/v1/licenses/${license.id}/revoke`, {})).status).toBe(200);

    receiver.answerWith(() => 503);
    await s.cron(now);
    expect(receiver.received).toEqual([]);
    receiver.answerWith(() => 204);
    // The retry is due at most 5 s later.
    await s.cron(new Date(now.getTime() + 10_000));
    expect(receiver.unique()).toEqual([
      expect.objectContaining({
        type: 'license.revoked',
        data: expect.objectContaining({ licenseId: license.id }),
      }),
    ]);
  });

  it('receiver down over several cron runs, then back: every event once, in order per license, the log shows the retries', async () => {
    const now = new Date();
    const s = await setup(now);
    const added = (await (
      await s.call('POST', '/v1/webhooks', { url: receiver.url, events: ['*'] })
    ).json()) as { endpoint: { id: string } };
    receiver.answerWith(() => 503);
    const a = await s.issue('Client A');
    const b = await s.issue('Client B');
    await s.call('POST', `/v1/licenses/${a.id}/revoke`, {});
    await s.call('POST', `/v1/licenses/${b.id}/revoke`, {});
    // Down for three runs, each later than any retry's delay (at most an hour).
    for (let i = 0; i < 3; i++) await s.cron(new Date(now.getTime() + i * HOUR));
    expect(receiver.received).toEqual([]);
    receiver.answerWith(() => 204);
    await s.cron(new Date(now.getTime() + 3 * HOUR));
    expect(receiver.unique().map((e) => [e.type, e.data.licenseId])).toEqual([
      ['license.created', a.id],
      ['license.created', b.id],
      ['license.revoked', a.id],
      ['license.revoked', b.id],
    ]);
    const log = (await (await s.call('GET', `/v1/webhooks/${added.endpoint.id}/deliveries`)).json()) as {
      deliveries: { status: string; attempts: number; responseStatus: number }[];
    };
    // Newest first: the first event took the three failures, the others waited behind it.
    expect(log.deliveries.map((d) => [d.status, d.attempts])).toEqual([
      ['delivered', 1],
      ['delivered', 1],
      ['delivered', 1],
      ['delivered', 4],
    ]);
  });

  it('the Cron Trigger runs the scheduled alerts: license.expiring once at 14 and once at 7 days before', async () => {
    const now = new Date();
    const s = await setup(now);
    await s.call('POST', '/v1/webhooks', { url: receiver.url, events: ['license.expiring'] });
    const license = await s.issue('Globex LMS', {
      expiresAt: now.getTime() + 10 * DAY,
    });
    await s.cron(now);
    await s.cron(new Date(now.getTime() + 60_000));
    await s.cron(new Date(now.getTime() + 4 * DAY));
    await s.cron(new Date(now.getTime() + 4 * DAY + 60_000));
    expect(receiver.unique().map((e) => [e.type, e.data.licenseId, e.data.daysBefore])).toEqual([
      ['license.expiring', license.id, 14],
      ['license.expiring', license.id, 7],
    ]);
  });

  it('refuses private, link-local and metadata addresses, and does not follow a redirect', async () => {
    const now = new Date();
    const s = await setup(now);
    for (const url of [
      'https://10.0.0.1/hook',
      'https://169.254.169.254/latest',
      'https://[::ffff:10.0.0.1]/',
    ])
      expect((await s.call('POST', '/v1/webhooks', { url, events: ['*'] })).status, url).toBe(400);
    const added = (await (
      await s.call('POST', '/v1/webhooks', { url: receiver.url, events: ['license.revoked'] })
    ).json()) as { endpoint: { id: string } };
    const license = await s.issue('Client A');
    await s.call('POST', `/v1/licenses/${license.id}/revoke`, {});
    receiver.answerWith(() => 302);
    await s.cron(now);
    const log = (await (await s.call('GET', `/v1/webhooks/${added.endpoint.id}/deliveries`)).json()) as {
      deliveries: { status: string; responseStatus: number }[];
    };
    expect(log.deliveries).toEqual([expect.objectContaining({ status: 'pending', responseStatus: 302 })]);
    expect(receiver.received).toHaveLength(0);
  });
});
