import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqlite } from '../../gatekeeper/db/open-sqlite.js';
import { outboxEvents } from '../../gatekeeper/db/schema.js';
import { insertSessionStatement } from '../../gatekeeper/db/sessions.js';
import { completionParams, prepareCompletionUpsert } from '../../gatekeeper/ingest/completion-upsert.js';
import { createDrain } from '../../gatekeeper/outbox/drain.js';
import { createOutbound } from '../../gatekeeper/webhooks/outbound.js';
import { createWebhook } from '../../gatekeeper/webhooks/service.js';
import { startWebhookReceiver } from '../helpers/webhook-receiver.js';
import { onWorker } from '../helpers/worker-target.js';
import { errorReport, ingestSetup } from './ingest-setup.js';

const NOTHING = {
  score: null,
  scoreMin: null,
  scoreMax: null,
  scoreScaled: null,
  progress: null,
  durationMs: null,
};

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/**
 * A real SQLite file, an org with a launched license, and a loopback receiver that verifies every
 * delivery with the standardwebhooks package, subscribed to `events`.
 */
async function setup(events: string[]) {
  // On Node a real SQLite file; on the Worker the app's D1 (migration 0013's triggers run there too).
  const file = onWorker
    ? undefined
    : await openSqlite({ file: join(mkdtempSync(join(tmpdir(), 'cg-trigger-events-')), 'g.db') });
  if (file) closers.push(() => file.close());
  const { createTestApp } = await import('../helpers/gatekeeper.js');
  const t = await createTestApp(file ? { db: file } : {});
  const db = t.db;
  const s = await ingestSetup(t);
  let secret = '';
  const receiver = await startWebhookReceiver({
    verify: (body, headers) => new Webhook(secret).verify(body, headers),
  });
  closers.push(receiver.close);
  const deps = { db, now: () => t.clock.now, policy: { allowHttpLoopback: true } };
  const actor = { orgId: s.a.org.id, memberId: s.a.owner.member.id };
  if (events.length > 0) secret = (await createWebhook(deps, actor, { url: receiver.url, events })).secret;
  // The receiver's verifier refuses a timestamp more than 5 minutes off its own clock.
  const drain = createDrain({
    db,
    now: () => new Date(),
    send: createOutbound({ allowHttpLoopback: true }),
    retryDelay: () => 1000,
  });
  const session = await s.launch();
  const sendErrors = (errors: unknown[]) =>
    t.call('POST', '/v1/errors', { body: { errors }, headers: { authorization: `Bearer ${session.token}` } });
  const delivered = async () => {
    await drain.runOnce();
    expect(receiver.failures).toEqual([]);
    return receiver.unique().map((e) => [e.type, e.data]);
  };
  // The completion upsert the statements ingest and the session reports run (gatekeeper/ingest/).
  const upsert = prepareCompletionUpsert(db, { seq: false });
  const row = {
    id: session.id,
    orgId: s.a.org.id,
    licenseId: s.license.id,
    courseId: s.course.id,
    deploymentId: s.deployment.id,
    standard: 'scorm12',
    createdAt: t.clock.now.getTime(),
    expiresAt: t.clock.now.getTime() + 3_600_000,
  };
  // The first request of a session writes its row, as session-auth.ts does.
  await db.batch([insertSessionStatement(db, row)]);
  const record = (completed: boolean) =>
    db.batchPrepared([
      [upsert, completionParams(row, { ...NOTHING, completed, passed: completed }, t.clock.now.getTime())],
    ]);
  return { ...s, db, session, sendErrors, delivered, receiver, record };
}

describe('events written by the database in the transaction of their cause', () => {
  it('errors.new_group once per group (a course fingerprint), errors.spike once 50 occurrences fall within 10 minutes', async () => {
    const s = await setup(['errors.new_group', 'errors.spike']);
    expect((await s.sendErrors([errorReport({ count: 3 })])).status).toBe(200);
    expect((await s.sendErrors([errorReport({ count: 2 }), errorReport({ fingerprint: 'f2' })])).status).toBe(
      200,
    );
    expect(await s.delivered()).toEqual([
      [
        'errors.new_group',
        expect.objectContaining({ courseId: s.course.id, fingerprint: 'abc123', kind: 'error' }),
      ],
      ['errors.new_group', expect.objectContaining({ fingerprint: 'f2' })],
    ]);
    // 5 so far; 44 more stays under the threshold, one more crosses it; later reports add nothing.
    await s.sendErrors([errorReport({ count: 44 })]);
    expect(await s.delivered()).toHaveLength(2);
    const retried = errorReport({ count: 1 });
    await s.sendErrors([retried]);
    await s.sendErrors([retried, errorReport({ count: 30 })]);
    const all = await s.delivered();
    expect(all.slice(2)).toEqual([
      [
        'errors.spike',
        expect.objectContaining({ fingerprint: 'abc123', occurrences: 50, threshold: 50, windowMinutes: 10 }),
      ],
    ]);
  });

  it('completion.recorded only to an endpoint that names it, once per session, when the record becomes completed', async () => {
    const everything = await setup(['*']);
    await everything.record(true);
    const types = (await everything.db.orm.select().from(outboxEvents)).map((e) => e.type);
    expect(types).not.toContain('completion.recorded');

    const s = await setup(['completion.recorded']);
    await s.record(false); // progress, not completion: nothing
    expect(await s.delivered()).toEqual([]);
    await s.record(true);
    await s.record(true);
    expect(await s.delivered()).toEqual([
      [
        'completion.recorded',
        expect.objectContaining({
          sessionId: s.session.id,
          courseId: s.course.id,
          licenseId: s.license.id,
          clientName: 'Client LMS',
          passed: true,
        }),
      ],
    ]);
  });

  it('no endpoint asks for them: error reports write no event', async () => {
    const s = await setup([]);
    await s.sendErrors([errorReport({ count: 60 })]);
    await s.record(true);
    // license.created is there (the services write their events whatever the endpoints); nothing else.
    expect((await s.db.orm.select().from(outboxEvents)).map((e) => e.type)).toEqual(['license.created']);
  });
});
