import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCourseOf } from '../../gatekeeper/courses/service.js';
import { createDeployment } from '../../gatekeeper/db/deployments.js';
import { createOrgWithOwner } from '../../gatekeeper/orgs/service.js';
import { expectUnbrokenChain } from '../helpers/audit-chain.js';
import { RACE_TARGETS, type RaceTarget } from '../helpers/race-targets.js';

interface Answer {
  status: number;
  from?: string | null;
  to?: string;
  code?: string;
  details?: { live: string | null; expected: string | null };
}

/** Storms per test: each is a fresh chance for requests to overtake one another. */
const ROUNDS = 4;

/**
 * Operators racing each other on one course over loopback HTTP: every request says which deployment
 * it saw live, and of the requests sent at once from one state exactly one changes it; the others
 * answer 409 `live_changed` naming where it went. The history stays one chain: no change was written
 * from a state that no longer held.
 */
describe.each(Object.entries(RACE_TARGETS))('concurrent promotes and rollbacks over HTTP: %s', (_, start) => {
  let target: RaceTarget | undefined;
  let url = '';
  let key = '';
  let course = '';
  const staged: string[] = [];

  beforeAll(async () => {
    target = await start();
    url = target.url;
    const { db } = target;
    // Seeded beside the running server through the services, as `coursegate admin` would.
    const deps = { db, now: () => new Date() };
    const made = await createOrgWithOwner(deps, {
      name: 'Race',
      owner: { email: 'ops@race.test' },
      keyName: 'ops',
    });
    key = made.key;
    course = (await createCourseOf(deps, { orgId: made.org.id }, { slug: 'race', title: 'Race' })).id;
    for (let i = 0; i < 4 + ROUNDS + 3 * ROUNDS; i++)
      staged.push(
        (
          await createDeployment(db, {
            orgId: made.org.id,
            courseId: course,
            entry: 'index.html',
            files: [],
            now: Date.now(),
          })
        ).id,
      );
  }, 120_000);
  afterAll(async () => {
    await target?.close();
  });

  const send = async (path: string, body?: unknown): Promise<Answer> => {
    const res = await fetch(`${url}/v1/courses/${course}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await res.json()) as Record<string, unknown> & {
      error?: { code: string; details?: Answer['details'] };
    };
    return { status: res.status, ...json, code: json.error?.code, details: json.error?.details };
  };
  const live = async () =>
    ((await send('')) as { liveDeploymentId?: string | null }).liveDeploymentId ?? null;
  const promote = (deployment: string, expectedLive: string | null) =>
    send('/promote', { deployment, reason: `ship ${deployment}`, expectedLive });
  const rollback = (expectedLive: string | null) =>
    send('/rollback', { reason: 'bad release', expectedLive });

  /** Exactly one answer is 200 and moved the pointer from `seen`; every other is 409 naming the new live. */
  function oneWinner(answers: Answer[], seen: string | null) {
    const won = answers.filter((a) => a.status === 200);
    expect(
      answers.map((a) => a.status).sort(),
      JSON.stringify(answers.map((a) => [a.status, a.code])),
    ).toEqual([200, ...Array(answers.length - 1).fill(409)]);
    expect(won[0]?.from).toBe(seen);
    for (const lost of answers.filter((a) => a.status !== 200)) {
      expect(lost.code).toBe('live_changed');
      expect(lost.details).toEqual({ live: won[0]?.to, expected: seen });
    }
    return won[0]!.to!;
  }

  /**
   * Sends the requests at once over as many open connections: the connections are opened first (one
   * read each), so the requests do not arrive spread out by TCP handshakes.
   */
  async function atOnce(requests: (() => Promise<Answer>)[]) {
    await Promise.all(requests.map(() => send('')));
    return Promise.all(requests.map((r) => r()));
  }

  let changes = 0;

  it('ten rollbacks at once from one live state, round after round: one rolls back, nine are 409 live_changed', async () => {
    // Releases one after the other, so that rollbacks, if they all went through, would walk back through them.
    let seen: string | null = null;
    let next = 0;
    for (; next < 4; next++, changes++) {
      expect((await promote(staged[next]!, seen)).status).toBe(200);
      seen = staged[next]!;
    }
    for (let round = 0; round < ROUNDS; round++, next++, changes += 2) {
      const previous = seen;
      expect((await promote(staged[next]!, previous)).status).toBe(200);
      const answers = await atOnce(Array.from({ length: 10 }, () => () => rollback(staged[next]!)));
      expect(oneWinner(answers, staged[next]!)).toBe(previous);
      expect(await live()).toBe(previous);
    }
  });

  it('promote/rollback pairs at once from one live state, round after round: one change per round, and the audit chain has no gaps', async () => {
    let next = 4 + ROUNDS;
    for (let round = 0; round < ROUNDS; round++, changes++) {
      const seen = await live();
      // Three operators promote new releases while three others roll back what they see.
      const answers = await atOnce(
        [0, 1, 2].flatMap(() => {
          const release = staged[next++]!;
          return [() => promote(release, seen), () => rollback(seen)];
        }),
      );
      expect(oneWinner(answers, seen)).toBe(await live());
    }
    const history = (await send('/history')) as Answer & {
      events?: { from: string | null; to: string | null }[];
    };
    // Every change that answered 200 here and in the test before, and no other.
    expect(history.events).toHaveLength(changes);
    expectUnbrokenChain(history.events!, null, await live());
  });
});
