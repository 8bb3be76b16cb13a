import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { insertLaunchEventStatement } from '../../gatekeeper/db/launch-events.js';
import { launchEvents, outboxEvents } from '../../gatekeeper/db/schema.js';
import { checkCaps, checkExpiring } from '../../gatekeeper/outbox/alerts.js';
import { checkLaunchDenied } from '../../gatekeeper/outbox/launch-denied.js';
import { createWebhook } from '../../gatekeeper/webhooks/service.js';
import { createTestApp } from '../helpers/gatekeeper.js';

const DAY = 86_400_000;

/**
 * An org with a live course and an endpoint asking for every event (a check whose event nobody wants
 * does not run); licenses issued through the API; events read from the outbox.
 */
async function setup(options: { events?: string[] } = {}) {
  const t = await createTestApp();
  const acme = await t.org('Acme');
  const { course } = await t.liveCourse(acme.org.id, 'intro');
  const deps = { db: t.db, now: () => t.clock.now, policy: { allowHttpLoopback: false } };
  const actor = { orgId: acme.org.id, memberId: acme.owner.member.id };
  const events = options.events ?? ['*'];
  if (events.length > 0) await createWebhook(deps, actor, { url: 'https://hooks.example.com/cg', events });
  const issue = async (body: Record<string, unknown>) =>
    (await (
      await t.call('POST', '/v1/licenses', {
        key: acme.owner.key,
        body: { courseId: course.id, clientName: 'Globex LMS', ...body },
      })
    ).json()) as { license: { id: string }; token: string };
  const launch = (token: string) => t.call('POST', '/v1/launch', { body: { token, standard: 'scorm12' } });
  const outbox = async (type: string) =>
    (await t.db.orm.select().from(outboxEvents).orderBy(outboxEvents.seq))
      .filter((e) => e.type === type)
      .map((e) => (JSON.parse(e.payload) as { data: Record<string, unknown> }).data);
  const advance = (ms: number) => {
    t.clock.now = new Date(t.clock.now.getTime() + ms);
  };
  return { t, acme, issue, launch, events: outbox, advance };
}

describe('scheduled webhook alerts, each sent once', () => {
  it('license.cap_reached at 80 % and 95 % of the cap, once each however often the check runs', async () => {
    const s = await setup();
    const { license, token } = await s.issue({ launchCap: { limit: 20, period: 'total' } });
    const check = () => checkCaps(s.t.db, s.t.clock.now);
    // 20 is the smallest cap with a count at 95 % short of 100 % (19). One launch through the API, and 14
    // more recorded as it was (copies of its row: a launch through Miniflare costs a second under load);
    // the launches that cross each threshold are real ones.
    expect((await s.launch(token)).status).toBe(200);
    const [first] = await s.t.db.orm
      .select()
      .from(launchEvents)
      .where(eq(launchEvents.licenseId, license.id));
    if (!first) throw new Error('the launch recorded nothing');
    const { id, ...earlier } = first;
    await s.t.db.batch(Array.from({ length: 14 }, () => insertLaunchEventStatement(s.t.db, earlier)));
    await check();
    expect(await s.events('license.cap_reached')).toEqual([]);
    await s.launch(token);
    await check();
    await check();
    for (let i = 0; i < 3; i++) await s.launch(token);
    await check();
    await check();
    expect(await s.events('license.cap_reached')).toEqual([
      expect.objectContaining({ licenseId: license.id, percent: 80, launches: 16, cap: 20 }),
      expect.objectContaining({ licenseId: license.id, percent: 95, launches: 19, cap: 20 }),
    ]);
  });

  it('license.expiring 14, 7 and 1 days before expiry, once each, on a settable clock', async () => {
    const s = await setup();
    const expiresAt = new Date(s.t.clock.now.getTime() + 30 * DAY).toISOString();
    const { license } = await s.issue({ expiresAt });
    const check = () => checkExpiring(s.t.db, s.t.clock.now);
    await check();
    s.advance(20 * DAY); // 10 days left
    await check();
    await check();
    s.advance(3 * DAY + 1); // just under 7 days left
    await check();
    s.advance(DAY);
    await check();
    expect((await s.events('license.expiring')).map((e) => [e.licenseId, e.daysBefore])).toEqual([
      [license.id, 14],
      [license.id, 7],
    ]);
    s.advance(5.5 * DAY);
    await check();
    s.advance(DAY); // expired: nothing more
    await check();
    expect((await s.events('license.expiring')).map((e) => e.daysBefore)).toEqual([14, 7, 1]);
  });

  it('launch.denied: one event per license and minute with the count, once the minute is over', async () => {
    const s = await setup();
    const check = () => checkLaunchDenied(s.t.db, s.t.clock.now);
    await check(); // starts from now
    const { license, token } = await s.issue({});
    expect((await s.launch(token)).status).toBe(200);
    await s.t.call('POST', `/v1/licenses/${license.id}/revoke`, { key: s.acme.owner.key, body: {} });
    s.advance(60_000 - (s.t.clock.now.getTime() % 60_000) - 5_000); // 5 s before the minute ends
    for (let i = 0; i < 3; i++) expect((await s.launch(token)).status).toBe(403);
    await check(); // the minute is not over
    expect(await s.events('launch.denied')).toEqual([]);
    s.advance(10_000);
    expect((await s.launch(token)).status).toBe(403);
    await check();
    await check();
    expect(await s.events('launch.denied')).toEqual([
      expect.objectContaining({ licenseId: license.id, count: 3, reasons: { license_revoked: 3 } }),
    ]);
    s.advance(60_000);
    await check();
    expect((await s.events('launch.denied')).map((e) => e.count)).toEqual([3, 1]);
  });
});
