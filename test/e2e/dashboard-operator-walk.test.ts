import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBrowser } from '../helpers/browser.js';
import { type DashboardFixture, startDashboardFixture } from '../helpers/dashboard.js';
import { operatorWalk } from '../helpers/operator-walk.js';

/** Issue 24's acceptance: an operator's walk through deployments, licenses and the audit trail. */
describe('dashboard: the operator walk', () => {
  const b = useBrowser();
  let fx: DashboardFixture;
  beforeAll(async () => {
    fx = await startDashboardFixture({ courseTitle: 'Workplace Safety' });
  }, 60_000);
  afterAll(async () => {
    await fx?.close();
  });

  it('deploys two labelled versions, promotes and rolls back, issues, uses, flags, finds, revokes and audits a license', {
    timeout: 180_000,
  }, async () => {
    const page = await b.page();
    const w = await operatorWalk(page, fx);
    expect(w.rollbackAlone).toBe(0);
    expect(w.history).toContain('deployment.rollback');
    expect(w.history).toContain('#2');
    expect(w.history).toContain('#1');
    expect(w.history).toContain('Typo fix broke the layout');
    expect(w.live).toContain(`#1 ${w.v1}`);

    expect(w.terms).toContain('3 launches per month');
    expect(w.terms).toContain('Pilot for the Q3 cohort');
    expect(w.terms).toContain('https://lms.umbrella.test');
    expect(w.terms).toMatch(/Starts\d{4}-\d{2}-\d{2} 00:00/);
    // Three allowed launches reach the cap of 3; the one from another origin is denied.
    expect(w.launches).toEqual([200, 200, 403, 200]);
    expect(w.usage).toMatchObject({
      'Launches allowed this month': '3',
      'Launches denied this month': '1',
    });
    // The end of the day six days ahead is between six and seven days away.
    expect(w.listFlag).toMatch(/expires in 7 days \(\d{4}-\d{2}-\d{2}\)/);
    expect(w.courseFlags).toContain('Stark Industries');
    expect(w.courseFlags).toContain('Umbrella Academy');
    expect(w.found).toEqual(['Umbrella Academy']);
    expect(w.total).toContain('1–1 of 1');
    expect(w.audited).toContain('Pilot ended early');
    expect(w.audited).toContain('owner@acme.test');
    const lines = w.csv.trim().split('\r\n');
    expect(lines[0]).toBe('at,actor,actorEmail,action,subject,subjectName,from,to,reason');
    expect(lines.find((l) => l.includes('Umbrella Academy'))).toMatch(
      /,owner@acme\.test,license\.revoke,lic_[\w-]+,Umbrella Academy,active,revoked,Pilot ended early$/,
    );
    expect(page.errors).toEqual([]);
  });
});
