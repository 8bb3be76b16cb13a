import { and, eq, gt, lte } from 'drizzle-orm';
import type { Database } from './database.js';
import { dashboardSessions, members } from './schema.js';

export type DashboardSession = typeof dashboardSessions.$inferSelect;

export async function createDashboardSession(db: Database, row: DashboardSession): Promise<void> {
  await db.orm.insert(dashboardSessions).values(row);
}

/** The live session with this id (the sha256 of the cookie) and its member, whose role is read afresh. */
export async function findDashboardSession(db: Database, id: string, now: number) {
  return db.orm
    .select({
      id: dashboardSessions.id,
      csrfToken: dashboardSessions.csrfToken,
      expiresAt: dashboardSessions.expiresAt,
      memberId: members.id,
      orgId: members.orgId,
      email: members.email,
      role: members.role,
    })
    .from(dashboardSessions)
    .innerJoin(members, eq(members.id, dashboardSessions.memberId))
    .where(
      and(
        eq(dashboardSessions.id, id),
        gt(dashboardSessions.expiresAt, now),
        eq(members.orgId, dashboardSessions.orgId),
      ),
    )
    .get();
}

export async function deleteDashboardSession(db: Database, id: string): Promise<void> {
  await db.orm.delete(dashboardSessions).where(eq(dashboardSessions.id, id));
}

/** Ends every session of a member, e.g. after a password change. */
export async function deleteMemberDashboardSessions(db: Database, memberId: string): Promise<void> {
  await db.orm.delete(dashboardSessions).where(eq(dashboardSessions.memberId, memberId));
}

/** Drops sessions past their expiry; run on each sign-in so the table holds only live ones. */
export async function deleteExpiredDashboardSessions(db: Database, now: number): Promise<void> {
  await db.orm.delete(dashboardSessions).where(lte(dashboardSessions.expiresAt, now));
}
