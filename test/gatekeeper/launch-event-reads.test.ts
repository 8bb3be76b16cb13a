import type Sqlite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { insertLaunchEventStatement } from '../../gatekeeper/db/launch-events.js';
import { courseSummaries, DAY_MS, perDay } from '../../gatekeeper/logs/counts.js';
import { launchLog } from '../../gatekeeper/logs/page-queries.js';
import { queryLog } from '../../gatekeeper/logs/queries.js';
import { createTestApp } from '../helpers/gatekeeper.js';

/**
 * launch_events has no org index (a launch writes one index, not two): the org- and course-scoped
 * reads must still find their events through the org's licenses, never by reading every launch of
 * every org, and must still see exactly their own.
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

/** Every statement drizzle prepares while `run` runs, with its query plan. */
async function plansOf(t: Awaited<ReturnType<typeof createTestApp>>, run: () => Promise<unknown>) {
  const client = (t.db.orm as unknown as { $client: Sqlite.Database }).$client;
  const prepare = client.prepare.bind(client);
  const seen: string[] = [];
  client.prepare = ((source: string) => {
    seen.push(source);
    return prepare(source);
  }) as typeof client.prepare;
  try {
    await run();
  } finally {
    client.prepare = prepare;
  }
  return seen
    .filter((q) => q.includes('launch_events'))
    .map((q) => {
      const params = (q.match(/\?/g) ?? []).map(() => 'x');
      const plan = (prepare(`EXPLAIN QUERY PLAN ${q}`).all(...params) as { detail: string }[]).map(
        (r) => r.detail,
      );
      return { q, plan };
    });
}

describe('org and course reads of launch events', () => {
  it('count and list only their own org’s launches', async () => {
    const { t, now, a, b } = await setup();
    const summaries = await courseSummaries(t.db, a.orgId, now - DAY_MS);
    expect(summaries.map((c) => [c.id, c.launches24h])).toEqual([[a.courseId, 4]]);
    expect((await courseSummaries(t.db, b.orgId, now - DAY_MS))[0]?.launches24h).toBe(5);
    expect(await launchLog(t.db, a.orgId, {}, 50, 0)).toHaveLength(6);
    expect(await launchLog(t.db, a.orgId, { outcome: 'denied' }, 50, 0)).toHaveLength(1);
    expect(await launchLog(t.db, a.orgId, { outcome: 'allowed', from: now - DAY_MS }, 50, 0)).toHaveLength(3);
    expect(await launchLog(t.db, a.orgId, { licenseId: b.license }, 50, 0)).toEqual([]);
    expect(await launchLog(t.db, a.orgId, { courseId: b.courseId }, 50, 0)).toEqual([]);
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
    const plans = await plansOf(t, async () => {
      await courseSummaries(t.db, a.orgId, now - DAY_MS);
      await launchLog(t.db, a.orgId, {}, 50, 0);
      await launchLog(t.db, a.orgId, { outcome: 'allowed', courseId: a.courseId, from: now - DAY_MS }, 50, 0);
      await perDay(t.db, a.orgId, now, 7);
      await perDay(t.db, a.orgId, now, 7, a.license);
      await queryLog(t.db, 'launches', {
        orgId: a.orgId,
        courseId: a.courseId,
        since: now - DAY_MS,
        limit: 10,
      });
    });
    expect(plans).toHaveLength(6);
    for (const { q, plan } of plans) {
      const onEvents = plan.filter((d) => /\blaunch_events\b/.test(d));
      expect(onEvents, q).toHaveLength(1);
      expect(onEvents[0], q).toMatch(
        /^SEARCH launch_events USING (COVERING )?INDEX launch_events_license_at \(license_id=\? AND allowed=\?/,
      );
    }
  });
});
