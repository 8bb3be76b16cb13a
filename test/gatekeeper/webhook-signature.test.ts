import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqlite } from '../../gatekeeper/db/open-sqlite.js';
import { createDrain } from '../../gatekeeper/outbox/drain.js';
import { createOutbound } from '../../gatekeeper/webhooks/outbound.js';
import { createWebhook, rotateWebhookSecret, sendTestEvent } from '../../gatekeeper/webhooks/service.js';
import { createTestApp } from '../helpers/gatekeeper.js';
import { startWebhookReceiver } from '../helpers/webhook-receiver.js';

/**
 * The third-party judge of the signing scheme: the `standardwebhooks` npm package, not the project's own
 * code. Without it installed this file is skipped, naming it.
 */
type Verifier = { verify(payload: string, headers: Record<string, string>): unknown };
let Webhook: (new (secret: string) => Verifier) | undefined;
try {
  Webhook = (
    createRequire(import.meta.url)('standardwebhooks') as { Webhook: new (secret: string) => Verifier }
  ).Webhook;
} catch {
  Webhook = undefined;
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

describe.skipIf(!Webhook)(
  'webhook signatures, verified by the standardwebhooks package (skipped when the npm package standardwebhooks is not installed)',
  () => {
    it('every delivery verifies with the endpoint secret; after a rotation, with the new and the old one', async () => {
      const db = await openSqlite({ file: join(mkdtempSync(join(tmpdir(), 'cg-sig-')), 'gatekeeper.db') });
      closers.push(() => db.close());
      const t = await createTestApp({ db });
      const acme = await t.org('Acme');
      // Real time throughout: Standard Webhooks refuses a timestamp far from the receiver's clock.
      const deps = { db, now: () => new Date(), policy: { allowHttpLoopback: true } };
      const actor = { orgId: acme.org.id, memberId: acme.owner.member.id };
      let secrets: string[] = [];
      const receiver = await startWebhookReceiver({
        // Accepted when any current secret verifies it, as a receiver mid-rotation does.
        verify: (body, headers) => {
          const errors: unknown[] = [];
          for (const s of secrets) {
            try {
              new Webhook!(s).verify(body, headers);
              return;
            } catch (err) {
              errors.push(err);
            }
          }
          throw errors[0];
        },
      });
      closers.push(receiver.close);
      const made = await createWebhook(deps, actor, { url: receiver.url, events: ['*'] });
      secrets = [made.secret];
      const drain = createDrain({
        db,
        now: deps.now,
        send: createOutbound({ allowHttpLoopback: true }),
        retryDelay: () => 0,
      });
      await sendTestEvent(deps, actor, made.row.id);
      await drain.runOnce();
      const rotated = await rotateWebhookSecret(deps, actor, made.row.id);
      // The old secret alone still verifies (the previous one signs for a day), and the new one alone.
      for (const only of [made.secret, rotated.secret]) {
        secrets = [only];
        await sendTestEvent(deps, actor, made.row.id);
        await drain.runOnce();
      }
      expect(receiver.failures).toEqual([]);
      expect(receiver.unique().map((e) => e.type)).toEqual(['webhook.test', 'webhook.test', 'webhook.test']);
    });
  },
);
