import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCourseOf } from '../../gatekeeper/courses/service.js';
import { DATABASE_FILE } from '../../gatekeeper/db/database-file.js';
import { createDeployment } from '../../gatekeeper/db/deployments.js';
import { openSqlite } from '../../gatekeeper/db/open-sqlite.js';
import { createOrgWithOwner } from '../../gatekeeper/orgs/service.js';
import { expectUnbrokenChain } from '../helpers/audit-chain.js';
import { spawnGatekeeper } from '../helpers/gatekeeper-process.js';

interface Answer {
  status: number;
  from?: string | null;
  to?: string;
  code?: string;
  details?: { live: string | null; expected: string | null };
}

/**
 * Operators racing each other on one course, against the Gatekeeper as an operator runs it (its own
 * process, SQLite on disk) over loopback HTTP: every request says which deployment it saw live, and of
 * the requests sent at once from one state exactly one changes it; the others answer 409
 * `live_changed` naming where it went. The history stays one chain: no change was written from a
 * state that no longer held.
 */
describe('concurrent promotes and rollbacks over HTTP against the real server', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'cg-race-'));
  let child: ChildProcess | undefined;
  let url = '';
  let key = '';
  let course = '';
  const staged: string[] = [];

  beforeAll(async () => {
    const started = await spawnGatekeeper(dir);
    child = started.child;
    url = started.url;
    // Seeded beside the running server through the services, as `coursegate admin` would.
    const db = await openSqlite({ file: join(dir, DATABASE_FILE) });
    const deps = { db, now: () => new Date() };
    const made = await createOrgWithOwner(deps, {
      name: 'Race',
      owner: { email: 'ops@race.test' },
      keyName: 'ops',
    });
    key = made.key;
    course = (await createCourseOf(deps, { orgId: made.org.id }, { slug: 'race', title: 'Race' })).id;
    for (let i = 0; i < 16; i++)
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
    await db.close();
  });
  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
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

  it('ten rollbacks at once from one live state: one rolls back, nine are 409 live_changed', async () => {
    // Five releases, so that the rollbacks, if they all went through, would walk back through them all.
    let seen: string | null = null;
    for (const d of staged.slice(0, 5)) {
      expect((await promote(d, seen)).status).toBe(200);
      seen = d;
    }
    const answers = await Promise.all(Array.from({ length: 10 }, () => rollback(seen)));
    expect(oneWinner(answers, seen)).toBe(staged[3]);
    expect(await live()).toBe(staged[3]);
  });

  it('promote/rollback pairs at once from one live state, round after round: one change per round, and the audit chain has no gaps', async () => {
    let next = 5;
    for (let round = 0; round < 5; round++) {
      const seen = await live();
      // Two operators promote new releases while two others roll back what they see.
      const answers = await Promise.all([
        promote(staged[next++]!, seen),
        rollback(seen),
        promote(staged[next++]!, seen),
        rollback(seen),
      ]);
      expect(oneWinner(answers, seen)).toBe(await live());
    }
    const history = (await send('/history')) as Answer & {
      events?: { from: string | null; to: string | null }[];
    };
    // Five promotions, one rollback from the first test, one change per round here.
    expect(history.events).toHaveLength(5 + 1 + 5);
    expectUnbrokenChain(history.events!, null, await live());
  });
});
