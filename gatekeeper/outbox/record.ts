import { type SQL, sql } from 'drizzle-orm';
import {
  OPT_IN_EVENT_TYPES,
  type WebhookEventType,
  type WebhookPayload,
} from '../../protocol/api/webhooks.js';
import { newSortableId } from '../crypto.js';
import type { Database, Statement } from '../db/database.js';
import { outboxEvents, webhookDeliveries, webhookEndpoints } from '../db/schema.js';

export interface OutboxEvent {
  orgId: string;
  type: WebhookEventType;
  /** The license, deployment or course the event is about. */
  subject: string;
  /** Names and ids, never learner data (there is none to carry). */
  data: Record<string, unknown>;
  /** Milliseconds; the change's own time. */
  at: number;
}

/**
 * The outbox writes of one event, to put in the same batch as the change that causes it, so an event
 * exists if and only if its change committed (docs/integrations.md, "Delivery"). `when` makes the event
 * as conditional as a compare-and-set change (promote, rollback): it is written only where `when` holds
 * inside the transaction; `endpointId` sends it to that endpoint alone (a test event). One delivery row per endpoint of the org that asks for the type is made in
 * the same statement group.
 */
export function outboxStatements(
  db: Database,
  event: OutboxEvent,
  options: { when?: SQL; endpointId?: string } = {},
): { id: string; statements: Statement[] } {
  const id = newSortableId('msg', event.at);
  const body: WebhookPayload = {
    type: event.type,
    timestamp: new Date(event.at).toISOString(),
    data: event.data,
  };
  const payload = JSON.stringify(body);
  const statements = [
    db.orm
      .insert(outboxEvents)
      .select(
        sql`SELECT NULL, ${id}, ${event.orgId}, ${event.type}, ${event.subject}, ${payload}, ${event.at} WHERE ${options.when ?? sql`1`}`,
      ),
    deliveriesStatement(db, id, options.endpointId),
  ];
  return { id, statements };
}

/**
 * The delivery rows of an event: one per endpoint of its org that asks for its type (or for `*`, which
 * leaves out the opt-in types), or
 * with `endpointId`, to that endpoint alone whatever it asks for (a test event).
 */
export function deliveriesStatement(db: Database, eventId: string, endpointId?: string): Statement {
  const e = outboxEvents;
  const w = webhookEndpoints;
  const wanted =
    endpointId === undefined
      ? sql`EXISTS (SELECT 1 FROM json_each(${w.events})
          WHERE value = ${e.type} OR (value = '*' AND ${e.type} NOT IN (${sql.join(
            OPT_IN_EVENT_TYPES.map((t) => sql`${t}`),
            sql`, `,
          )})))`
      : sql`${w.id} = ${endpointId}`;
  return db.orm.insert(webhookDeliveries).select(
    sql`SELECT ${w.id}, ${e.id}, ${e.seq}, ${e.orgId}, 'pending', 0, ${e.createdAt}, NULL, NULL, NULL, NULL, NULL, ${e.createdAt}
        FROM ${e} JOIN ${w} ON ${w.orgId} = ${e.orgId}
        WHERE ${e.id} = ${eventId} AND ${wanted}`,
  );
}
