import { describe, expect, it } from 'vitest';
import { listAuditEvents } from '../../gatekeeper/db/audit-events.js';
import { createTestApp } from '../helpers/gatekeeper.js';

async function setup() {
  const t = await createTestApp();
  const { org, owner } = await t.org('Acme');
  const { course } = await t.liveCourse(org.id, 'intro');
  const res = await t.call('POST', '/v1/licenses', {
    key: owner.key,
    body: { courseId: course.id, clientName: 'Client LMS', expiresAt: '2026-06-01T00:00:00Z' },
  });
  const { license, token } = (await res.json()) as { license: { id: string }; token: string };
  const events = async () =>
    (await listAuditEvents(t.db, org.id)).filter((e) => e.subject === license.id).reverse();
  const issued = (await events()).length;
  /** The license's audit events after its issue, oldest first. */
  const audit = async () => (await events()).slice(issued);
  const call = (action: string, body: unknown) =>
    t.call('POST', `/v1/licenses/${license.id}/${action}`, { key: owner.key, body });
  return { t, call, audit, token, key: owner.key, courseId: course.id };
}

describe('license changes and their audit trail', () => {
  it('a second revoke keeps the first revocation time and adds no audit event; so does un-revoking an active license', async () => {
    const s = await setup();
    expect((await s.call('unrevoke', { reason: 'nothing to do' })).status).toBe(200);
    expect(await s.audit()).toEqual([]);

    const first = (await (await s.call('revoke', { reason: 'unpaid' })).json()) as { revokedAt: string };
    s.t.clock.now = new Date(s.t.clock.now.getTime() + 86_400_000);
    const again = await s.call('revoke', { reason: 'still unpaid' });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { revokedAt: string }).revokedAt).toBe(first.revokedAt);
    expect((await s.audit()).map((e) => [e.action, e.fromValue, e.toValue, e.reason])).toEqual([
      ['license.revoke', 'active', 'revoked', 'unpaid'],
    ]);
  });

  it('records an extension as stored (UTC), whatever offset the request used', async () => {
    const s = await setup();
    const res = await s.call('extend', { expiresAt: '2026-07-01T00:00:00+02:00', reason: 'renewed' });
    const stored = ((await res.json()) as { expiresAt: string }).expiresAt;
    expect(stored).toBe('2026-06-30T22:00:00.000Z');
    expect((await s.audit()).map((e) => [e.action, e.fromValue, e.toValue])).toEqual([
      ['license.extend', '2026-06-01T00:00:00.000Z', stored],
    ]);
  });

  it('shows what a launch meets now: expired after an extension into the past, not started, revoked', async () => {
    const s = await setup();
    // The test clock starts before the license's 2026-06-01 expiry.
    const past = await s.call('extend', { expiresAt: '2020-01-01T00:00:00Z', reason: 'ended early' });
    expect(await past.json()).toMatchObject({ status: 'active', state: 'expired' });
    const launch = await s.t.call('POST', '/v1/launch', { body: { token: s.token, standard: 'scorm12' } });
    expect(((await launch.json()) as { error: { code: string } }).error.code).toBe('license_expired');
    const revoked = await s.call('revoke', { reason: 'unpaid' });
    expect(await revoked.json()).toMatchObject({ status: 'revoked', state: 'revoked' });

    const later = await s.t.call('POST', '/v1/licenses', {
      key: s.key,
      body: { courseId: s.courseId, clientName: 'Next term', startsAt: '2099-01-01T00:00:00Z' },
    });
    expect(((await later.json()) as { license: unknown }).license).toMatchObject({
      status: 'active',
      state: 'not_started',
    });
  });
});
