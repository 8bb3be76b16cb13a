import { describe, expect, it } from 'vitest';
import { insertLaunchEventStatement } from '../../gatekeeper/db/launch-events.js';
import { courseSummaries, DAY_MS, perDay } from '../../gatekeeper/logs/counts.js';
import { launchLog } from '../../gatekeeper/logs/page-queries.js';
import { queryLog } from '../../gatekeeper/logs/queries.js';
import { createTestApp } from '../helpers/gatekeeper.js';
import { plansOf } from '../helpers/query-plans.js';

/**
 * The org- and course-scoped reads of launch events see exactly their own org's launches, and reach
 * them through an index that serves both their filter and their (at, id) order: no read scans the
 * table or sorts (the launch log pages by key, logs/keyset.ts).
 */
async function setup() {
  const t = await createTestApp();
  const now = t.clock.now.getTime();
  const orgs = [];
  for (const name of ['Org A', 'Org B']) {
    const { org, owner } = await t.org(name);
    const { course } = await t.liveCourse(org.id, `${name.toLowerCase().replace(' ', '-')}-course`);
    const res = await t.call('POST', '/v1/licenses', {
      key: owner.key,
      body: { courseId: course.id, clientName: `${name} client` },
    });
    const license = ((await res.json()) as { license: { id: string } }).license.id;
    orgs.push({ orgId: org.id, courseId: course.id, license });
  }
  const [a, b] = orgs as [(typeof orgs)[0], (typeof orgs)[0]];
  const event = (o: typeof a, allowed: boolean, at: number) =>
    insertLaunchEventStatement(t.db, {
      licenseId: o.license,
      orgId: o.orgId,
      allowed,
      reason: allowed ? 'ok' : 'origin_not_allowed',
      detail: null,
      origin: null,
      standard: 'scorm12',
      sessionId: null,
      at,
    });
  // A: 3 allowed today, 1 refused today, 2 allowed three days ago. B: 5 today.
  await t.db.batch([
    ...[0, 1, 2].map(() => event(a, true, now - 1000)),
    event(a, false, now - 500),
    ...[0, 1].map(() => event(a, true, now - 3 * DAY_MS)),
    ...[0, 1, 2, 3, 4].map(() => event(b, true, now - 100)),
  ]);
  return { t, now, a, b };
}

describe('org and course reads of launch events', () => {
  it('count and list only their own org’s launches', async () => {
    const { t, now, a, b } = await setup();
    // Today's counts (the per-day counts the launch triggers keep, migration 0012).
    const today = { from: Math.floor(now / DAY_MS) * DAY_MS, to: Math.floor(now / DAY_MS) * DAY_MS + DAY_MS };
    const summaries = await courseSummaries(t.db, a.orgId, { range: today, limit: 50 });
    expect(summaries.rows.map((c) => [c.id, c.launches, c.denied])).toEqual([[a.courseId, 4, 1]]);
    expect(summaries.total).toBe(1);
    expect((await courseSummaries(t.db, b.orgId, { range: today, limit: 50 })).rows[0]?.launches).toBe(5);
    const rows = async (f: Parameters<typeof launchLog>[2]) =>
      (await launchLog(t.db, a.orgId, f, { newest: true, limit: 50 })).rows;
    expect(await rows({})).toHaveLength(6);
    expect(await rows({ outcome: 'denied' })).toHaveLength(1);
    expect(await rows({ outcome: 'allowed', from: now - DAY_MS })).toHaveLength(3);
    expect(await rows({ licenseId: a.license })).toHaveLength(6);
    expect(await rows({ licenseId: b.license })).toEqual([]);
    expect(await rows({ courseId: b.courseId })).toEqual([]);
    const days = await perDay(t.db, a.orgId, now, 7);
    expect(days.map((d) => d.launches).reduce((x, y) => x + y)).toBe(6);
    expect(days.at(-1)?.launches).toBe(4);
    const page = await queryLog(t.db, 'launches', { orgId: a.orgId, courseId: a.courseId, limit: 10 });
    expect(page.rows).toHaveLength(6);
    expect(
      (await queryLog(t.db, 'launches', { orgId: a.orgId, courseId: b.courseId, limit: 10 })).rows,
    ).toEqual([]);
  });

  it('reach launch_events through an index, never by scanning it', async () => {
    const { t, now, a } = await setup();
    const plans = await plansOf(
      t.db,
      async () => {
        await perDay(t.db, a.orgId, now, 7, a.license);
        await queryLog(t.db, 'launches', {
          orgId: a.orgId,
          courseId: a.courseId,
          since: now - DAY_MS,
          limit: 10,
        });
      },
      /launch_events/,
    );
    expect(plans).toHaveLength(2);
    for (const { q, plan } of plans) {
      const onEvents = plan.filter((d) => /\blaunch_events\b/.test(d));
      expect(onEvents.length, q).toBeGreaterThan(0);
      for (const step of onEvents) expect(step, q).toMatch(/^SEARCH launch_events USING (COVERING )?INDEX /);
    }
  });
});
