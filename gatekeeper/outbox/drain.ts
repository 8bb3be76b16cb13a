import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { webhookDeliveries } from '../db/schema.js';
import { DEFAULT_MAX_AGE_MS, type RetryDelay } from './backoff.js';
import { signedHeaders } from './signing.js';

export interface OutboundRequest {
  /** Default POST; statement forwarding also PUTs (xAPI's one-statement form). */
  method?: 'POST' | 'PUT';
  url: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * Sends one request and answers its status; throws when there is no answer (refused by the outbound
 * policy, DNS, connection, timeout). Node passes the guarded sender (`webhooks/outbound.ts`).
 */
export type Send = (request: OutboundRequest) => Promise<{ status: number }>;

export interface DrainOptions {
  db: Database;
  now: () => Date;
  send: Send;
  /** Delay after the n-th failed attempt; injected so tests drive retries without waiting. */
  retryDelay: RetryDelay;
  /** A delivery failing for longer than this (since it was queued) is dead-lettered. Default a day. */
  maxAgeMs?: number;
  /** Milliseconds for the latency the delivery log shows (a duration, not the time of day). */
  elapsed?: () => number;
  /** Rounds per run: each round sends the oldest due delivery of every endpoint. */
  maxRounds?: number;
}

interface Due {
  endpoint_id: string;
  event_id: string;
  attempts: number;
  created_at: number;
  payload: string;
  url: string;
  secret: string;
  previous_secret: string | null;
  previous_until: number | null;
}

export interface DrainRun {
  delivered: number;
  failed: number;
  dead: number;
}

const MAX_ERROR = 300;

/**
 * The delivery engine (docs/integrations.md, "Delivery"): each run sends, endpoint by endpoint, the oldest
 * pending delivery whose time has come; an endpoint's later events wait behind it, so a receiver gets
 * each license's events in order. A delivery is marked only after its answer, so a crash in between
 * sends it again with the same `webhook-id` (at least once). One run at a time: `runOnce` joins a run
 * already under way.
 *
 * @example
 * const drain = createDrain({ db, now, send, retryDelay: exponentialBackoff({ ...DEFAULT_RETRY, random: Math.random }) });
 * await drain.runOnce();
 */
export function createDrain(options: DrainOptions) {
  const { db, now } = options;
  const maxAge = options.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
  const elapsed = options.elapsed ?? (() => performance.now());
  const maxRounds = options.maxRounds ?? 20;

  const dueHeads = async (at: number): Promise<Due[]> =>
    db.orm.all<Due>(sql`
      SELECT d.endpoint_id, d.event_id, d.attempts, d.created_at, e.payload, w.url, w.secret,
             w.previous_secret, w.previous_until
      FROM webhook_deliveries d
      JOIN outbox_events e ON e.id = d.event_id
      JOIN webhook_endpoints w ON w.id = d.endpoint_id
      WHERE d.status = 'pending' AND d.next_attempt_at <= ${at}
        AND d.seq = (SELECT MIN(x.seq) FROM webhook_deliveries x
                     WHERE x.endpoint_id = d.endpoint_id AND x.status = 'pending')
      LIMIT 100`);

  const attempt = async (due: Due, tally: DrainRun) => {
    const at = now().getTime();
    const secrets = [due.secret];
    if (due.previous_secret && (due.previous_until ?? 0) > at) secrets.push(due.previous_secret);
    const started = elapsed();
    let status: number | null = null;
    let error: string | null = null;
    try {
      status = (
        await options.send({
          url: due.url,
          body: due.payload,
          headers: {
            'content-type': 'application/json',
            ...signedHeaders({
              id: due.event_id,
              timestampSeconds: Math.floor(at / 1000),
              body: due.payload,
              secrets,
            }),
          },
        })
      ).status;
      if (status < 200 || status > 299) error = `answered ${status}`;
    } catch (err) {
      error = (err instanceof Error ? err.message : String(err)).slice(0, MAX_ERROR);
    }
    const latencyMs = Math.round(elapsed() - started);
    const done = now().getTime();
    const attempts = due.attempts + 1;
    const failedFor = done - due.created_at;
    const dead = error !== null && failedFor >= maxAge;
    await db.orm
      .update(webhookDeliveries)
      .set({
        status: error === null ? 'delivered' : dead ? 'dead' : 'pending',
        attempts,
        lastAttemptAt: at,
        responseStatus: status,
        latencyMs,
        lastError: error,
        ...(error === null ? { deliveredAt: done } : { nextAttemptAt: done + options.retryDelay(attempts) }),
      })
      .where(
        and(
          eq(webhookDeliveries.endpointId, due.endpoint_id),
          eq(webhookDeliveries.eventId, due.event_id),
          eq(webhookDeliveries.status, 'pending'),
        ),
      );
    if (error === null) tally.delivered++;
    else if (dead) tally.dead++;
    else tally.failed++;
  };

  const run = async (): Promise<DrainRun> => {
    const tally: DrainRun = { delivered: 0, failed: 0, dead: 0 };
    for (let round = 0; round < maxRounds; round++) {
      const heads = await dueHeads(now().getTime());
      if (heads.length === 0) break;
      const before = tally.delivered;
      // Endpoints in parallel, each one delivery at a time.
      await Promise.all(heads.map((due) => attempt(due, tally)));
      // Only a delivery makes the next event of an endpoint due; failures wait for their retry.
      if (tally.delivered === before) break;
    }
    return tally;
  };

  let current: Promise<DrainRun> | undefined;
  return {
    runOnce(): Promise<DrainRun> {
      current ??= run().finally(() => {
        current = undefined;
      });
      return current;
    },
  };
}

export type Drain = ReturnType<typeof createDrain>;
