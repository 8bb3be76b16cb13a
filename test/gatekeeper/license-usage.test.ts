import { describe, expect, it } from 'vitest';
import { completions } from '../../gatekeeper/db/schema.js';
import { dashboardSignIn } from '../helpers/dashboard.js';
import { createTestApp } from '../helpers/gatekeeper.js';
import { plansOf } from '../helpers/query-plans.js';

const DAY = 86_400_000;
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
const cell = (html: string, client: string, label: string) => {
  const row = html.split('<tr>').find((r) => r.includes(`>${client}</a>`)) ?? '';
  return text(new RegExp(`data-label="${label}"[^>]*>(.*?)</td>`).exec(row)?.[1] ?? '').trim();
};

/** The license list's usage columns and flags, counted from launches made through `/v1/launch`. */
describe('license usage and flags', () => {
  it('counts this month’s launches, sessions, completions and pass rate per license, and flags caps and expiries', async () => {
    const t = await createTestApp();
    const a = await t.org('Org A');
    const { course } = await t.liveCourse(a.org.id, 'a-course');
    const issue = async (body: Record<string, unknown>) => {
      const res = await t.call('POST', '/v1/licenses', {
        key: a.owner.key,
        body: { courseId: course.id, ...body },
      });
      return (await res.json()) as { license: { id: string }; token: string };
    };
    const capped = await issue({
      clientName: 'Capped Co',
      allowedOrigins: ['https://lms.capped.test'],
      launchCap: { limit: 4, period: 'month' },
    });
    const soon = await issue({
      clientName: 'Soon Ltd',
      expiresAt: new Date(t.clock.now.getTime() + 10 * DAY).toISOString(),
    });
    await issue({ clientName: 'Quiet Inc' });
    const launch = (token: string, origin: string) =>
      t.call('POST', '/v1/launch', { body: { token, standard: 'scorm12' }, headers: { origin } });
    const sessions: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await launch(capped.token, 'https://lms.capped.test');
      expect(res.status).toBe(200);
      sessions.push(((await res.json()) as { session: { id: string } }).session.id);
    }
    expect((await launch(capped.token, 'https://evil.test')).status).toBe(403);
    expect((await launch(capped.token, 'https://other.test')).status).toBe(403);
    // Two sessions report: one passed, one failed (what the runtime's reports store).
    const at = t.clock.now.getTime();
    const row = { orgId: a.org.id, courseId: course.id, completed: true, updatedAt: at };
    await t.db.orm.insert(completions).values([
      { ...row, sessionId: sessions[0] as string, passed: true },
      { ...row, sessionId: sessions[1] as string, passed: false },
    ]);

    const dash = await dashboardSignIn(t, a.owner.member);
    const plans = await plansOf(t.db, async () => {
      const html = await (await dash('GET', '/licenses')).text();
      expect(cell(html, 'Capped Co', 'Launches allowed')).toBe('3');
      expect(cell(html, 'Capped Co', 'Launches denied')).toBe('2');
      expect(cell(html, 'Capped Co', 'Sessions')).toBe('2');
      expect(cell(html, 'Capped Co', 'Completions')).toBe('2');
      expect(cell(html, 'Capped Co', 'Pass rate')).toBe('50 %');
      expect(cell(html, 'Capped Co', 'Last launch')).toBe(
        new Date(at).toISOString().replace('T', ' ').slice(0, 16),
      );
      // 3 of 4 is under 80 %: no flag yet; the fourth launch crosses it.
      expect(cell(html, 'Capped Co', 'Status')).toBe('active');
      expect(cell(html, 'Quiet Inc', 'Launches allowed')).toBe('0');
      expect(cell(html, 'Quiet Inc', 'Status')).toBe('active');
      expect(cell(html, 'Soon Ltd', 'Status')).toContain('expires in 10 days');
      expect(text(html)).toContain('Licenses 1–3 of 3');
    });
    // One statement reads the launches of the whole page, each figure through an index.
    const usage = plans.filter((p) => /launch_events/.test(p.q));
    expect(usage).toHaveLength(1);
    expect(usage[0]?.plan.join('\n')).not.toMatch(/SCAN (e|launch_events|c|completions)\b/);

    expect((await launch(capped.token, 'https://lms.capped.test')).status).toBe(200);
    const html = await (await dash('GET', '/licenses')).text();
    expect(cell(html, 'Capped Co', 'Status')).toContain('100 % of its cap used (4 of 4 launches this month)');
    // The course page's "Licenses needing attention" section (its channels table lists every license).
    const coursePage = await (await dash('GET', `/courses/${course.id}`)).text();
    const flagged = text(
      coursePage.match(/<section aria-labelledby="flagged-heading"[\s\S]*?<\/section>/)?.[0] ?? '',
    );
    expect(flagged).toContain('Capped Co');
    expect(flagged).toContain('Soon Ltd');
    expect(flagged).not.toContain('Quiet Inc');
    const list = (await (await t.call('GET', '/v1/licenses', { key: a.owner.key })).json()) as {
      licenses: { clientName: string; flags: string[] }[];
    };
    const flags = Object.fromEntries(list.licenses.map((l) => [l.clientName, l.flags]));
    expect(flags['Quiet Inc']).toEqual([]);
    expect(flags['Soon Ltd']?.[0]).toMatch(/^expires in 10 days/);
    expect(flags['Capped Co']?.[0]).toMatch(/^100 % of its cap used/);
    expect(soon.license.id).toBeTruthy();
  });
});
