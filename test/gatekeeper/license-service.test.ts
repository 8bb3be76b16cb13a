import { describe, expect, it } from 'vitest';
import { type AuditEvent, listAuditEvents } from '../../gatekeeper/db/audit-events.js';
import { dashboardSignIn } from '../helpers/dashboard.js';
import { createTestApp } from '../helpers/gatekeeper.js';

/** An org with a live course; `issue` makes a license through the API and answers its id. */
async function setup() {
  const t = await createTestApp();
  const acme = await t.org('Acme');
  const { course } = await t.liveCourse(acme.org.id, 'intro');
  const issue = async (body: Record<string, unknown> = {}) => {
    const res = await t.call('POST', '/v1/licenses', {
      key: acme.owner.key,
      body: { courseId: course.id, clientName: 'Client LMS', ...body },
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { license: { id: string } }).license.id;
  };
  const api = (id: string, action: string, body: unknown) =>
    t.call('POST', `/v1/licenses/${id}/${action}`, { key: acme.owner.key, body });
  const dashboard = await dashboardSignIn(t, acme.owner.member);
  /** The audit events of one license after its issue, oldest first. */
  const changes = async (id: string) =>
    (await listAuditEvents(t.db, acme.org.id))
      .filter((e) => e.subject === id && e.action !== 'license.issue')
      .reverse();
  const license = async (id: string) =>
    (
      (await (await t.call('GET', `/v1/licenses/${id}`, { key: acme.owner.key })).json()) as {
        license: { status: string; clientName: string; allowedOrigins: string[] };
      }
    ).license;
  const status = async (id: string) => (await license(id)).status;
  return { t, acme, course, issue, api, dashboard, changes, license, status };
}

/** An audit event but for what must differ between two changes: its id, its subject and its time. */
const comparable = ({ id: _id, subject: _subject, at: _at, ...rest }: AuditEvent) => rest;
const alertOf = async (res: Response) => /role="alert"[^>]*>\s*([^<]*)/.exec(await res.text())?.[1]?.trim();

describe('license changes: one rule for the API and the dashboard', () => {
  it('a revocation from the dashboard with a reason is audited exactly as one through the API', async () => {
    const s = await setup();
    const viaApi = await s.issue();
    const viaDashboard = await s.issue();
    expect((await s.api(viaApi, 'revoke', { reason: 'Invoice unpaid' })).status).toBe(200);
    const res = await s.dashboard('POST', `/licenses/${viaDashboard}/revoked`, {
      revoked: 'on',
      reason: 'Invoice unpaid',
    });
    expect(res.status).toBe(303);
    expect(await s.status(viaDashboard)).toBe('revoked');
    const [apiEvent] = await s.changes(viaApi);
    const dashboardEvents = await s.changes(viaDashboard);
    expect(dashboardEvents).toHaveLength(1);
    expect(comparable(dashboardEvents[0]!)).toEqual(comparable(apiEvent!));
    expect(apiEvent).toMatchObject({ action: 'license.revoke', reason: 'Invoice unpaid' });
  });

  it('the dashboard refuses a revocation without a reason and leaves the license active', async () => {
    const s = await setup();
    const id = await s.issue();
    const res = await s.dashboard('POST', `/licenses/${id}/revoked`, { revoked: 'on', reason: '  ' });
    expect(res.status).toBe(400);
    expect(await alertOf(res)).toBe('Give a reason for this change');
    expect(await s.status(id)).toBe('active');
    expect(await s.changes(id)).toEqual([]);
    // The list links to a confirmation page, whose form asks for it: a required reason field.
    const list = await (await s.dashboard('GET', '/licenses')).text();
    expect(list).toContain(`href="/dashboard/licenses/${id}/revoke"`);
    const confirm = await (await s.dashboard('GET', `/licenses/${id}/revoke`)).text();
    expect(confirm).toMatch(/<input id="revoke-reason" name="reason"[^>]*required/);
    expect(await s.status(id)).toBe('active');
  });

  it('an extension ending before the license starts is refused with the same words on both', async () => {
    const s = await setup();
    const id = await s.issue({ startsAt: '2026-05-01T00:00:00Z' });
    const viaApi = await s.api(id, 'extend', { expiresAt: '2026-04-30T00:00:00Z' });
    expect(viaApi.status).toBe(400);
    const { error } = (await viaApi.json()) as { error: { message: string } };
    const viaDashboard = await s.dashboard('POST', `/licenses/${id}/extend`, { expiresAt: '2026-04-30' });
    expect(viaDashboard.status).toBe(400);
    expect(await alertOf(viaDashboard)).toBe(error.message);
    expect(error.message).toBe('The new expiry must be after the license starts');
    expect(await s.changes(id)).toEqual([]);
  });

  it('an extension from the dashboard keeps its reason and is stored as the API stores one', async () => {
    const s = await setup();
    const viaApi = await s.issue();
    const viaDashboard = await s.issue();
    await s.api(viaApi, 'extend', { expiresAt: '2027-01-31T23:59:59.999Z', reason: 'renewed' });
    await s.dashboard('POST', `/licenses/${viaDashboard}/extend`, {
      expiresAt: '2027-01-31',
      reason: 'renewed',
    });
    const [apiEvent] = await s.changes(viaApi);
    const [dashboardEvent] = await s.changes(viaDashboard);
    expect(comparable(dashboardEvent!)).toEqual(comparable(apiEvent!));
    expect(apiEvent).toMatchObject({ toValue: '2027-01-31T23:59:59.999Z', reason: 'renewed' });
  });

  it('issues from the dashboard with origins as a launch names them, each once, audited as on the API', async () => {
    const s = await setup();
    const res = await s.dashboard('POST', '/licenses', {
      courseId: s.course.id,
      clientName: ' Globex ',
      allowedOrigins: 'https://LMS.globex.test:443 https://lms.globex.test',
    });
    expect(res.status).toBe(303);
    const id = decodeURIComponent(res.headers.get('location')!.split('/').pop()!);
    expect(await s.license(id)).toMatchObject({
      clientName: 'Globex',
      allowedOrigins: ['https://lms.globex.test'],
    });
    const issued = (await listAuditEvents(s.t.db, s.acme.org.id)).filter((e) => e.subject === id);
    expect(issued).toMatchObject([
      { action: 'license.issue', actor: s.acme.owner.member.id, toValue: 'Globex', reason: '' },
    ]);
    const bad = await s.dashboard('POST', '/licenses', {
      courseId: s.course.id,
      clientName: 'Globex',
      allowedOrigins: 'https://lms.globex.test/course',
    });
    expect(bad.status).toBe(400);
    expect(await alertOf(bad)).toBe(
      'https://lms.globex.test/course is not an origin: give scheme and host, such as https://lms.example.com (no path)',
    );
  });
});
