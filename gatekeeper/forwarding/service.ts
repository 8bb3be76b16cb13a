import { eq, sql } from 'drizzle-orm';
import type { ForwardingJson } from '../../protocol/api/forwarding.js';
import { loadCourse } from '../courses/service.js';
import { auditStatement } from '../db/audit-events.js';
import type { Database } from '../db/database.js';
import { GatekeeperError } from '../errors.js';
import { type OutboundPolicy, urlRefusal } from '../webhooks/address-policy.js';
import { sealCredentials } from './credentials.js';
import { lrsForwarding, lrsQueue } from './tables.js';

/**
 * The statement-forwarding rules, one copy for the API, the CLI (through it) and the dashboard
 * (docs/integrations.md, "Statement forwarding"): one LRS per course, set and cleared by owners, its
 * Basic credentials sealed with the server's forwarding key (never stored without one, never shown).
 */
export interface ForwardingDeps {
  db: Database;
  now: () => Date;
  policy: OutboundPolicy;
  /** The server's forwarding key (`COURSEGATE_FORWARDING_KEY`); undefined when none is configured. */
  forwardingKey: Promise<CryptoKey | undefined>;
}

export interface ForwardingActor {
  orgId: string;
  memberId: string;
}

/** What the API, CLI and course page show (`ForwardingJson` with times in ms): never the credentials. */
export type ForwardingStatus = Omit<
  ForwardingJson,
  'lastAttemptAt' | 'lastErrorAt' | 'nextAttemptAt' | 'updatedAt'
> & {
  lastAttemptAt: number | null;
  lastErrorAt: number | null;
  nextAttemptAt: number | null;
  updatedAt: number;
};

interface Row {
  course_id: string;
  endpoint: string;
  backlog: number;
  delivered: number;
  rejected: number;
  attempts: number;
  last_attempt_at: number | null;
  last_status: number | null;
  last_error: string | null;
  last_error_at: number | null;
  next_attempt_at: number;
  updated_at: number;
}

async function statusOf(db: Database, courseId: string): Promise<ForwardingStatus | undefined> {
  const [r] = await db.orm.all<Row>(sql`
    SELECT f.*, (SELECT coalesce(sum(CASE q.kind WHEN 'statements' THEN json_array_length(q.ref) ELSE 1 END), 0)
            FROM lrs_queue q WHERE q.course_id = f.course_id) AS backlog
    FROM lrs_forwarding f WHERE f.course_id = ${courseId}`);
  if (!r) return undefined;
  return {
    courseId: r.course_id,
    endpoint: r.endpoint,
    backlog: r.backlog,
    delivered: r.delivered,
    rejected: r.rejected,
    attempts: r.attempts,
    lastAttemptAt: r.last_attempt_at,
    lastStatus: r.last_status,
    lastError: r.last_error,
    lastErrorAt: r.last_error_at,
    nextAttemptAt: r.attempts > 0 ? r.next_attempt_at : null,
    updatedAt: r.updated_at,
  };
}

const audit = (actor: ForwardingActor, action: string, subject: string, to: string | null, at: number) => ({
  orgId: actor.orgId,
  actor: actor.memberId,
  action,
  subject,
  fromValue: null,
  toValue: to,
  reason: '',
  at,
});

/**
 * Sets (or replaces) a course's LRS, audited as `forwarding.set`. A new target queues the course's
 * statements and completion records already stored, in the same batch; from then on the triggers of
 * migration 0014 queue each new one in the transaction that stores it.
 *
 * @example
 * await setForwarding(deps, principal, 'intro', { endpoint: 'https://lrs.example.com/xapi', username: 'key', password: 'secret' });
 */
export async function setForwarding(
  deps: ForwardingDeps,
  actor: ForwardingActor,
  courseRef: string,
  input: { endpoint: string; username: string; password: string },
): Promise<ForwardingStatus> {
  const course = await loadCourse(deps, actor, courseRef);
  const refusal = urlRefusal(input.endpoint, deps.policy);
  if (refusal)
    throw new GatekeeperError('forwarding_url_refused', `This URL cannot receive statements: ${refusal}`);
  if (input.username.includes(':'))
    throw new GatekeeperError('invalid_request', 'A Basic username cannot contain ":"');
  const key = await deps.forwardingKey;
  if (!key)
    throw new GatekeeperError(
      'forwarding_key_missing',
      'This server has no COURSEGATE_FORWARDING_KEY: LRS credentials cannot be stored encrypted',
    );
  const sealed = await sealCredentials(key, course.id, `${input.username}:${input.password}`);
  const at = deps.now().getTime();
  const existed = (await statusOf(deps.db, course.id)) !== undefined;
  const f = lrsForwarding;
  // The statements already stored, 100 ids a queue row, in the order they were stored.
  const backfillStatements = deps.db.orm.insert(lrsQueue).select(sql`
    SELECT NULL, ${course.id}, 'statements', json_group_array(id) FROM (
      SELECT id, (row_number() OVER (ORDER BY rowid) - 1) / 100 AS chunk
      FROM statements WHERE course_id = ${course.id} ORDER BY rowid)
    GROUP BY chunk ORDER BY chunk`);
  const backfillCompletions = deps.db.orm
    .insert(lrsQueue)
    .select(
      sql`SELECT NULL, course_id, 'completion', session_id FROM completions WHERE course_id = ${course.id}`,
    );
  await deps.db.batch([
    deps.db.orm
      .insert(f)
      .values({
        courseId: course.id,
        orgId: actor.orgId,
        endpoint: input.endpoint,
        credentials: sealed,
        updatedBy: actor.memberId,
        updatedAt: at,
      })
      .onConflictDoUpdate({
        target: f.courseId,
        set: {
          endpoint: input.endpoint,
          credentials: sealed,
          updatedBy: actor.memberId,
          updatedAt: at,
          attempts: 0,
          nextAttemptAt: 0,
        },
      }),
    ...(existed ? [] : [backfillStatements, backfillCompletions]),
    auditStatement(deps.db, audit(actor, 'forwarding.set', course.id, input.endpoint, at)),
  ]);
  return (await statusOf(deps.db, course.id)) as ForwardingStatus;
}

/** A course's target and backlog, or `forwarding_not_found`. */
export async function forwardingOf(
  deps: { db: Database },
  actor: { orgId: string },
  courseRef: string,
): Promise<ForwardingStatus> {
  const course = await loadCourse(deps, actor, courseRef);
  const status = await statusOf(deps.db, course.id);
  if (!status) throw new GatekeeperError('forwarding_not_found', 'This course forwards no statements');
  return status;
}

/** A course's target if it has one (the course page). */
export async function maybeForwardingOf(db: Database, courseId: string) {
  return statusOf(db, courseId);
}

/** Stops forwarding and drops the backlog, audited as `forwarding.clear`. */
export async function clearForwarding(
  deps: { db: Database; now: () => Date },
  actor: ForwardingActor,
  courseRef: string,
): Promise<ForwardingStatus> {
  const status = await forwardingOf(deps, actor, courseRef);
  const at = deps.now().getTime();
  await deps.db.batch([
    deps.db.orm.delete(lrsForwarding).where(eq(lrsForwarding.courseId, status.courseId)),
    deps.db.orm.delete(lrsQueue).where(eq(lrsQueue.courseId, status.courseId)),
    auditStatement(deps.db, audit(actor, 'forwarding.clear', status.courseId, null, at)),
  ]);
  return status;
}
