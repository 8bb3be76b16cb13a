import { desc, eq, type SQL, sql } from 'drizzle-orm';
import type { AnySQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Database } from './database.js';
import { auditEvents } from './schema.js';

export type AuditEvent = typeof auditEvents.$inferSelect;

/** The event of `actor` (a member id, or `cli`) doing `action` to `subject`, with what changed. */
export function auditEventOf(
  actor: { orgId: string; memberId: string },
  action: string,
  subject: string,
  change: { from: string | null; to: string | null; at: number; reason?: string },
): Omit<AuditEvent, 'id'> {
  return {
    orgId: actor.orgId,
    actor: actor.memberId,
    action,
    subject,
    fromValue: change.from,
    toValue: change.to,
    reason: change.reason ?? '',
    at: change.at,
  };
}

/** The insert of one audit event, to run in the same batch as the change it records. */
export function auditStatement(db: Database, event: Omit<AuditEvent, 'id'>) {
  return db.orm.insert(auditEvents).values(event);
}

/**
 * The insert of one audit event that lands only when `where` finds one row of `table` (the row the change
 * is about): put it before a conditional write with the same condition in one batch, so a write the
 * condition refuses leaves no event behind.
 */
export function auditWhereStatement(
  db: Database,
  event: Omit<AuditEvent, 'id'>,
  table: AnySQLiteTable,
  where: SQL,
) {
  return db.orm.insert(auditEvents).select(
    db.orm
      .select({
        // Every column, in the table's order (drizzle checks); NULL lets SQLite number the event.
        id: sql`NULL`.as('id'),
        orgId: sql`${event.orgId}`.as('org_id'),
        actor: sql`${event.actor}`.as('actor'),
        action: sql`${event.action}`.as('action'),
        subject: sql`${event.subject}`.as('subject'),
        fromValue: sql`${event.fromValue}`.as('from_value'),
        toValue: sql`${event.toValue}`.as('to_value'),
        reason: sql`${event.reason}`.as('reason'),
        at: sql`${event.at}`.as('at'),
      })
      .from(table)
      .where(where),
  );
}

export async function listAuditEvents(db: Database, orgId: string): Promise<AuditEvent[]> {
  return db.orm
    .select()
    .from(auditEvents)
    .where(eq(auditEvents.orgId, orgId))
    .orderBy(desc(auditEvents.id))
    .all();
}
