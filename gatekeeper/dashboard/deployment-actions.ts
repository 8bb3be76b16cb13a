import { and, desc, eq } from 'drizzle-orm';
import { auditStatement } from '../db/audit-events.js';
import type { Course } from '../db/courses.js';
import { setLiveDeploymentStatement } from '../db/courses.js';
import type { Database } from '../db/database.js';
import { getDeployment } from '../db/deployments.js';
import { auditEvents, deployments } from '../db/schema.js';
import { GatekeeperError } from '../errors.js';

/** Audit actions written by promote and rollback; their subject is the course id. */
export const PROMOTE_ACTION = 'deployment.promote';
export const ROLLBACK_ACTION = 'deployment.rollback';

interface Change {
  db: Database;
  course: Course;
  actor: string;
  reason: string;
  now: number;
}

function requireReason(reason: string): string {
  const r = reason.trim();
  if (!r) throw new GatekeeperError(400, 'reason_required', 'Give a reason: it goes to the audit history.');
  if (r.length > 500)
    throw new GatekeeperError(400, 'invalid_request', 'Keep the reason under 500 characters.');
  return r;
}

/** Points the course at `to` and records the move, in one batch: a pointer flip, nothing to purge. */
async function flip(change: Change, action: string, to: string) {
  const { db, course } = change;
  const from = course.liveDeploymentId;
  const statuses = [
    db.orm.update(deployments).set({ status: 'live' }).where(eq(deployments.id, to)),
    ...(from && from !== to
      ? [db.orm.update(deployments).set({ status: 'retired' }).where(eq(deployments.id, from))]
      : []),
  ];
  await db.batch([
    setLiveDeploymentStatement(db, course.id, to),
    ...statuses,
    auditStatement(db, {
      orgId: course.orgId,
      actor: change.actor,
      action,
      subject: course.id,
      fromValue: from,
      toValue: to,
      reason: requireReason(change.reason),
      at: change.now,
    }),
  ]);
}

/** Makes a finalized deployment of the course live. */
export async function promoteDeployment(change: Change & { deploymentId: string }): Promise<void> {
  const reason = requireReason(change.reason);
  const dep = await getDeployment(change.db, change.course.orgId, change.deploymentId);
  if (!dep || dep.courseId !== change.course.id)
    throw new GatekeeperError(404, 'not_found', 'No such deployment of this course');
  if (dep.status === 'uploading')
    throw new GatekeeperError(409, 'conflict', 'This deployment is still uploading');
  if (dep.id === change.course.liveDeploymentId)
    throw new GatekeeperError(409, 'conflict', 'This deployment is already live');
  await flip({ ...change, reason }, PROMOTE_ACTION, dep.id);
}

/**
 * Goes back to the deployment the current one was promoted over, as the audit history records it.
 * Returns the id now live.
 */
export async function rollbackCourse(change: Change): Promise<string> {
  const reason = requireReason(change.reason);
  const live = change.course.liveDeploymentId;
  if (!live) throw new GatekeeperError(409, 'conflict', 'Nothing is live: there is nothing to roll back');
  const last = await change.db.orm
    .select()
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.orgId, change.course.orgId),
        eq(auditEvents.subject, change.course.id),
        eq(auditEvents.toValue, live),
        eq(auditEvents.action, PROMOTE_ACTION),
      ),
    )
    .orderBy(desc(auditEvents.id))
    .get();
  const previous = last?.fromValue;
  if (!previous) throw new GatekeeperError(409, 'conflict', 'No earlier live deployment to roll back to');
  await flip({ ...change, reason }, ROLLBACK_ACTION, previous);
  return previous;
}
