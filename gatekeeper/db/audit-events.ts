import { desc, eq } from 'drizzle-orm';
import type { Database } from './database.js';
import { auditEvents } from './schema.js';

export type AuditEvent = typeof auditEvents.$inferSelect;

/** The insert of one audit event, to run in the same batch as the change it records. */
export function auditStatement(db: Database, event: Omit<AuditEvent, 'id'>) {
  return db.orm.insert(auditEvents).values(event);
}

export async function listAuditEvents(db: Database, orgId: string): Promise<AuditEvent[]> {
  return db.orm
    .select()
    .from(auditEvents)
    .where(eq(auditEvents.orgId, orgId))
    .orderBy(desc(auditEvents.id))
    .all();
}
