import { and, desc, eq } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { outboxEvents, webhookDeliveries, webhookEndpoints } from '../db/schema.js';

export type WebhookEndpoint = typeof webhookEndpoints.$inferSelect;
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect & { type: string };

/** The endpoints of an org, oldest first. */
export function listEndpoints(db: Database, orgId: string): Promise<WebhookEndpoint[]> {
  return db.orm
    .select()
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.orgId, orgId))
    .orderBy(webhookEndpoints.createdAt);
}

/** One endpoint of the org, or undefined (another org's id is as unknown as a made-up one). */
export async function getEndpoint(db: Database, orgId: string, id: string) {
  const rows = await db.orm
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.orgId, orgId), eq(webhookEndpoints.id, id)));
  return rows[0];
}

/** An endpoint's delivery log, newest event first. */
export function listDeliveries(db: Database, endpointId: string, limit = 100): Promise<WebhookDelivery[]> {
  return db.orm
    .select({
      endpointId: webhookDeliveries.endpointId,
      eventId: webhookDeliveries.eventId,
      seq: webhookDeliveries.seq,
      orgId: webhookDeliveries.orgId,
      status: webhookDeliveries.status,
      attempts: webhookDeliveries.attempts,
      nextAttemptAt: webhookDeliveries.nextAttemptAt,
      lastAttemptAt: webhookDeliveries.lastAttemptAt,
      responseStatus: webhookDeliveries.responseStatus,
      latencyMs: webhookDeliveries.latencyMs,
      lastError: webhookDeliveries.lastError,
      deliveredAt: webhookDeliveries.deliveredAt,
      createdAt: webhookDeliveries.createdAt,
      type: outboxEvents.type,
    })
    .from(webhookDeliveries)
    .innerJoin(outboxEvents, eq(outboxEvents.id, webhookDeliveries.eventId))
    .where(eq(webhookDeliveries.endpointId, endpointId))
    .orderBy(desc(webhookDeliveries.seq))
    .limit(limit);
}
