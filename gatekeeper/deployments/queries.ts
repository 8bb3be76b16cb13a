import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import type { Deployment, DeploymentFile } from '../db/deployments.js';
import { auditEvents, deployments, members, previewLinks } from '../db/schema.js';

export type PreviewLink = typeof previewLinks.$inferSelect;

export function filesOf(d: Deployment): DeploymentFile[] {
  return JSON.parse(d.files) as DeploymentFile[];
}

/** A course's deployments, newest first. */
export async function listCourseDeployments(db: Database, orgId: string, courseId: string) {
  return db.orm
    .select()
    .from(deployments)
    .where(and(eq(deployments.orgId, orgId), eq(deployments.courseId, courseId)))
    .orderBy(desc(deployments.createdAt), desc(deployments.id))
    .all();
}

/** Freezes a deployment; only an `uploading` row changes, so a second finalize is a no-op. */
export function markFinalizedStatement(db: Database, id: string, now: number) {
  return db.orm
    .update(deployments)
    .set({ status: 'staged', finalizedAt: now })
    .where(and(eq(deployments.id, id), eq(deployments.status, 'uploading')));
}

export function setStatusStatement(db: Database, id: string, status: Deployment['status']) {
  return db.orm.update(deployments).set({ status }).where(eq(deployments.id, id));
}

/** Promotions and rollbacks of one course, newest first, with the actor's email when it is a member. */
export async function courseHistory(db: Database, orgId: string, courseId: string) {
  return db.orm
    .select({
      id: auditEvents.id,
      at: auditEvents.at,
      actor: auditEvents.actor,
      actorEmail: members.email,
      action: auditEvents.action,
      from: auditEvents.fromValue,
      to: auditEvents.toValue,
      reason: auditEvents.reason,
    })
    .from(auditEvents)
    .leftJoin(members, eq(members.id, auditEvents.actor))
    .where(
      and(
        eq(auditEvents.orgId, orgId),
        eq(auditEvents.subject, courseId),
        inArray(auditEvents.action, ['deployment.promote', 'deployment.rollback']),
      ),
    )
    .orderBy(desc(auditEvents.id))
    .all();
}

export async function insertPreviewLink(db: Database, row: PreviewLink) {
  await db.orm.insert(previewLinks).values(row);
}

export async function getPreviewLink(db: Database, id: string) {
  return db.orm.select().from(previewLinks).where(eq(previewLinks.id, id)).get();
}

export async function revokePreviewLink(db: Database, orgId: string, id: string, now: number) {
  const row = await db.orm
    .select()
    .from(previewLinks)
    .where(and(eq(previewLinks.orgId, orgId), eq(previewLinks.id, id)))
    .get();
  if (!row) return undefined;
  if (row.revokedAt === null)
    await db.orm.update(previewLinks).set({ revokedAt: now }).where(eq(previewLinks.id, id));
  return { ...row, revokedAt: row.revokedAt ?? now };
}
