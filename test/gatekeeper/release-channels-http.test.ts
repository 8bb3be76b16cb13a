import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCourseOf } from '../../gatekeeper/courses/service.js';
import { listAuditEvents } from '../../gatekeeper/db/audit-events.js';
import { createDeployment } from '../../gatekeeper/db/deployments.js';
import { createOrgWithOwner } from '../../gatekeeper/orgs/service.js';
import { expectUnbrokenChain } from '../helpers/audit-chain.js';
import { RACE_TARGETS, type RaceTarget } from '../helpers/race-targets.js';

interface Answer {
  status: number;
  json: Record<string, unknown> & {
    error?: { code: string; message: string; details?: Record<string, unknown> };
  };
}

/**
 * Release channels over real sockets, on the Node server in its own process and on the Worker under
 * Miniflare (issue 26's acceptance): three licenses of one course, on `live`, on `beta` and pinned,
 * launch three deployments; a promotion or rollback of one channel moves only its licenses; each change
 * is audited with actor, time and reason; and of two promotions to one channel from one state, one wins.
 */
describe.each(Object.entries(RACE_TARGETS))('release channels over HTTP: %s', (_, start) => {
  let target: RaceTarget | undefined;
  let key = '';
  let course = '';
  let orgId = '';
  /** Finalized deployments d[0..5]; d[5] is still uploading. */
  const d: string[] = [];
  /** The licenses on live, on beta and pinned, with their tokens. */
  const lic: { id: string; token: string }[] = [];

  const send = async (method: string, path: string, body?: unknown): Promise<Answer> => {
    const res = await fetch(`${target!.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, json: (await res.json()) as Answer['json'] };
  };
  const ok = async (method: string, path: string, body?: unknown) => {
    const a = await send(method, path, body);
    expect(a.status, JSON.stringify(a.json)).toBeLessThan(300);
    return a.json;
  };
  const promote = (channel: string, deployment: string, expectedLive: string | null) =>
    send('POST', `/v1/courses/${course}/promote`, {
      channel,
      deployment,
      expectedLive,
      reason: `${deployment} to ${channel}`,
    });
  /** The deployment each license's launch opens, read from the content URL the launch answers. */
  const launched = async () =>
    Promise.all(
      lic.map(async ({ token }) => {
        const res = await fetch(`${target!.url}/v1/launch`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ token, standard: 'scorm12' }),
        });
        const body = (await res.json()) as { contentUrl?: string };
        expect(res.status, JSON.stringify(body)).toBe(200);
        return d.find((id) => body.contentUrl?.includes(`/${id}/`));
      }),
    );

  beforeAll(async () => {
    target = await start();
    const { db } = target;
    const deps = { db, now: () => new Date() };
    const made = await createOrgWithOwner(deps, {
      name: 'Channels',
      owner: { email: 'ops@channels.test' },
      keyName: 'ops',
    });
    key = made.key;
    orgId = made.org.id;
    course = (await createCourseOf(deps, { orgId }, { slug: 'intro', title: 'Intro' })).id;
    for (let i = 0; i < 6; i++)
      d.push(
        (
          await createDeployment(db, {
            orgId,
            courseId: course,
            entry: 'index.html',
            files: [],
            now: Date.now(),
            ...(i === 5 ? { status: 'uploading' as const } : {}),
          })
        ).id,
      );
    expect((await promote('live', d[0]!, null)).status).toBe(200);
    await ok('POST', `/v1/courses/${course}/channels`, { name: 'beta' });
    expect((await promote('beta', d[1]!, null)).status).toBe(200);
    for (const client of ['Live Co', 'Beta Co', 'Pinned Co']) {
      const issued = await ok('POST', '/v1/licenses', { courseId: course, clientName: client });
      lic.push({ id: (issued.license as { id: string }).id, token: issued.token as string });
    }
    await ok('POST', `/v1/licenses/${lic[1]!.id}/follow`, { channel: 'beta', reason: 'pilot' });
    await ok('POST', `/v1/licenses/${lic[2]!.id}/follow`, { deployment: d[2], reason: 'audited v2' });
  }, 120_000);
  afterAll(async () => {
    await target?.close();
  });

  it('three licenses (live, beta, pinned) launch three deployments; the course lists each channel with its licenses', async () => {
    expect(await launched()).toEqual([d[0], d[1], d[2]]);
    const listed = await ok('GET', `/v1/courses/${course}/channels`);
    expect(listed).toEqual({
      channels: [
        { name: 'live', deploymentId: d[0], licenses: [{ id: lic[0]!.id, clientName: 'Live Co' }] },
        { name: 'beta', deploymentId: d[1], licenses: [{ id: lic[1]!.id, clientName: 'Beta Co' }] },
      ],
      pinned: [{ id: lic[2]!.id, clientName: 'Pinned Co', deploymentId: d[2] }],
    });
  });

  it('promote to beta moves only the beta license; rollback of live moves only the live one', async () => {
    expect((await promote('beta', d[3]!, d[1]!)).status).toBe(200);
    expect(await launched()).toEqual([d[0], d[3], d[2]]);
    expect((await promote('live', d[4]!, d[0]!)).status).toBe(200);
    expect(await launched()).toEqual([d[4], d[3], d[2]]);
    const back = await send('POST', `/v1/courses/${course}/rollback`, {
      reason: 'v5 broke scoring',
      expectedLive: d[4],
    });
    expect([back.status, back.json.from, back.json.to, back.json.channel]).toEqual([200, d[4], d[0], 'live']);
    expect(await launched()).toEqual([d[0], d[3], d[2]]);
  });

  it('each change is in the audit history with actor, time and reason; what a license follows too', async () => {
    type Event = {
      at: string;
      actor: string;
      action: string;
      from: string | null;
      to: string;
      reason: string;
    };
    const beta = (await ok('GET', `/v1/courses/${course}/history?channel=beta`)) as { events: Event[] };
    expect(beta.events.map((e) => [e.actor, e.action, e.from, e.to, e.reason])).toEqual([
      ['ops@channels.test', 'promote', d[1], d[3], `${d[3]} to beta`],
      ['ops@channels.test', 'promote', null, d[1], `${d[1]} to beta`],
    ]);
    const live = (await ok('GET', `/v1/courses/${course}/history`)) as { events: Event[] };
    expect(live.events.map((e) => [e.action, e.to, e.reason])).toEqual([
      ['rollback', d[0], 'v5 broke scoring'],
      ['promote', d[4], `${d[4]} to live`],
      ['promote', d[0], `${d[0]} to live`],
    ]);
    for (const e of [...beta.events, ...live.events]) expect(Date.parse(e.at)).toBeGreaterThan(0);
    const follows = (await listAuditEvents(target!.db, orgId)).filter((e) => e.action === 'license.follow');
    expect(
      follows.map((e) => [e.subject, e.fromValue, e.toValue, e.reason, e.actor.startsWith('mem_')]),
    ).toEqual([
      [lic[2]!.id, 'channel:live', `deployment:${d[2]}`, 'audited v2', true],
      [lic[1]!.id, 'channel:live', 'channel:beta', 'pilot', true],
    ]);
  });

  it('promotes to one channel sent at once from one state: one 200, the others 409 live_changed naming the winner', async () => {
    const seen = d[3]!;
    const contenders = [d[1]!, d[2]!, d[4]!, d[0]!];
    // Connections opened first, so the promotions are not spread out by TCP handshakes.
    await Promise.all(contenders.map(() => send('GET', `/v1/courses/${course}/channels`)));
    const answers = await Promise.all(contenders.map((to) => promote('beta', to, seen)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409, 409]);
    const winner = answers.find((a) => a.status === 200)!.json.to as string;
    for (const lost of answers.filter((a) => a.status === 409))
      expect(lost.json.error).toMatchObject({
        code: 'live_changed',
        details: { live: winner, expected: seen },
      });
    const history = (await ok('GET', `/v1/courses/${course}/history?channel=beta`)) as {
      events: { from: string | null; to: string }[];
    };
    expectUnbrokenChain(history.events, null, winner);
    // The live channel did not move.
    expect((await launched())[0]).toBe(d[0]);
  });

  it('refuses what would strand a license or break a pin, by code: a followed channel, a missing reason, an unfinalized pin', async () => {
    const del = await send('DELETE', `/v1/courses/${course}/channels/beta`);
    expect([del.status, del.json.error?.code, del.json.error?.details]).toEqual([
      409,
      'channel_in_use',
      { licenses: [{ id: lic[1]!.id, clientName: 'Beta Co' }] },
    ]);
    expect(del.json.error?.message).toContain('Beta Co');
    const noReason = await send('POST', `/v1/licenses/${lic[1]!.id}/follow`, { channel: 'live' });
    expect([noReason.status, noReason.json.error?.code]).toEqual([400, 'reason_required']);
    const unknown = await send('POST', `/v1/licenses/${lic[1]!.id}/follow`, {
      channel: 'gamma',
      reason: 'x',
    });
    expect([unknown.status, unknown.json.error?.code]).toEqual([404, 'channel_not_found']);
    const raw = await send('POST', `/v1/licenses/${lic[1]!.id}/follow`, { deployment: d[5], reason: 'x' });
    expect([raw.status, raw.json.error?.code]).toEqual([409, 'deployment_not_finalized']);
    const twice = await send('POST', `/v1/courses/${course}/channels`, { name: 'beta' });
    expect([twice.status, twice.json.error?.code]).toEqual([409, 'channel_exists']);
    // Once nobody follows it, it goes; the license back on live launches the live deployment.
    await ok('POST', `/v1/licenses/${lic[1]!.id}/follow`, { channel: 'live', reason: 'pilot over' });
    await ok('DELETE', `/v1/courses/${course}/channels/beta`);
    expect(await launched()).toEqual([d[0], d[0], d[2]]);
    const gone = await send('GET', `/v1/courses/${course}/history?channel=beta`);
    expect([gone.status, gone.json.error?.code]).toEqual([404, 'channel_not_found']);
  });
});
