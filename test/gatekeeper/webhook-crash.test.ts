import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../gatekeeper/db/database-file.js';
import { openSqlite } from '../../gatekeeper/db/open-sqlite.js';
import { createWebhook } from '../../gatekeeper/webhooks/service.js';
import { seedAcmeCourse } from '../helpers/acme-course.js';
import { spawnGatekeeper } from '../helpers/gatekeeper-process.js';
import { startWebhookReceiver } from '../helpers/webhook-receiver.js';

const children: ChildProcess[] = [];
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  for (const clean of cleanups.splice(0)) await clean();
});

/** The server as operators run it, with loopback http allowed and a drain only at start (then hourly). */
const ENV = { COURSEGATE_WEBHOOKS_ALLOW_HTTP_LOOPBACK: 'true', COURSEGATE_WEBHOOK_DRAIN_MS: '3600000' };

describe('webhooks survive kill -9', () => {
  it('a revoke committed before the kill is delivered after the restart, once', {
    timeout: 60_000,
  }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cg-webhook-crash-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const receiver = await startWebhookReceiver();
    cleanups.push(receiver.close);
    const first = await spawnGatekeeper(dir, ENV);
    children.push(first.child);

    // Seeded beside the running server, on its database file, through the services.
    const db = await openSqlite({ file: join(dir, DATABASE_FILE) });
    const deps = { db, now: () => new Date() };
    const { key, actor, issue } = await seedAcmeCourse(deps);
    const license = await issue('Globex LMS');
    await createWebhook({ ...deps, policy: { allowHttpLoopback: true } }, actor, {
      url: receiver.url,
      events: ['license.revoked'],
    });
    await db.close();

    const revoked = await fetch(`${first.url}/v1/licenses/${license.id}/revoke`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'unpaid' }),
    });
    expect(revoked.status).toBe(200);
    // Committed and acknowledged; the next drain is an hour away. Pull the plug.
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    expect(receiver.received).toEqual([]);

    const second = await spawnGatekeeper(dir, ENV);
    children.push(second.child);
    await receiver.until(1);
    expect(receiver.unique()).toEqual([
      expect.objectContaining({
        type: 'license.revoked',
        data: { licenseId: license.id, courseId: license.courseId, clientName: 'Globex LMS' },
      }),
    ]);
  });
});
