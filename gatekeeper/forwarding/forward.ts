import { and, eq, inArray, lte, or, sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import type { RetryDelay } from '../outbox/backoff.js';
import type { Send } from '../outbox/drain.js';
import { type CompletionRow, completionStatements } from './completion-statements.js';
import { openCredentials } from './credentials.js';
import { lrsForwarding, lrsQueue } from './tables.js';

export interface ForwardOptions {
  db: Database;
  now: () => Date;
  /** The guarded sender of webhooks (`webhooks/outbound.ts`, `fetch-outbound.ts`): the same outbound safety. */
  send: Send;
  /** The server's forwarding key; without it nothing is sent (each target shows why). */
  key: Promise<CryptoKey | undefined>;
  /** The Gatekeeper's public URL: the anonymous actor's `homePage` in completion statements. */
  homePage: string;
  retryDelay: RetryDelay;
  /** Statements per request. Default 100. */
  batchSize?: number;
  /** Requests per course per run. Default 10. */
  maxBatches?: number;
}

export interface ForwardRun {
  forwarded: number;
  rejected: number;
  failed: number;
}

interface Target {
  course_id: string;
  endpoint: string;
  credentials: string;
  attempts: number;
}

interface Queued {
  seq: number;
  kind: 'statements' | 'completion';
  ref: string;
}

type Json = Record<string, unknown>;
const MAX_ERROR = 300;
const XAPI_VERSION = '1.0.3';

/** The oldest queue rows holding about `size` statements (at least one row: an ingest batch is not split). */
function upToBatch(rows: Queued[], size: number): Queued[] {
  let n = 0;
  let i = 0;
  while (i < rows.length && (i === 0 || n < size)) {
    const q = rows[i++]!;
    n += q.kind === 'statements' ? (JSON.parse(q.ref) as string[]).length : 2;
  }
  return rows.slice(0, i);
}

/** Why a batch stopped: the LRS's answer or none; the queue keeps it for the next attempt. */
class Failed extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
  }
}

/**
 * Statement forwarding (docs/integrations.md, "Statement forwarding"), a pass of the outbox tick: for every
 * course whose target is due and whose queue is not empty, the oldest queued statements (as stored) and
 * completion records (as statements), a batch at a time, to the LRS's Statement Resource. The queue rows
 * of a batch are deleted only after the LRS took it, so a crash sends it again; the LRS keeps one
 * statement per id, so that is harmless. A `409` to a batch (some ids already there) or `400` makes it go
 * statement by statement with `PUT`, where `204` and `409` (already stored) count as delivered and a `400`
 * is that statement rejected (counted, not retried). Anything else is a failed attempt: the engine's
 * backoff (`outbox/backoff.ts`) sets the next one, and nothing is dropped.
 *
 * @example
 * const forward = createForwarder({ db, now, send, key, homePage: publicUrl, retryDelay });
 * await forward.runOnce();
 */
