import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { createDrain } from '../../gatekeeper/outbox/drain.js';
import { createOutbound } from '../../gatekeeper/webhooks/outbound.js';
import { dashboardSignIn } from '../helpers/dashboard.js';
import { createTestApp } from '../helpers/gatekeeper.js';
import { startWebhookReceiver } from '../helpers/webhook-receiver.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

const secretOn = (html: string) => /id="webhook-secret">(whsec_[^<]+)</.exec(html)?.[1];

describe('the dashboard webhooks page (plain forms, no script)', () => {
  it('adds an endpoint showing its secret once, sends a test event, shows the delivery log, redelivers, rotates and removes', async () => {
    const t = await createTestApp({ webhooks: { allowHttpLoopback: true } });
    t.clock.now = new Date(); // the receiver's verifier wants a timestamp near its own clock
    const a = await t.org('Acme');
    let secret = '';
    const receiver = await startWebhookReceiver({
      verify: (body, headers) => new Webhook(secret).verify(body, headers),
    });
    closers.push(receiver.close);
    const drain = createDrain({
      db: t.db,
      now: () => t.clock.now,
      send: createOutbound({ allowHttpLoopback: true }),
      retryDelay: () => 60_000,
    });
    const owner = await dashboardSignIn(t, a.owner.member);

    const empty = await owner('GET', '/webhooks');
    expect(empty.status).toBe(200);
    expect(empty.headers.get('content-security-policy')).not.toContain('unsafe-inline');
    expect(await empty.text()).toContain('No endpoints yet.');

    const added = await owner('POST', '/webhooks', { url: receiver.url, events: 'license.revoked' });
    expect(added.status).toBe(200);
    secret = secretOn(await added.text()) ?? '';
    expect(secret).toMatch(/^whsec_/);
    const listed = await (await owner('GET', '/webhooks')).text();
    expect(listed).toContain(receiver.url);
    expect(listed).toContain('license.revoked');
    expect(listed).not.toContain(secret);
    const id = /href="\/dashboard\/webhooks\/(whk_[^"]+)"/.exec(listed)?.[1] ?? '';

    const tested = await owner('POST', `/webhooks/${id}/test`);
    expect(tested.status).toBe(303);
    expect(tested.headers.get('location')).toBe(`/dashboard/webhooks/${id}`);
    await drain.runOnce();
    expect(receiver.unique().map((e) => e.type)).toEqual(['webhook.test']);
    expect(receiver.failures).toEqual([]);
    const log = await (await owner('GET', `/webhooks/${id}`)).text();
    const row = /<tr>(?:(?!<\/tr>).)*webhook\.test(?:(?!<\/tr>).)*<\/tr>/s.exec(log)?.[0] ?? '';
    expect(row).toMatch(/data-label="Status">delivered</);
    expect(row).toMatch(/data-label="Attempts" class="count">1</);
    expect(row).toMatch(/data-label="Response">204</);
    expect(row).toMatch(/data-label="Latency">\d+ ms</);

    const eventId = receiver.unique()[0]!.id;
    expect((await owner('POST', `/webhooks/${id}/deliveries/${eventId}/redeliver`)).status).toBe(303);
    expect(await (await owner('GET', `/webhooks/${id}`)).text()).toMatch(/data-label="Status">pending</);
    await drain.runOnce();
    // The same webhook-id again: a receiver de-duplicates it.
    expect(receiver.received.map((r) => r.id)).toEqual([eventId, eventId]);

    const rotated = secretOn(await (await owner('POST', `/webhooks/${id}/rotate`)).text());
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(secret);

    expect((await owner('POST', `/webhooks/${id}/delete`)).status).toBe(303);
    expect(await (await owner('GET', '/webhooks')).text()).not.toContain(receiver.url);
  });

  it('refuses members and a URL the outbound policy refuses', async () => {
    const t = await createTestApp();
    const a = await t.org('Acme');
    const member = await dashboardSignIn(t, a.member.member);
    expect((await member('GET', '/webhooks')).status).toBe(403);
    const owner = await dashboardSignIn(t, a.owner.member);
    const refused = await owner('POST', '/webhooks', { url: 'http://10.0.0.1/hook', events: '*' });
    expect(refused.status).toBe(400);
  });
});
