import { describe, expect, it } from 'vitest';
import { createRetention } from '../../gatekeeper/ingest/retention.js';
import { ingestSetup, postStatements, statement } from './ingest-setup.js';

type Json = Record<string, unknown>;

describe('retention', () => {
  it('purges records older than the retention period at start and on each scheduled run', async () => {
    const s = await ingestSetup();
    const old = await s.launch();
    await postStatements(s.t, old.token, [statement(old.id)]);
    await s.t.call('POST', '/v1/errors', {
      body: {
        errors: [
          {
            id: 'r1',
            fingerprint: 'f1',
            kind: 'error',
            message: 'old',
            count: 1,
            firstAt: '2026-03-01T11:00:00Z',
            lastAt: '2026-03-01T11:00:00Z',
            course: 'intro',
            breadcrumbs: [],
          },
        ],
      },
      headers: { authorization: `Bearer ${old.token}` },
    });
    s.t.clock.now = new Date('2026-03-20T12:00:00Z');
    const recent = await s.launch();
    await postStatements(s.t, recent.token, [statement(recent.id)]);

    let scheduled: (() => void) | undefined;
    let every = 0;
    const retention = createRetention({
      db: s.t.db,
      days: 10,
      now: () => s.t.clock.now,
      schedule: (task, ms) => {
        scheduled = task;
        every = ms;
        return () => {};
      },
    });
    retention.start();
    await retention.purge();
    expect(every).toBe(86_400_000);
    const list = async (kind: string) =>
      (
        (await (
          await s.t.call('GET', `/v1/courses/${s.course.id}/${kind}`, { key: s.a.owner.key })
        ).json()) as Record<string, Json[]>
      )[kind] ?? [];
    expect((await list('completions')).map((c) => c.sessionId)).toEqual([recent.id]);
    expect(await list('errors')).toEqual([]);
    expect((await list('launches')).map((l) => l.sessionId)).toEqual([recent.id]);
    const read = await s.t.call('GET', '/xapi/statements', { key: s.a.owner.key });
    const stored = ((await read.json()) as { statements: { actor: { account: { name: string } } }[] })
      .statements;
    expect(stored.map((x) => x.actor.account.name)).toEqual([recent.id]);

    s.t.clock.now = new Date('2026-04-05T12:00:00Z');
    scheduled?.();
    await new Promise((r) => setTimeout(r, 20));
    expect(await list('launches')).toEqual([]);
  });
});
