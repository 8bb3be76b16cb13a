import { describe, expect, it } from 'vitest';
import { ingestSetup, postStatements, statement } from '../gatekeeper/ingest-setup.js';
import { TEST_CONTENT_URL, TEST_PUBLIC_URL } from '../helpers/gatekeeper.js';
import { sharedWorkerTarget } from '../helpers/worker-target.js';

type Json = Record<string, unknown>;

describe("the Worker's Cron Trigger", () => {
  it('purges telemetry and launch records older than the retention period (365 days by default)', async () => {
    const s = await ingestSetup();
    const old = await s.launch();
    await postStatements(s.t, old.token, [statement(old.id)]);
    s.t.clock.now = new Date('2026-03-20T12:00:00Z');
    const recent = await s.launch();
    await postStatements(s.t, recent.token, [statement(recent.id)]);

    // The Worker createTestApp sends requests to in this project.
    const worker = await sharedWorkerTarget({ publicUrl: TEST_PUBLIC_URL, contentUrl: TEST_CONTENT_URL });
    const cron = await worker.mf.getWorker();
    const launches = async () =>
      (
        (await (
          await s.t.call('GET', `/v1/courses/${s.course.id}/launches`, { key: s.a.owner.key })
        ).json()) as { launches: Json[] }
      ).launches.map((l) => l.sessionId);
    const statements = async () =>
      (
        (await (await s.t.call('GET', '/xapi/statements', { key: s.a.owner.key })).json()) as {
          statements: { actor: { account: { name: string } } }[];
        }
      ).statements.map((x) => x.actor.account.name);

    await cron.scheduled({ scheduledTime: new Date('2027-02-01T00:00:00Z'), cron: '17 3 * * *' });
    expect((await launches()).sort()).toEqual([old.id, recent.id].sort());

    await cron.scheduled({ scheduledTime: new Date('2027-03-10T00:00:00Z'), cron: '17 3 * * *' });
    expect(await launches()).toEqual([recent.id]);
    expect(await statements()).toEqual([recent.id]);
  });
});
