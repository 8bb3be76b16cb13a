import { describe, expect, it } from 'vitest';
import { outboxEvents, outboxMarks } from '../../gatekeeper/db/schema.js';
import { outboxTick } from '../../gatekeeper/outbox/schedule.js';
import { createWebhook } from '../../gatekeeper/webhooks/service.js';
import { createTestApp } from '../helpers/gatekeeper.js';
import { plansOf } from '../helpers/query-plans.js';

/**
 * What one outbox tick costs the server it shares a process with (issue 25: "the launch path does not
 * pay"). Judged by SQLite's own query plans: which tables a tick reads, and through which index.
 */
async function setup() {
  const t = await createTestApp();
  const acme = await t.org('Acme');
  const { course } = await t.liveCourse(acme.org.id, 'intro');
  const expiresAt = new Date(t.clock.now.getTime() + 86_400_000).toISOString();
  for (const clientName of ['Globex LMS', 'Initech LMS'])
    await t.call('POST', '/v1/licenses', {
      key: acme.owner.key,
      body: { courseId: course.id, clientName, expiresAt, launchCap: { limit: 1000, period: 'month' } },
    });
  const tick = outboxTick({ db: t.db, now: () => t.clock.now, send: async () => ({ status: 204 }) });
  const subscribe = (events: string[]) =>
    createWebhook(
      { db: t.db, now: () => t.clock.now, policy: { allowHttpLoopback: false } },
      { orgId: acme.org.id, memberId: acme.owner.member.id },
      { url: 'https://hooks.example.com/cg', events },
    );
  return { t, tick, subscribe };
}

describe('the outbox tick', () => {
  it('with no endpoint asking for an alert, reads neither licenses nor launches and writes nothing', async () => {
    const s = await setup();
    const plans = await plansOf(s.t.db, s.tick);
    expect(plans.filter((p) => /licenses|launch_events/.test(p.q))).toEqual([]);
    expect(await s.t.db.orm.select().from(outboxMarks)).toEqual([]);
    // An endpoint for another event changes nothing for these.
    await s.subscribe(['deployment.promoted']);
    const again = await plansOf(s.t.db, s.tick);
    expect(again.filter((p) => /licenses|launch_events/.test(p.q))).toEqual([]);
  });

  it('with endpoints asking for every alert, reads licenses and launches through indexes only, and announces each alert once', async () => {
    const s = await setup();
    await s.subscribe(['*']);
    await s.tick(); // launch.denied starts from now
    const plans = await plansOf(s.t.db, s.tick);
    const reads = plans.filter((p) => /licenses|launch_events/.test(p.q));
    expect(reads.length).toBeGreaterThanOrEqual(3);
    // A scan of either table, or a walk of every launch since a cursor by rowid, would grow with every
    // launch and license: launches are read through an index, licenses searched.
    for (const { plan } of reads) {
      const lines = plan.filter((d) => /\b(licenses|launch_events)\b/.test(d));
      expect(
        lines.filter((d) => /^SCAN/.test(d)),
        plan.join('\n'),
      ).toEqual([]);
      for (const d of lines.filter((l) => /launch_events/.test(l)))
        expect(d).toMatch(/USING (COVERING )?INDEX launch_events_/);
    }
    const expiring = (await s.t.db.orm.select().from(outboxEvents)).filter(
      (e) => e.type === 'license.expiring',
    );
    expect(expiring).toHaveLength(2);
  });
});
