import { describe, expect, it } from 'vitest';
import { createDeployment } from '../../gatekeeper/db/deployments.js';
import { tempFsStorage } from '../helpers/fs-storage.js';
import { createTestApp } from '../helpers/gatekeeper.js';

const codeOf = async (res: Response) => ((await res.json()) as { error?: { code: string } }).error?.code;

/**
 * Two requests at once, each passing the route's own check before either writes: the database's
 * constraints and conditional writes decide, and the loser gets a 409 rather than a 500 or a broken
 * state. `Promise.all` interleaves them at their first `await`, as two HTTP requests would.
 */
describe('requests that race', () => {
  it('two creates of one course slug or member email: one 201, one 409, never a 500', async () => {
    const t = await createTestApp();
    const { owner } = await t.org('Acme');
    const course = () =>
      t.call('POST', '/v1/courses', { key: owner.key, body: { slug: 'race', title: 'R' } });
    const courses = await Promise.all([course(), course()]);
    expect(courses.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(await codeOf(courses.find((r) => r.status === 409)!)).toBe('slug_taken');

    const member = () =>
      t.call('POST', '/v1/members', { key: owner.key, body: { email: 'dup@acme.test', role: 'member' } });
    const members = await Promise.all([member(), member()]);
    expect(members.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(await codeOf(members.find((r) => r.status === 409)!)).toBe('member_exists');
    const list = await t.call('GET', '/v1/members', { key: owner.key });
    const emails = ((await list.json()) as { members: { email: string }[] }).members.map((m) => m.email);
    expect(emails.filter((e) => e === 'dup@acme.test')).toHaveLength(1);
  });

  it('two promotes of different deployments from one live state: one wins, the other is 409, one live deployment, one audit event', async () => {
    const storage = await tempFsStorage();
    const t = await createTestApp({ storage });
    const { owner } = await t.org('Acme');
    const { course, deployment } = await t.liveCourse(owner.member.orgId, 'intro');
    const staged = async () =>
      (
        await createDeployment(t.db, {
          orgId: owner.member.orgId,
          courseId: course.id,
          entry: 'index.html',
          files: [],
          status: 'staged',
          now: t.clock.now.getTime(),
        })
      ).id;
    const [d3, d4] = [await staged(), await staged()];
    const promote = (to: string) =>
      t.call('POST', `/v1/courses/${course.id}/promote`, {
        key: owner.key,
        body: { deployment: to, reason: `ship ${to}`, expectedLive: deployment.id },
      });
    const answers = await Promise.all([promote(d3), promote(d4)]);
    const statuses = answers.map((r) => r.status);
    // Both expected the same live deployment: whether they interleave (one Node process) or run one
    // after the other (a Worker may), only the first changes it.
    expect(statuses.sort()).toEqual([200, 409]);
    for (const lost of answers.filter((r) => r.status === 409))
      expect(await codeOf(lost)).toBe('live_changed');

    const shown = await t.call('GET', `/v1/courses/${course.id}`, { key: owner.key });
    const live = ((await shown.json()) as { liveDeploymentId: string }).liveDeploymentId;
    const list = await t.call('GET', `/v1/courses/${course.id}/deployments`, { key: owner.key });
    const rows = ((await list.json()) as { deployments: { id: string; status: string }[] }).deployments;
    expect(rows.filter((d) => d.status === 'live').map((d) => d.id)).toEqual([live]);
    expect(rows.find((d) => d.id === deployment.id)?.status).toBe('retired');
    // One audit event per change that answered 200, each starting where the one before ended.
    const history = await t.call('GET', `/v1/courses/${course.id}/history`, { key: owner.key });
    const events = ((await history.json()) as { events: { from: string; to: string }[] }).events.reverse();
    expect(events).toHaveLength(statuses.filter((s) => s === 200).length);
    expect(events.map((e) => e.from)).toEqual([deployment.id, ...events.slice(0, -1).map((e) => e.to)]);
    expect(events.at(-1)?.to).toBe(live);
  });

  it('a sole owner can neither step down nor be removed: 409, and nothing changes', async () => {
    const t = await createTestApp();
    const { owner } = await t.org('Acme');
    const demote = await t.call('PATCH', `/v1/members/${owner.member.id}`, {
      key: owner.key,
      body: { role: 'member' },
    });
    const remove = await t.call('DELETE', `/v1/members/${owner.member.id}`, { key: owner.key });
    expect([demote.status, remove.status]).toEqual([409, 409]);
    expect([await codeOf(demote), await codeOf(remove)]).toEqual(['last_owner', 'last_owner']);
    expect((await t.call('GET', '/v1/org', { key: owner.key })).status).toBe(200);
  });

  it('two owners stepping down at once: one 200, one 409, and the org keeps an owner', async () => {
    const t = await createTestApp();
    const { owner } = await t.org('Acme');
    const second = await t.keyFor(owner.member.orgId, 'owner', 'second@acme.test');
    const demote = (key: string, id: string) =>
      t.call('PATCH', `/v1/members/${id}`, { key, body: { role: 'member' } });
    const answers = await Promise.all([
      demote(owner.key, owner.member.id),
      demote(second.key, second.member.id),
    ]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(await codeOf(answers.find((r) => r.status === 409)!)).toBe('last_owner');
    const list = await t.call('GET', '/v1/members', { key: owner.key });
    const roles = ((await list.json()) as { members: { role: string }[] }).members.map((m) => m.role);
    expect(roles.filter((r) => r === 'owner')).toHaveLength(1);
  });
});
