import { and, eq, sql } from 'drizzle-orm';
import type { ExpectedLive, LiveChangedDetails } from '../../protocol/api/deployments.js';
import { loadCourse } from '../courses/service.js';
import { type Course, getCourse } from '../db/courses.js';
import type { Database } from '../db/database.js';
import { auditEvents, courses, deployments } from '../db/schema.js';
import { GatekeeperError } from '../errors.js';
import { outboxStatements } from '../outbox/record.js';
import { courseHistory } from './queries.js';
import { deploymentOfCourse } from './service.js';

/**
 * Promote and roll back, one copy for the `/v1/courses/{id}/promote|rollback` API and the dashboard's
 * course page (docs/architecture.md, "Services"): a reason is required, the target is a finalized
 * deployment of the course, the pointer moves only from the live deployment the sender saw, and the
 * pointer flip and its audit event land together.
 */
export type PointerAction = 'deployment.promote' | 'deployment.rollback';

const MAX_REASON = 1000;

/** A reason is required for every promotion and rollback; blank counts as missing. */
export function requireReason(reason: unknown): string {
  if (typeof reason !== 'string' || reason.trim() === '')
    throw new GatekeeperError('reason_required', 'Give a reason for this change');
  if (reason.trim().length > MAX_REASON)
    throw new GatekeeperError('invalid_request', `Keep the reason under ${MAX_REASON} characters`);
  return reason.trim();
}

/**
 * Where a rollback without `to` goes: the deployment that was live before the current one was promoted.
 * Following promotions (not rollbacks) makes repeated rollbacks walk back through releases instead of
 * toggling between the last two.
 */
export async function previousLive(db: Database, course: Course): Promise<string | null> {
  const live = course.liveDeploymentId;
  if (live === null) return null;
  const events = await courseHistory(db, course.orgId, course.id);
  const promoted = events.find((e) => e.action === 'deployment.promote' && e.to === live);
  return (promoted ?? events.find((e) => e.to === live))?.from ?? null;
}

/**
 * The sender's expectation, required: a change that does not say which state it changes from could
 * undo someone else's (two operators rolling back one bad release), so none is `428
 * expected_live_required`.
 */
export function requireExpectedLive(expected: ExpectedLive | undefined): ExpectedLive {
  if (expected === undefined)
    throw new GatekeeperError(
      'expected_live_required',
      'Say which deployment you saw live: expectedLive (null for none) or If-Match: "<id>" ("none" for none)',
    );
  return expected;
}

/** `409 live_changed`, naming the deployment live now so the sender can decide again. */
export function liveChanged(expected: ExpectedLive, live: ExpectedLive): GatekeeperError {
  const name = (id: ExpectedLive) => (id === null ? 'no deployment' : `deployment ${id}`);
  return new GatekeeperError(
    'live_changed',
    `The live deployment changed: ${name(live)} is live now, not ${name(expected)} as this request expected. Nothing was changed; check the course and send the change again if it still applies`,
    { live, expected } satisfies LiveChangedDetails,
  );
}

/**
 * Points the course at a finalized deployment of its own and records who did it and why, in one
 * atomic batch, if and only if the pointer is still where the sender saw it (`expected`): a
 * compare-and-set in the database, else `409 live_changed` naming the live deployment.
 */
