import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqlite } from '../../gatekeeper/db/open-sqlite.js';
import { outboxEvents } from '../../gatekeeper/db/schema.js';
import { createDrain } from '../../gatekeeper/outbox/drain.js';
import { outboxStatements } from '../../gatekeeper/outbox/record.js';
import { createOutbound } from '../../gatekeeper/webhooks/outbound.js';
import { createWebhook, deliveriesOf, redeliver } from '../../gatekeeper/webhooks/service.js';
import { createTestApp } from '../helpers/gatekeeper.js';
import { startWebhookReceiver } from '../helpers/webhook-receiver.js';

const RETRY_MS = 60_000;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** A real SQLite file, an org with a live course, a loopback receiver subscribed to every event. */
async function setup(options: { maxAgeMs?: number } = {}) {
  const db = await openSqlite({ file: join(mkdtempSync(join(tmpdir(), 'cg-webhooks-')), 'gatekeeper.db') });
  const t = await createTestApp({ db });
  // Near real time: the receiver's verifier refuses a webhook-timestamp more than 5 minutes off its clock.
  t.clock.now = new Date();
  closers.push(() => db.close());
  const acme = await t.org('Acme');
  const { course } = await t.liveCourse(acme.org.id, 'intro');
  let secret = '';
  // Every delivery is verified by a third party, the standardwebhooks package; a bad one is answered 400.
  const receiver = await startWebhookReceiver({
    verify: (body, headers) => new Webhook(secret).verify(body, headers),
  });
  closers.push(receiver.close);
  const deps = { db, now: () => t.clock.now, policy: { allowHttpLoopback: true } };
  const actor = { orgId: acme.org.id, memberId: acme.owner.member.id };
  const made = await createWebhook(deps, actor, { url: receiver.url, events: ['*'] });
  const endpoint = made.row;
  secret = made.secret;
  const drain = createDrain({
    db,
    now: () => t.clock.now,
    send: createOutbound({ allowHttpLoopback: true }),
    retryDelay: () => RETRY_MS,
    ...options,
  });
  const call = (method: string, path: string, body?: unknown) =>
    t.call(method, path, { key: acme.owner.key, ...(body ? { body } : {}) });
  const issue = async (clientName: string) =>
    (
      (await (await call('POST', '/v1/licenses', { courseId: course.id, clientName })).json()) as {
        license: { id: string };
      }
    ).license.id;
  const advance = (ms: number) => {
    t.clock.now = new Date(t.clock.now.getTime() + ms);
  };
  return { t, db, deps, actor, endpoint, drain, receiver, call, issue, advance };
}

describe('the webhook delivery engine', () => {
  it('receiver down, then back: every event arrives once after de-duplication, in order per license, and the log shows the retries', async () => {
    const s = await setup();
    s.receiver.answerWith(() => 503);
    const a = await s.issue('Client A');
    const b = await s.issue('Client B');
    await s.call('POST', `/v1/licenses/${a}/revoke`, { reason: 'unpaid' });
    await s.call('POST', `/v1/licenses/${b}/revoke`, {});
    // Down: two runs an interval apart, each attempt refused.
    expect(await s.drain.runOnce()).toMatchObject({ delivered: 0, failed: 1 });
    s.advance(RETRY_MS);
    expect(await s.drain.runOnce()).toMatchObject({ delivered: 0, failed: 1 });
    // Before the retry is due nothing is sent, however often the drain runs.
    expect(await s.drain.runOnce()).toMatchObject({ delivered: 0, failed: 0 });
    s.receiver.answerWith(() => 204);
    s.advance(RETRY_MS);
    expect(await s.drain.runOnce()).toMatchObject({ delivered: 4, failed: 0 });
    const events = s.receiver.unique().map((e) => [e.type, e.data.licenseId]);
    expect(events).toEqual([
      ['license.created', a],
      ['license.created', b],
      ['license.revoked', a],
      ['license.revoked', b],
    ]);
    const log = await deliveriesOf(s.deps, s.actor, s.endpoint.id);
    expect(log.map((d) => [d.status, d.attempts])).toEqual([
      ['delivered', 1],
      ['delivered', 1],
      ['delivered', 1],
      ['delivered', 3],
    ]);
    expect(log.at(-1)).toMatchObject({ responseStatus: 204, lastError: null });
    expect(s.receiver.failures).toEqual([]);
  });

  it('gives up after the maximum age (dead letter) and sends again on redelivery, with the same webhook-id', async () => {
    const s = await setup({ maxAgeMs: 2 * RETRY_MS });
    s.receiver.answerWith(() => 500);
    const a = await s.issue('Client A');
    for (let i = 0; i < 3; i++) {
      await s.drain.runOnce();
      s.advance(RETRY_MS);
    }
    const [dead] = await deliveriesOf(s.deps, s.actor, s.endpoint.id);
    expect(dead).toMatchObject({
      status: 'dead',
      attempts: 3,
      responseStatus: 500,
      lastError: 'answered 500',
    });
    // A dead delivery blocks nothing and is not retried.
    expect(await s.drain.runOnce()).toMatchObject({ delivered: 0, failed: 0 });
    s.receiver.answerWith(() => 200);
    await redeliver(s.deps, s.actor, { id: s.endpoint.id, eventId: dead!.eventId });
    expect(await s.drain.runOnce()).toMatchObject({ delivered: 1 });
    expect(s.receiver.unique()).toEqual([
      expect.objectContaining({ id: dead!.eventId, type: 'license.created' }),
    ]);
    expect(s.receiver.unique()[0]?.data).toMatchObject({ licenseId: a, clientName: 'Client A' });
  });

  it('a change that rolls back writes no event and sends nothing', async () => {
    const s = await setup();
    const before = await s.db.orm.select().from(outboxEvents);
    const event = outboxStatements(s.db, {
      orgId: s.actor.orgId,
      type: 'license.revoked',
      subject: 'lic_x',
      data: { licenseId: 'lic_x' },
      at: s.t.clock.now.getTime(),
    });
    // The same event id twice: the second insert fails, so the whole batch (event and deliveries) rolls back.
    await expect(s.db.batch([...event.statements, ...event.statements])).rejects.toThrow();
    expect(await s.db.orm.select().from(outboxEvents)).toEqual(before);
    // A promote from a live deployment the sender did not see changes nothing: no event either.
    expect(await s.drain.runOnce()).toMatchObject({ delivered: 0 });
    expect(s.receiver.received).toEqual([]);
  });
});
