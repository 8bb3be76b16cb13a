import { and, eq, sql } from 'drizzle-orm';
import { loadCourse } from '../courses/service.js';
import { type Course, getCourse } from '../db/courses.js';
import type { Database } from '../db/database.js';
import { auditEvents, courses, deployments } from '../db/schema.js';
import { GatekeeperError } from '../errors.js';
import { courseHistory } from './queries.js';
import { deploymentOfCourse } from './service.js';

/**
 * Promote and roll back, one copy for the `/v1/courses/{id}/promote|rollback` API and the dashboard's
 * course page (docs/architecture.md, "Services"): a reason is required, the target is a finalized
 * deployment of the course, and the pointer flip and its audit event land together.
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
 * Points the course at a finalized deployment of its own and records who did it and why, in one
 * atomic batch: the pointer flip and the audit event land together or not at all, and only if no other
 * change moved the pointer since it was read (else `409 conflict`).
 */
export async function movePointer(
  deps: { db: Database; now: () => Date },
  input: { course: Course; to: string; actor: string; action: PointerAction; reason: string },
) {
  const { db } = deps;
  const { course } = input;
  const { deployment: target } = await deploymentOfCourse(deps, course, { course, deployment: input.to });
  if (target.finalizedAt === null)
    throw new GatekeeperError('deployment_not_finalized', 'The deployment is not finalized yet');
  if (course.liveDeploymentId === target.id)
    throw new GatekeeperError('already_live', 'That deployment is already live');
  const from = course.liveDeploymentId;
  const at = deps.now().getTime();
  // Every write is conditional on the pointer still being where this request read it: of two changes
  // sent at once, the second writes nothing (no second "live" deployment, no audit event from a state
  // that no longer held) and is told so below.
  const unmoved = sql`(SELECT ${courses.liveDeploymentId} FROM ${courses} WHERE ${courses.id} = ${course.id}) IS ${from}`;
  await db.batch([
    db.orm
      .insert(auditEvents)
      .select(
        sql`SELECT NULL, ${course.orgId}, ${input.actor}, ${input.action}, ${course.id}, ${from}, ${target.id}, ${input.reason}, ${at} WHERE ${unmoved}`,
      ),
    db.orm
      .update(deployments)
      .set({ status: 'live' })
      .where(and(eq(deployments.id, target.id), unmoved)),
    ...(from
      ? [
          db.orm
            .update(deployments)
            .set({ status: 'retired' })
            .where(and(eq(deployments.id, from), unmoved)),
        ]
      : []),
    // Last: the condition above reads the pointer this statement moves.
    db.orm
      .update(courses)
      .set({ liveDeploymentId: target.id })
      .where(and(eq(courses.id, course.id), unmoved)),
  ]);
  const now = await getCourse(db, course.orgId, course.id);
  if (now?.liveDeploymentId !== target.id)
    throw new GatekeeperError(
      'live_changed',
      "Another change moved this course's live deployment first; reload and try again",
    );
  return { from, to: target.id, at, action: input.action, reason: input.reason };
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
 * await promote({ db, now }, principal, { course: 'intro', deployment: 'dep_1', reason: 'v2 approved' });
 */
export async function promote(
  deps: { db: Database; now: () => Date },
  actor: PointerActor,
  input: { course: string; deployment: string; reason: unknown },
) {
  // The reason first: blank and missing answer `reason_required` whatever else is wrong.
  const reason = requireReason(input.reason);
  const course = await loadCourse(deps, actor, input.course);
  return movePointer(deps, {
    course,
    to: input.deployment,
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
  input: { course: string; to?: string | undefined; reason: unknown },
) {
  const reason = requireReason(input.reason);
  const course = await loadCourse(deps, actor, input.course);
  const to = input.to ?? (await previousLive(deps.db, course));
  if (!to) throw new GatekeeperError('no_rollback_target', 'No earlier live deployment to roll back to');
  return movePointer(deps, { course, to, actor: actor.memberId, action: 'deployment.rollback', reason });
}
