import { auditStatement } from '../db/audit-events.js';
import { type Course, setLiveDeploymentStatement } from '../db/courses.js';
import type { Database } from '../db/database.js';
import { getDeployment } from '../db/deployments.js';
import { GatekeeperError } from '../errors.js';
import { courseHistory, setStatusStatement } from './queries.js';

export type PointerAction = 'deployment.promote' | 'deployment.rollback';

/** A reason is required for every promotion and rollback; blank counts as missing. */
export function requireReason(reason: unknown): string {
  if (typeof reason !== 'string' || reason.trim() === '')
    throw new GatekeeperError(400, 'reason_required', 'Give a reason for this change');
  return reason.trim();
}

/** The deployment that was live before the current one: where a rollback without `to` goes. */
export async function previousLive(db: Database, course: Course): Promise<string | null> {
  if (course.liveDeploymentId === null) return null;
  const events = await courseHistory(db, course.orgId, course.id);
  return events.find((e) => e.to === course.liveDeploymentId)?.from ?? null;
}

/**
 * Points the course at a finalized deployment of its own and records who did it and why, in one
 * atomic batch: the pointer flip and the audit event land together or not at all.
 */
export async function movePointer(
  deps: { db: Database; now: () => Date },
  input: { course: Course; to: string; actor: string; action: PointerAction; reason: string },
) {
  const { db } = deps;
  const { course } = input;
  const target = await getDeployment(db, course.orgId, input.to);
  if (!target || target.courseId !== course.id)
    throw new GatekeeperError(404, 'not_found', 'No such deployment of this course');
  if (target.finalizedAt === null)
    throw new GatekeeperError(409, 'conflict', 'The deployment is not finalized yet');
  if (course.liveDeploymentId === target.id)
    throw new GatekeeperError(409, 'conflict', 'That deployment is already live');
  const from = course.liveDeploymentId;
  const at = deps.now().getTime();
  await db.batch([
    setLiveDeploymentStatement(db, course.id, target.id),
    setStatusStatement(db, target.id, 'live'),
    ...(from ? [setStatusStatement(db, from, 'retired')] : []),
    auditStatement(db, {
      orgId: course.orgId,
      actor: input.actor,
      action: input.action,
      subject: course.id,
      fromValue: from,
      toValue: target.id,
      reason: input.reason,
      at,
    }),
  ]);
  return { from, to: target.id, at, action: input.action, reason: input.reason };
}
