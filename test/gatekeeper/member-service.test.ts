import { describe, expect, it } from 'vitest';
import { addMember, changeMemberRole, removeMember } from '../../gatekeeper/members/service.js';
import { dashboardSignIn } from '../helpers/dashboard.js';
import { createTestApp } from '../helpers/gatekeeper.js';

/** An org whose only owner is signed in to the dashboard (its other member is a plain member). */
async function setup() {
  const t = await createTestApp();
  const acme = await t.org('Acme');
  const dashboard = await dashboardSignIn(t, acme.owner.member);
  const roles = async (key = acme.owner.key) => {
    const res = await t.call('GET', '/v1/members', { key });
    const { members } = (await res.json()) as { members: { id: string; role: string }[] };
    return Object.fromEntries(members.map((m) => [m.id, m.role]));
  };
  return { t, acme, dashboard, roles };
}

const alertOf = async (res: Response) => /role="alert"[^>]*>\s*([^<]*)/.exec(await res.text())?.[1]?.trim();

describe('members: the last owner stays, from the dashboard as from the API', () => {
  it('the dashboard refuses to demote or remove the only owner, and changes nothing', async () => {
    const s = await setup();
    const owner = s.acme.owner.member.id;
    const before = await s.roles();
    const demote = await s.dashboard('POST', `/members/${owner}/role`, { role: 'member' });
    expect(demote.status).toBe(409);
    expect(await alertOf(demote)).toBe('An organisation needs at least one owner');
    const remove = await s.dashboard('POST', `/members/${owner}/remove`);
    expect(remove.status).toBe(409);
    expect(await s.roles()).toEqual(before);
    // The owner's key still works: nothing of theirs went.
    expect((await s.t.call('GET', '/v1/org', { key: s.acme.owner.key })).status).toBe(200);
  });

  it('the API refuses the same, with the same words', async () => {
    const s = await setup();
    const owner = s.acme.owner.member.id;
    const demote = await s.t.call('PATCH', `/v1/members/${owner}`, {
      key: s.acme.owner.key,
      body: { role: 'member' },
    });
    const remove = await s.t.call('DELETE', `/v1/members/${owner}`, { key: s.acme.owner.key });
    for (const res of [demote, remove]) {
      expect(res.status).toBe(409);
      expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
        'An organisation needs at least one owner',
      );
    }
  });

  it('with a second owner the dashboard lets the first step down, then refuses the second; removal takes the keys', async () => {
    const s = await setup();
    const member = s.acme.member;
    expect((await s.dashboard('POST', `/members/${member.member.id}/role`, { role: 'owner' })).status).toBe(
      303,
    );
    expect(
      (await s.dashboard('POST', `/members/${s.acme.owner.member.id}/role`, { role: 'member' })).status,
    ).toBe(303);
    expect(await s.roles()).toEqual({ [s.acme.owner.member.id]: 'member', [member.member.id]: 'owner' });
    const asNewOwner = await dashboardSignIn(s.t, member.member);
    expect((await asNewOwner('POST', `/members/${member.member.id}/remove`)).status).toBe(409);
    expect((await asNewOwner('POST', `/members/${s.acme.owner.member.id}/remove`)).status).toBe(303);
    expect((await s.t.call('GET', '/v1/org', { key: s.acme.owner.key })).status).toBe(401);
    expect(await s.roles(member.key)).toEqual({ [member.member.id]: 'owner' });
  });

  it('the service refuses a role it does not know, a taken email, and a member of another org', async () => {
    const s = await setup();
    const deps = { db: s.t.db, now: () => s.t.clock.now };
    const acme = { orgId: s.acme.org.id, memberId: s.acme.owner.member.id };
    const other = await s.t.org('Other');
    await expect(
      changeMemberRole(deps, acme, { id: s.acme.member.member.id, role: 'admin' as 'owner' }),
    ).rejects.toMatchObject({ status: 400 });
    await expect(addMember(deps, acme, { email: 'OWNER@acme.test', role: 'member' })).rejects.toMatchObject({
      status: 409,
      message: 'That email already belongs to a member',
    });
    await expect(removeMember(deps, acme, { id: other.owner.member.id })).rejects.toMatchObject({
      status: 404,
    });
    expect((await s.t.call('GET', '/v1/org', { key: other.owner.key })).status).toBe(200);
  });
});