export function createForwarder(options: ForwardOptions) {
  const { db, now } = options;
  const batchSize = options.batchSize ?? 100;
  const maxBatches = options.maxBatches ?? 10;

  const load = async (courseId: string, queued: Queued[]): Promise<Json[]> => {
    const ids = queued.flatMap((q) => (q.kind === 'statements' ? (JSON.parse(q.ref) as string[]) : []));
    const sessions = queued.filter((q) => q.kind === 'completion').map((q) => q.ref);
    const stored = await db.orm.all<{ id: string; body: string }>(
      sql`SELECT id, body FROM statements WHERE id IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`,
    );
    const records = await db.orm.all<CompletionRow>(sql`
      SELECT c.session_id, co.slug AS course_slug, c.deployment_id, c.completed, c.passed, c.score,
             c.score_min, c.score_max, c.score_scaled
      FROM completions c JOIN courses co ON co.id = c.course_id
      WHERE c.course_id = ${courseId} AND c.session_id IN (SELECT value FROM json_each(${JSON.stringify(sessions)}))`);
    const bodies = new Map(stored.map((s) => [s.id, JSON.parse(s.body) as Json]));
    const made = new Map<string, Json[]>();
    for (const r of records) made.set(r.session_id, await completionStatements(r, options.homePage));
    // Queue order; one statement per id (a record queued twice in a batch makes the same statements).
    const out = new Map<string, Json>();
    for (const q of queued) {
      const list =
        q.kind === 'statements'
          ? (JSON.parse(q.ref) as string[]).map((id) => bodies.get(id))
          : (made.get(q.ref) ?? []);
      for (const s of list) if (s) out.set(String(s.id), s);
    }
    return [...out.values()];
  };

  const sendBatch = async (target: Target, auth: string, batch: Json[]) => {
    const base = target.endpoint.replace(/\/+$/, '');
    const headers = {
      'content-type': 'application/json',
      authorization: `Basic ${auth}`,
      'x-experience-api-version': XAPI_VERSION,
      'user-agent': 'Coursegate-Forwarding',
    };
    const call = async (method: 'POST' | 'PUT', url: string, body: unknown) => {
      try {
        return (await options.send({ method, url, headers, body: JSON.stringify(body) })).status;
      } catch (err) {
        throw new Failed((err instanceof Error ? err.message : String(err)).slice(0, MAX_ERROR), null);
      }
    };
    const status = await call('POST', `${base}/statements`, batch);
    if (status === 200 || status === 204)
      return { status, delivered: batch.length, rejected: [] as string[] };
    if (status !== 409 && status !== 400) throw new Failed(`LRS answered ${status}`, status);
    const rejected: string[] = [];
    for (const s of batch) {
      const id = String(s.id);
      const one = await call('PUT', `${base}/statements?statementId=${encodeURIComponent(id)}`, s);
      if (one === 400) rejected.push(id);
      else if (one !== 204 && one !== 409) throw new Failed(`LRS answered ${one} to statement ${id}`, one);
    }
    return { status, delivered: batch.length - rejected.length, rejected };
  };

  const forwardCourse = async (target: Target, key: CryptoKey | undefined, tally: ForwardRun) => {
    const at = now().getTime();
    try {
      if (!key) throw new Failed('COURSEGATE_FORWARDING_KEY is not configured', null);
      const opened = await openCredentials(key, target.course_id, target.credentials).catch(() => {
        throw new Failed('the credentials do not open with COURSEGATE_FORWARDING_KEY: set them again', null);
      });
      const plain = new TextEncoder().encode(opened);
      const auth = btoa(String.fromCharCode(...plain));
      for (let i = 0; i < maxBatches; i++) {
        const rows = await db.orm.all<Queued>(
          sql`SELECT seq, kind, ref FROM lrs_queue WHERE course_id = ${target.course_id} ORDER BY seq LIMIT ${batchSize}`,
        );
        if (rows.length === 0) break;
        const queued = upToBatch(rows, batchSize);
        const last = queued[queued.length - 1]!.seq;
        // Later changes of the same records are read with them now (the record is read after its queue
        // rows, so it already holds every change queued so far): sent once, not once per change.
        const sessions = JSON.stringify(queued.filter((q) => q.kind === 'completion').map((q) => q.ref));
        const later = await db.orm.all<{ seq: number }>(
          sql`SELECT seq FROM lrs_queue WHERE course_id = ${target.course_id} AND seq > ${last}
              AND kind = 'completion' AND ref IN (SELECT value FROM json_each(${sessions}))`,
        );
        const batch = await load(target.course_id, queued);
        const done = batch.length
          ? await sendBatch(target, auth, batch)
          : { status: null, delivered: 0, rejected: [] };
        const rejected = done.rejected.length;
        const error = rejected ? `LRS refused statement ${done.rejected[0]} (400)` : null;
        const f = lrsForwarding;
        await db.batch([
          db.orm.delete(lrsQueue).where(
            and(
              eq(lrsQueue.courseId, target.course_id),
              or(
                lte(lrsQueue.seq, last),
                inArray(
                  lrsQueue.seq,
                  later.map((l) => l.seq),
                ),
              ),
            ),
          ),
          db.orm
            .update(f)
            .set({
              attempts: 0,
              nextAttemptAt: 0,
              lastAttemptAt: at,
              lastStatus: done.status,
              delivered: sql`${f.delivered} + ${done.delivered}`,
              rejected: sql`${f.rejected} + ${rejected}`,
              ...(error ? { lastError: error, lastErrorAt: at } : {}),
            })
            .where(eq(f.courseId, target.course_id)),
        ]);
        tally.forwarded += done.delivered;
        tally.rejected += rejected;
      }
    } catch (err) {
      if (!(err instanceof Failed)) throw err;
      const attempts = target.attempts + 1;
      await db.orm
        .update(lrsForwarding)
        .set({
          attempts,
          lastAttemptAt: at,
          lastStatus: err.status,
          lastError: err.message,
          lastErrorAt: at,
          nextAttemptAt: now().getTime() + options.retryDelay(attempts),
        })
        .where(eq(lrsForwarding.courseId, target.course_id));
      tally.failed++;
    }
  };

  const run = async (): Promise<ForwardRun> => {
    const tally: ForwardRun = { forwarded: 0, rejected: 0, failed: 0 };
    const targets = await db.orm.all<Target>(sql`
      SELECT f.course_id, f.endpoint, f.credentials, f.attempts FROM lrs_forwarding f
      WHERE f.next_attempt_at <= ${now().getTime()}
        AND EXISTS (SELECT 1 FROM lrs_queue q WHERE q.course_id = f.course_id)`);
    if (targets.length === 0) return tally;
    const key = await options.key;
    // Courses in parallel, each one batch at a time (its statements stay in order).
    await Promise.all(targets.map((t) => forwardCourse(t, key, tally)));
    return tally;
  };

  let current: Promise<ForwardRun> | undefined;
  return {
    /** One pass; joins a pass already under way. */
    runOnce(): Promise<ForwardRun> {
      current ??= run().finally(() => {
        current = undefined;
      });
      return current;
    },
  };
}

export type Forwarder = ReturnType<typeof createForwarder>;