export async function movePointer(
  deps: { db: Database; now: () => Date },
  input: {
    course: Course;
    to: string;
    expected: ExpectedLive;
    actor: string;
    action: PointerAction;
    reason: string;
  },
) {
  const { db } = deps;
  const { course, expected } = input;
  // Cheap early answer; the batch below decides, since the pointer may move after this read.
  if (course.liveDeploymentId !== expected) throw liveChanged(expected, course.liveDeploymentId);
  const { deployment: target } = await deploymentOfCourse(deps, course, { course, deployment: input.to });
  if (target.finalizedAt === null)
    throw new GatekeeperError('deployment_not_finalized', 'The deployment is not finalized yet');
  if (expected === target.id) throw new GatekeeperError('already_live', 'That deployment is already live');
  const at = deps.now().getTime();
  // The compare-and-set: every statement is conditional on the pointer being `expected` when the
  // transaction runs, so of two changes from one state the second writes nothing: no second "live"
  // deployment, no audit event from a state that no longer held, and each event's `from` is the `to`
  // of the one before (the audit chain has no gaps).
  const unmoved = sql`(SELECT ${courses.liveDeploymentId} FROM ${courses} WHERE ${courses.id} = ${course.id}) IS ${expected}`;
  const changes = await db.batch([
    db.orm
      .insert(auditEvents)
      .select(
        sql`SELECT NULL, ${course.orgId}, ${input.actor}, ${input.action}, ${course.id}, ${expected}, ${target.id}, ${input.reason}, ${at} WHERE ${unmoved}`,
      ),
    db.orm
      .update(deployments)
      .set({ status: 'live' })
      .where(and(eq(deployments.id, target.id), unmoved)),
    ...(expected
      ? [
          db.orm
            .update(deployments)
            .set({ status: 'retired' })
            .where(and(eq(deployments.id, expected), unmoved)),
        ]
      : []),
    // The webhook event, under the same condition: a change that loses the race sends nothing.
    ...outboxStatements(
      db,
      {
        orgId: course.orgId,
        type: input.action === 'deployment.promote' ? 'deployment.promoted' : 'deployment.rolled_back',
        subject: course.id,
        data: {
          courseId: course.id,
          courseSlug: course.slug,
          deploymentId: target.id,
          previousDeploymentId: expected,
        },
        at,
      },
      { when: unmoved },
    ).statements,
    // Last: the condition above reads the pointer this statement moves.
    db.orm
      .update(courses)
      .set({ liveDeploymentId: target.id })
      .where(and(eq(courses.id, course.id), unmoved)),
  ]);
  // Whether this batch moved the pointer is its own row count, not a later read (which another change
  // may already have overtaken).
  if (changes.at(-1) !== 1) {
    const now = await getCourse(db, course.orgId, course.id);
    throw liveChanged(expected, now?.liveDeploymentId ?? null);
  }
  return { from: expected, to: target.id, at, action: input.action, reason: input.reason };
}

/** Who acts: the org the course is looked up in, and the member the audit event names. */
export interface PointerActor {
  orgId: string;
  memberId: string;
}

/**
 * Makes a finalized deployment of the course (id or slug) live, audited as `deployment.promote`.
 *
 * @example
 * await promote({ db, now }, principal, {
 *   course: 'intro', deployment: 'dep_2', reason: 'v2 approved', expectedLive: 'dep_1',
 * });
 */
export async function promote(
  deps: { db: Database; now: () => Date },
  actor: PointerActor,
  input: { course: string; deployment: string; reason: unknown; expectedLive: ExpectedLive | undefined },
) {
  // The reason first: blank and missing answer `reason_required` whatever else is wrong.
  const reason = requireReason(input.reason);
  const course = await loadCourse(deps, actor, input.course);
  return movePointer(deps, {
    course,
    to: input.deployment,
    expected: requireExpectedLive(input.expectedLive),
    actor: actor.memberId,
    action: 'deployment.promote',
    reason,
  });
}

/**
 * Points the course back at `to`, or without it at the deployment live before the current one
 * (`no_rollback_target` when there is none), audited as `deployment.rollback`.
 */
export async function rollback(
  deps: { db: Database; now: () => Date },
  actor: PointerActor,
  input: {
    course: string;
    to?: string | undefined;
    reason: unknown;
    expectedLive: ExpectedLive | undefined;
  },
) {
  const reason = requireReason(input.reason);
  const course = await loadCourse(deps, actor, input.course);
  const expected = requireExpectedLive(input.expectedLive);
  // "Back from what the sender saw": from any other state the answer is `live_changed`, never a
  // rollback of a release the sender did not mean (two operators rolling back one bad release).
  if (course.liveDeploymentId !== expected) throw liveChanged(expected, course.liveDeploymentId);
  const to = input.to ?? (await previousLive(deps.db, course));
  if (!to) throw new GatekeeperError('no_rollback_target', 'No earlier live deployment to roll back to');
  return movePointer(deps, {
    course,
    to,
    expected,
    actor: actor.memberId,
    action: 'deployment.rollback',
    reason,
  });
}
