import { and, eq } from 'drizzle-orm';
import { WEBHOOK_EVENT_TYPES } from '../../protocol/api/webhooks.js';
import { newId } from '../crypto.js';
import { auditStatement } from '../db/audit-events.js';
import type { Database } from '../db/database.js';
import { webhookDeliveries, webhookEndpoints } from '../db/schema.js';
import { GatekeeperError } from '../errors.js';
import { outboxStatements } from '../outbox/record.js';
import { newWebhookSecret } from '../outbox/signing.js';
import { type OutboundPolicy, urlRefusal } from './address-policy.js';
import { getEndpoint, listDeliveries, listEndpoints, type WebhookEndpoint } from './queries.js';

/**
 * The webhook rules, one copy for the `/v1/webhooks` API, the CLI (through it) and the test seeders
 * (docs/integrations.md): endpoints per org with the events they want, a secret shown once and
 * rotatable, a test event, the delivery log and redelivery. Changes are audited in their batch.
 */
export interface WebhookDeps {
  db: Database;
  now: () => Date;
  policy: OutboundPolicy;
}

export interface WebhookActor {
  orgId: string;
  memberId: string;
}

export const MAX_WEBHOOKS_PER_ORG = 100;
/** After a rotation the previous secret signs too, for a day, so receivers can switch without a gap. */
export const ROTATION_OVERLAP_MS = 24 * 3_600_000;

const invalid = (message: string) => new GatekeeperError('invalid_request', message);

function eventsOf(events: readonly string[]): string[] {
  if (events.length === 0) throw invalid('Name at least one event, or * for all');
  const known = new Set<string>([...WEBHOOK_EVENT_TYPES, '*']);
  const unknown = events.filter((e) => !known.has(e));
  if (unknown.length > 0)
    throw invalid(`Unknown event(s): ${unknown.join(', ')}; known: ${WEBHOOK_EVENT_TYPES.join(', ')}, *`);
  return [...new Set(events)];
}

function audit(actor: WebhookActor, action: string, subject: string, to: string | null, at: number) {
  return {
    orgId: actor.orgId,
    actor: actor.memberId,
    action,
    subject,
    fromValue: null,
    toValue: to,
    reason: '',
    at,
  };
}

/** An endpoint of the actor's org, or `webhook_not_found`. */
export async function loadEndpoint(deps: { db: Database }, actor: { orgId: string }, id: string) {
  const row = await getEndpoint(deps.db, actor.orgId, id);
  if (!row) throw new GatekeeperError('webhook_not_found', 'No such webhook endpoint');
  return row;
}

/**
 * Adds an endpoint, audited as `webhook.create`; the secret is in this answer only.
 *
 * @example
 * const { row, secret } = await createWebhook(deps, principal, { url: 'https://hooks.example.com/cg', events: ['license.revoked'] });
 */
export async function createWebhook(
  deps: WebhookDeps,
  actor: WebhookActor,
  input: { url: string; events: readonly string[]; description?: string | undefined },
): Promise<{ row: WebhookEndpoint; secret: string }> {
  const refusal = urlRefusal(input.url, deps.policy);
  if (refusal)
    throw new GatekeeperError('webhook_url_refused', `This URL cannot receive webhooks: ${refusal}`);
  const events = eventsOf(input.events);
  if ((await listEndpoints(deps.db, actor.orgId)).length >= MAX_WEBHOOKS_PER_ORG)
    throw invalid(`An org has at most ${MAX_WEBHOOKS_PER_ORG} webhook endpoints`);
  const now = deps.now().getTime();
  const secret = newWebhookSecret();
  const row: WebhookEndpoint = {
    id: newId('whk'),
    orgId: actor.orgId,
    url: input.url,
    events: JSON.stringify(events),
    description: (input.description ?? '').trim().slice(0, 500),
    secret,
    previousSecret: null,
    previousUntil: null,
    createdBy: actor.memberId,
    createdAt: now,
  };
  await deps.db.batch([
    deps.db.orm.insert(webhookEndpoints).values(row),
    auditStatement(deps.db, audit(actor, 'webhook.create', row.id, row.url, now)),
  ]);
  return { row, secret };
}

export const listWebhooksOf = (deps: { db: Database }, actor: { orgId: string }) =>
  listEndpoints(deps.db, actor.orgId);

/** Removes an endpoint and its queued deliveries, audited as `webhook.delete`. */
export async function deleteWebhook(deps: WebhookDeps, actor: WebhookActor, id: string) {
  const row = await loadEndpoint(deps, actor, id);
  const now = deps.now().getTime();
  await deps.db.batch([
    deps.db.orm.delete(webhookDeliveries).where(eq(webhookDeliveries.endpointId, row.id)),
    deps.db.orm.delete(webhookEndpoints).where(eq(webhookEndpoints.id, row.id)),
    auditStatement(deps.db, audit(actor, 'webhook.delete', row.id, row.url, now)),
  ]);
  return row;
}

/**
 * A new secret, in this answer only, audited as `webhook.rotate`. The previous one keeps signing beside
 * it (a second `v1,` signature) for `ROTATION_OVERLAP_MS`.
 */
export async function rotateWebhookSecret(deps: WebhookDeps, actor: WebhookActor, id: string) {
  const row = await loadEndpoint(deps, actor, id);
  const now = deps.now().getTime();
  const secret = newWebhookSecret();
  await deps.db.batch([
    deps.db.orm
      .update(webhookEndpoints)
      .set({ secret, previousSecret: row.secret, previousUntil: now + ROTATION_OVERLAP_MS })
      .where(eq(webhookEndpoints.id, row.id)),
    auditStatement(deps.db, audit(actor, 'webhook.rotate', row.id, null, now)),
  ]);
  return { row: { ...row, secret }, secret };
}

/** Queues a `webhook.test` event for this endpoint alone; answers its `webhook-id`. */
export async function sendTestEvent(deps: WebhookDeps, actor: WebhookActor, id: string): Promise<string> {
  const row = await loadEndpoint(deps, actor, id);
  const statements = outboxStatements(
    deps.db,
    {
      orgId: actor.orgId,
      type: 'webhook.test',
      subject: row.id,
      data: { endpointId: row.id },
      at: deps.now().getTime(),
    },
    { endpointId: row.id },
  );
  await deps.db.batch(statements.statements);
  return statements.id;
}

/** The endpoint's delivery log, newest first. */
export async function deliveriesOf(deps: { db: Database }, actor: { orgId: string }, id: string) {
  const row = await loadEndpoint(deps, actor, id);
  return listDeliveries(deps.db, row.id);
}

/**
 * Queues a delivery again now (delivered or dead alike), same `webhook-id`; its maximum age counts
 * from now.
 */
export async function redeliver(
  deps: WebhookDeps,
  actor: WebhookActor,
  input: { id: string; eventId: string },
) {
  const row = await loadEndpoint(deps, actor, input.id);
  const now = deps.now().getTime();
  const [changed] = await deps.db.batch([
    deps.db.orm
      .update(webhookDeliveries)
      .set({ status: 'pending', nextAttemptAt: now, createdAt: now })
      .where(and(eq(webhookDeliveries.endpointId, row.id), eq(webhookDeliveries.eventId, input.eventId))),
  ]);
  if (changed !== 1)
    throw new GatekeeperError('webhook_delivery_not_found', 'No such delivery for this endpoint');
}
