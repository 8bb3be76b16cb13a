import { type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import { OPT_IN_EVENT_TYPES, type WebhookEventType } from '../../protocol/api/webhooks.js';
import type { Database } from '../db/database.js';
import { webhookEndpoints } from '../db/schema.js';

/**
 * The event types some endpoint (of any org) asks for, `*` standing for all: one read of the endpoints
 * table, which holds at most 100 rows per org. A scheduled check whose events nobody wants does not run,
 * so an idle outbox reads nothing else (docs/integrations.md, "The launch path does not pay").
 */
export async function wantedEventTypes(db: Database): Promise<(type: WebhookEventType) => boolean> {
  const rows = await db.orm.all<{ value: string }>(
    sql`SELECT DISTINCT j.value AS value FROM ${webhookEndpoints}, json_each(${webhookEndpoints.events}) j`,
  );
  const types = new Set(rows.map((r) => r.value));
  return (type) => types.has(type) || (types.has('*') && !OPT_IN_EVENT_TYPES.includes(type));
}

/** SQL true where the org `orgId` has an endpoint asking for `type` (or `*`; for the alerts, never opt-in). */
export function orgWants(orgId: SQLWrapper, type: WebhookEventType): SQL {
  const w = webhookEndpoints;
  return sql`EXISTS (SELECT 1 FROM ${w} WHERE ${w.orgId} = ${orgId}
    AND EXISTS (SELECT 1 FROM json_each(${w.events}) WHERE value IN (${type}, '*')))`;
}
