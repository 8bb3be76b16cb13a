import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import type { Database } from '../../gatekeeper/db/database.js';
import { DATABASE_FILE } from '../../gatekeeper/db/database-file.js';
import { openSqlite } from '../../gatekeeper/db/open-sqlite.js';
import { orgs, webhookEndpoints } from '../../gatekeeper/db/schema.js';
import { createOrgWithOwner } from '../../gatekeeper/orgs/service.js';
import { createDrain } from '../../gatekeeper/outbox/drain.js';
import { outboxStatements } from '../../gatekeeper/outbox/record.js';
import { createOutbound } from '../../gatekeeper/webhooks/outbound.js';
import { createWebhook, MAX_WEBHOOKS_PER_ORG } from '../../gatekeeper/webhooks/service.js';
import { startWebhookReceiver } from '../helpers/webhook-receiver.js';
import { fmt, load, median, seed, startServer } from './05-launch.bench.js';
import type { BenchRow } from './types.ts';

const SECONDS = 4;
/** Rounds with and without the endpoints alternate; each round runs the bare route and the launch. */
const ROUNDS = 6;
const DRAIN_EVENTS = 20;
/** What the bench's endpoints ask for: every event a launch can lead to (the alerts on launches). */
const LAUNCH_EVENTS = ['launch.denied', 'license.cap_reached', 'license.revoked'];
const LOOPBACK = { COURSEGATE_WEBHOOKS_ALLOW_HTTP_LOOPBACK: 'true' };

/** Adds `MAX_WEBHOOKS_PER_ORG` (100) endpoints to the org, or removes them all. */
async function setEndpoints(db: Database, url: string, on: boolean) {
  const [org] = await db.orm.select().from(orgs);
  if (!on) {
    await db.batch([db.orm.delete(webhookEndpoints).where(eq(webhookEndpoints.orgId, org!.id))]);
    return;
  }
  const deps = { db, now: () => new Date(), policy: { allowHttpLoopback: true } };
  for (let i = 0; i < MAX_WEBHOOKS_PER_ORG; i++)
    await createWebhook(deps, { orgId: org!.id, memberId: 'bench' }, { url, events: LAUNCH_EVENTS });
}

/**
 * Deliveries per second of the engine (`gatekeeper/outbox/drain.ts`) with its real outbound sender:
 * `DRAIN_EVENTS` events to 100 endpoints on a loopback receiver, drained to the end.
 */
async function deliveriesPerSecond(dir: string, receiverUrl: string) {
  const db = await openSqlite({ file: join(dir, 'drain.sqlite') });
  try {
    const now = () => new Date();
    const { org, owner } = await createOrgWithOwner(
      { db, now },
      { name: 'Drain', owner: { email: 'owner@drain.test' }, keyName: 'owner' },
    );
    const deps = { db, now, policy: { allowHttpLoopback: true } };
    for (let i = 0; i < MAX_WEBHOOKS_PER_ORG; i++)
      await createWebhook(deps, { orgId: org.id, memberId: owner.id }, { url: receiverUrl, events: ['*'] });
    for (let i = 0; i < DRAIN_EVENTS; i++) {
      const data = { licenseId: `lic_${i}` };
      const event = {
        orgId: org.id,
        type: 'license.revoked' as const,
        subject: `lic_${i}`,
        data,
        at: Date.now(),
      };
      await db.batch(outboxStatements(db, event).statements);
    }
    const drain = createDrain({
      db,
      now,
      send: createOutbound({ allowHttpLoopback: true }),
      retryDelay: () => 1000,
    });
    const started = performance.now();
    let delivered = 0;
    for (;;) {
      const run = await drain.runOnce();
      delivered += run.delivered;
      if (run.delivered === 0) break;
    }
    return { delivered, perSecond: delivered / ((performance.now() - started) / 1000) };
  } finally {
    await db.close();
  }
}

/**
 * The hot launch with 100 webhook endpoints configured against the same server without them (issue 25:
 * "the launch path does not pay"), rounds alternating on one server; then the engine's deliveries per
 * second. Budget: the ratio with endpoints within 10 % of the ratio without.
 */
export async function bench(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'cg-bench-webhooks-'));
  const receiver = await startWebhookReceiver();
  let server: ChildProcess | undefined;
  const db = { current: undefined as Database | undefined };
  try {
    const first = await startServer(dir, LOOPBACK);
    server = first.child;
    const tokens = await seed(dir);
    db.current = await openSqlite({ file: join(dir, DATABASE_FILE) });
    const hot = JSON.stringify({ token: tokens[0], standard: 'scorm12' });
    const bareJob = { url: `${first.url}/healthz`, method: 'GET', duration: SECONDS };
    const launchJob = { url: `${first.url}/v1/launch`, method: 'POST', bodies: [hot], duration: SECONDS };
    await load(dir, { ...launchJob, duration: 2 });
    const ratios = { with: [] as number[], without: [] as number[] };
    const launches = { with: [] as number[], without: [] as number[] };
    for (let i = 0; i < ROUNDS; i++) {
      const side = i % 2 === 0 ? 'with' : 'without';
      await setEndpoints(db.current, receiver.url, side === 'with');
      const bare = await load(dir, bareJob);
      const launch = await load(dir, launchJob);
      ratios[side].push(launch.rps / bare.rps);
      launches[side].push(launch.rps);
    }
    const sent = receiver.received.length;
    const drained = await deliveriesPerSecond(dir, receiver.url);
    const withRatio = median(ratios.with);
    const withoutRatio = median(ratios.without);
    const rounds = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(', ');
    return [
      {
        name: `POST /v1/launch (hot) ÷ bare, with ${MAX_WEBHOOKS_PER_ORG} webhook endpoints / without, same server`,
        value: `${withRatio.toFixed(2)} (${rounds(ratios.with)}) / ${withoutRatio.toFixed(2)} (${rounds(ratios.without)}); launches ${fmt(median(launches.with))} / ${fmt(median(launches.without))} req/s`,
        budget: 'with ≥ 0.9 × without',
        ok: withRatio >= 0.9 * withoutRatio,
      },
      {
        name: 'deliveries the receiver got during the launch rounds (a launch that triggers no event sends none)',
        value: String(sent),
        budget: '0',
        ok: sent === 0,
      },
      {
        name: `webhook engine, ${DRAIN_EVENTS} events to ${MAX_WEBHOOKS_PER_ORG} endpoints on loopback`,
        value: `${fmt(drained.perSecond)} deliveries/s (${fmt(drained.delivered)} delivered)`,
        budget: '',
      },
    ];
  } finally {
    server?.kill('SIGTERM');
    await db.current?.close();
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
