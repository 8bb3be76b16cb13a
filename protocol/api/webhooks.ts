/**
 * Webhooks on the wire (docs/integrations.md): the event types, the endpoints and the delivery log.
 */

/** Every event a webhook endpoint can ask for; `*` asks for all of them. */
export const WEBHOOK_EVENT_TYPES = [
  'license.created',
  'license.revoked',
  'license.expiring',
  'license.cap_reached',
  'launch.denied',
  'deployment.finalized',
  'deployment.promoted',
  'deployment.rolled_back',
  'errors.new_group',
  'errors.spike',
  'completion.recorded',
  'webhook.test',
] as const;

/** Events an endpoint gets only by naming them: `*` does not include them (one per completed session). */
export const OPT_IN_EVENT_TYPES: readonly WebhookEventType[] = ['completion.recorded'];

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** The body of every delivery, as Standard Webhooks suggests: type, ISO timestamp, data. */
export interface WebhookPayload {
  type: WebhookEventType;
  timestamp: string;
  data: Record<string, unknown>;
}

export interface WebhookEndpointJson {
  id: string;
  url: string;
  events: string[];
  description: string;
  createdAt: string;
}

/** Creation and rotation answer the secret once; it is never shown again. */
export interface WebhookEndpointWithSecret {
  endpoint: WebhookEndpointJson;
  secret: string;
}

export interface CreateWebhookBody {
  url: string;
  events: string[];
  description?: string;
}

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'dead';

export interface WebhookDeliveryJson {
  /** The `webhook-id` header of every attempt: receivers de-duplicate on it. */
  id: string;
  type: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  responseStatus: number | null;
  latencyMs: number | null;
  lastError: string | null;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
}
