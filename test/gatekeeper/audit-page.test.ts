import { describe, expect, it } from 'vitest';
import { auditStatement } from '../../gatekeeper/db/audit-events.js';
import { dashboardSignIn } from '../helpers/dashboard.js';
import { createTestApp } from '../helpers/gatekeeper.js';
import { plansOf } from '../helpers/query-plans.js';

const actions = (html: string) =>
  [...html.matchAll(/data-label="Action">([^<]+)</g)].map((m) => m[1] as string);
const nextLink = (html: string) =>
  /href="\/dashboard(\/audit\?[^"]*older=[^"]+)"/.exec(html)?.[1]?.replaceAll('&amp;', '&');

/** The dashboard's audit page: every audited action, filters, pages by key with a total, streamed exports. */
describe('the audit page', () => {
  it('lists what the API did, filters by course, actor, action and date, pages every event once and exports them', async () => {
    const t = await createTestApp();
    const a = await t.org('Org A');
    const b = await t.org('Org B');
    const { course } = await t.liveCourse(a.org.id, 'a-course');
    const { course: other } = await t.liveCourse(a.org.id, 'b-course');
    const issue = async (courseId: string, clientName: string, key = a.owner.key) => {
      const res = await t.call('POST', '/v1/licenses', { key, body: { courseId, clientName } });
      return ((await res.json()) as { license: { id: string } }).license.id;
    };
    const globex = await issue(course.id, 'Globex LMS');
    await issue(other.id, 'Initech', a.member.key);
    const revoke = await t.call('POST', `/v1/licenses/${globex}/revoke`, {
      key: a.owner.key,
      body: { reason: 'Invoice unpaid' },
    });
    expect(revoke.status).toBe(200);
    // Another org's events never show.
    const { course: theirs } = await t.liveCourse(b.org.id, 'theirs');
    await t.call('POST', '/v1/licenses', {
      key: b.owner.key,
      body: { courseId: theirs.id, clientName: 'Not yours' },
    });
    // Older history: 120 extensions over the previous days, to page through.
    const at = t.clock.now.getTime();
    await t.db.batch(
      Array.from({ length: 120 }, (_, i) =>
        auditStatement(t.db, {
          orgId: a.org.id,
          actor: 'cli',
          action: 'license.extend',
          subject: globex,
          fromValue: null,
          toValue: null,
          reason: `old ${i}`,
          at: at - 86_400_000 * (1 + (i % 3)),
        }),
      ),
    );

    // Besides: the org's setup (`t.org`, as `admin init`) added two members with a key each, by `cli`.
    const dash = await dashboardSignIn(t, a.owner.member);
    const first = await (await dash('GET', '/audit')).text();
    expect(first).toContain('127 events match');
    const top = actions(first).slice(0, 3);
    expect(top).toEqual(['license.revoke', 'license.issue', 'license.issue']);
    const revoked = first.split('<tr>').find((r) => r.includes('"Action">license.revoke<')) ?? '';
    expect(revoked).toContain('owner@org-a.test');
    expect(revoked).toContain('Globex LMS');
    expect(revoked).toContain('Invoice unpaid');
    expect(first).not.toContain('Not yours');

    const seen: string[] = [];
    let path: string | undefined = '/audit';
    while (path) {
      const html = await (await dash('GET', path)).text();
      seen.push(...actions(html));
      path = nextLink(html);
    }
    expect(seen).toHaveLength(127);

    const filtered = async (q: Record<string, string>) =>
      actions(await (await dash('GET', `/audit?${new URLSearchParams(q)}`)).text());
    expect(await filtered({ courseId: other.id })).toEqual(['license.issue']);
    expect(await filtered({ actor: 'member@' })).toEqual(['license.issue']);
    expect(await filtered({ action: 'license.revoke' })).toEqual(['license.revoke']);
    expect((await filtered({ action: 'license.' })).length).toBe(50);
    expect(await filtered({ action: 'deployment.' })).toEqual([]);
    const today = new Date(at).toISOString().slice(0, 10);
    expect((await filtered({ from: today, to: today })).length).toBe(7);
    expect(await filtered({ action: 'api_key.', actor: 'cli' })).toEqual([
      'api_key.create',
      'api_key.create',
    ]);

    const plans = await plansOf(t.db, async () => dash('GET', '/audit'), /audit_events/);
    expect(plans.map((p) => p.plan.join('\n')).join('\n')).not.toMatch(/USE TEMP B-TREE FOR ORDER BY/);

    const csv = (await (await dash('GET', '/audit?format=csv&action=license.revoke')).text()).split('\r\n');
    expect(csv[0]).toBe('at,actor,actorEmail,action,subject,subjectName,from,to,reason');
    expect(csv[1]).toContain(',owner@org-a.test,license.revoke,');
    expect(csv[1]).toContain('Globex LMS,active,revoked,Invoice unpaid');
    const all = (await (await dash('GET', '/audit?format=ndjson')).text()).trim().split('\n');
    expect(all).toHaveLength(127);
    expect(JSON.parse(all[0] as string)).toMatchObject({
      action: 'license.revoke',
      reason: 'Invoice unpaid',
    });
  });
});
