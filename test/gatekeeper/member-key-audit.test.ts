import { describe, expect, it } from 'vitest';
import { dashboardSignIn } from '../helpers/dashboard.js';
import { createTestApp } from '../helpers/gatekeeper.js';

interface Row {
  actorEmail: string | null;
  action: string;
  subject: string;
  from: string | null;
  to: string | null;
}

/** The org's owner acts over the API and over the dashboard; the audit page shows each change the same way. */
async function setup() {
  const t = await createTestApp();
  const acme = await t.org('Acme');
  const key = acme.owner.key;
  const dash = await dashboardSignIn(t, acme.owner.member);
  const memberId = async (email: string) => {
    const res = await t.call('GET', '/v1/members', { key });
    const { members } = (await res.json()) as { members: { id: string; email: string }[] };
    return members.find((m) => m.email === email)?.id as string;
  };
  /** The owner's events of one action family, oldest first, as the audit page exports them. */
  const trail = async (family: string): Promise<Row[]> => {
    const q = new URLSearchParams({ format: 'ndjson', action: family, actor: 'owner@acme.test' });
    const text = await (await dash('GET', `/audit?${q}`)).text();
    return text
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Row)
      .reverse();
  };
  const shown = async (family: string) =>
    [
      ...(await (await dash('GET', `/audit?action=${family}`)).text()).matchAll(
        /data-label="Action">([^<]+)</g,
      ),
    ].map((m) => m[1]);
  return { t, acme, key, dash, memberId, trail, shown };
}

describe('the audit trail of members and API keys', () => {
  it('adding, re-roling and removing a member writes the same events over the API and the dashboard', async () => {
    const s = await setup();
    const added = await s.t.call('POST', '/v1/members', {
      key: s.key,
      body: { email: 'api@acme.test', role: 'member' },
    });
    expect(added.status).toBe(201);
    const viaApi = await s.memberId('api@acme.test');
    expect(
      (await s.t.call('PATCH', `/v1/members/${viaApi}`, { key: s.key, body: { role: 'owner' } })).status,
    ).toBe(200);
    expect((await s.t.call('DELETE', `/v1/members/${viaApi}`, { key: s.key })).status).toBe(200);

    expect((await s.dash('POST', '/members', { email: 'dash@acme.test', role: 'member' })).status).toBe(200);
    const viaDash = await s.memberId('dash@acme.test');
    expect((await s.dash('POST', `/members/${viaDash}/role`, { role: 'owner' })).status).toBe(303);
    expect((await s.dash('POST', `/members/${viaDash}/remove`)).status).toBe(303);
    // Refused (the only owner cannot step down): no event.
    expect((await s.dash('POST', `/members/${s.acme.owner.member.id}/role`, { role: 'member' })).status).toBe(
      409,
    );

    const per = (email: string, id: string) => [
      {
        actorEmail: 'owner@acme.test',
        action: 'member.add',
        subject: id,
        from: null,
        to: `${email} (member)`,
      },
      { actorEmail: 'owner@acme.test', action: 'member.role', subject: id, from: 'member', to: 'owner' },
      {
        actorEmail: 'owner@acme.test',
        action: 'member.remove',
        subject: id,
        from: `${email} (owner)`,
        to: null,
      },
    ];
    expect(await s.trail('member.')).toMatchObject([
      ...per('api@acme.test', viaApi),
      ...per('dash@acme.test', viaDash),
    ]);
    expect(await s.shown('member.')).toEqual(
      expect.arrayContaining(['member.add', 'member.role', 'member.remove']),
    );
    expect(await s.shown('member.')).not.toContain('api_key.create');
  });

  it('creating and revoking an API key writes an event over the API; revoking from the dashboard writes the same', async () => {
    const s = await setup();
    const create = async (name: string) => {
      const res = await s.t.call('POST', '/v1/keys', { key: s.key, body: { name } });
      expect(res.status).toBe(201);
      return ((await res.json()) as { apiKey: { id: string } }).apiKey.id;
    };
    const viaApi = await create('ci');
    expect((await s.t.call('DELETE', `/v1/keys/${viaApi}`, { key: s.key })).status).toBe(200);
    // A second revoke keeps the first and records nothing new.
    expect((await s.t.call('DELETE', `/v1/keys/${viaApi}`, { key: s.key })).status).toBe(200);
    const viaDash = await create('laptop');
    expect((await s.dash('POST', `/members/keys/${viaDash}/revoke`)).status).toBe(303);

    const owner = 'owner@acme.test';
    expect(await s.trail('api_key.')).toMatchObject([
      { actorEmail: owner, action: 'api_key.create', subject: viaApi, to: 'ci' },
      { actorEmail: owner, action: 'api_key.revoke', subject: viaApi, from: 'active', to: 'revoked' },
      { actorEmail: owner, action: 'api_key.create', subject: viaDash, to: 'laptop' },
      { actorEmail: owner, action: 'api_key.revoke', subject: viaDash, from: 'active', to: 'revoked' },
    ]);
    expect(await s.shown('api_key.')).toContain('api_key.revoke');
  });
});
