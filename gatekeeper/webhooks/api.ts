import { createRoute, z } from '@hono/zod-openapi';
import type { ApiAnswer } from '../../protocol/api/routes.js';
import type { WebhookDeliveryJson, WebhookEndpointJson } from '../../protocol/api/webhooks.js';
import { requireRole } from '../auth/permissions.js';
import { principalOf, type RouteDeps } from '../http/app-types.js';
import { AUTH_ERRORS, IdParams, jsonBody, jsonResponse } from '../http/openapi-schemas.js';
import { createRouter } from '../http/router.js';
import type { OutboundPolicy } from './address-policy.js';
import type { WebhookDelivery, WebhookEndpoint } from './queries.js';
import {
  createWebhook,
  deleteWebhook,
  deliveriesOf,
  listWebhooksOf,
  redeliver,
  rotateWebhookSecret,
  sendTestEvent,
} from './service.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

const EndpointSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    events: z.array(z.string()),
    description: z.string(),
    createdAt: z.string(),
  })
  .openapi('WebhookEndpoint');

const WithSecret = z.object({ endpoint: EndpointSchema, secret: z.string() });

const DeliverySchema = z
  .object({
    id: z.string(),
    type: z.string(),
    status: z.enum(['pending', 'delivered', 'dead']),
    attempts: z.number(),
    responseStatus: z.number().nullable(),
    latencyMs: z.number().nullable(),
    lastError: z.string().nullable(),
    lastAttemptAt: z.string().nullable(),
    nextAttemptAt: z.string().nullable(),
    deliveredAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('WebhookDelivery');

const endpointJson = (w: WebhookEndpoint): WebhookEndpointJson => ({
  id: w.id,
  url: w.url,
  events: JSON.parse(w.events) as string[],
  description: w.description,
  createdAt: iso(w.createdAt) as string,
});

const deliveryJson = (d: WebhookDelivery): WebhookDeliveryJson => ({
  id: d.eventId,
  type: d.type,
  status: d.status,
  attempts: d.attempts,
  responseStatus: d.responseStatus,
  latencyMs: d.latencyMs,
  lastError: d.lastError,
  lastAttemptAt: iso(d.lastAttemptAt),
  nextAttemptAt: d.status === 'pending' ? iso(d.nextAttemptAt) : null,
  deliveredAt: iso(d.deliveredAt),
  createdAt: iso(d.createdAt) as string,
});

const EventParams = IdParams.extend({
  eventId: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: 'eventId', in: 'path' } }),
});

/**
 * `/v1/webhooks`: an org's webhook endpoints, owners only (docs/integrations.md). The secret is in the
 * answers of create and rotate only.
 */
export function webhookRoutes(deps: RouteDeps & { policy: OutboundPolicy }) {
  const app = createRouter();
  const tags = ['webhooks'];

  app.openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags,
      summary: "List the org's webhook endpoints (never their secrets)",
      middleware: [requireRole('webhooks:read')] as const,
      responses: {
        200: jsonResponse('Endpoints', z.object({ webhooks: z.array(EndpointSchema) })),
        ...AUTH_ERRORS,
      },
    }),
    async (c) => {
      const rows = await listWebhooksOf(deps, principalOf(c));
      return c.json({ webhooks: rows.map(endpointJson) } satisfies ApiAnswer<'GET /v1/webhooks'>, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/',
      tags,
      summary: 'Add an endpoint for the events named (* for all); its secret is shown only in this answer',
      middleware: [requireRole('webhooks:write')] as const,
      request: {
        ...jsonBody(
          z.object({
            url: z.string().min(1).max(2000),
            events: z.array(z.string().max(64)).min(1).max(50),
            description: z.string().max(500).optional(),
          }),
        ),
      },
      responses: { 201: jsonResponse('Created', WithSecret), ...AUTH_ERRORS },
    }),
    async (c) => {
      const { row, secret } = await createWebhook(deps, principalOf(c), c.req.valid('json'));
      return c.json({ endpoint: endpointJson(row), secret } satisfies ApiAnswer<'POST /v1/webhooks'>, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/{id}',
      tags,
      summary: 'Remove an endpoint and its queued deliveries',
      middleware: [requireRole('webhooks:write')] as const,
      request: { params: IdParams },
      responses: { 200: jsonResponse('Removed', EndpointSchema), ...AUTH_ERRORS },
    }),
    async (c) => {
      const row = await deleteWebhook(deps, principalOf(c), c.req.valid('param').id);
      return c.json(endpointJson(row) satisfies ApiAnswer<'DELETE /v1/webhooks/:id'>, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/{id}/rotate',
      tags,
      summary: 'A new secret, shown only in this answer; the previous one also signs for 24 hours',
      middleware: [requireRole('webhooks:write')] as const,
      request: { params: IdParams },
      responses: { 200: jsonResponse('Rotated', WithSecret), ...AUTH_ERRORS },
    }),
    async (c) => {
      const { row, secret } = await rotateWebhookSecret(deps, principalOf(c), c.req.valid('param').id);
      return c.json(
        { endpoint: endpointJson(row), secret } satisfies ApiAnswer<'POST /v1/webhooks/:id/rotate'>,
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/{id}/test',
      tags,
      summary: 'Queue a webhook.test event for this endpoint; answers its webhook-id',
      middleware: [requireRole('webhooks:write')] as const,
      request: { params: IdParams },
      responses: { 202: jsonResponse('Queued', z.object({ id: z.string() })), ...AUTH_ERRORS },
    }),
    async (c) => {
      const id = await sendTestEvent(deps, principalOf(c), c.req.valid('param').id);
      return c.json({ id } satisfies ApiAnswer<'POST /v1/webhooks/:id/test'>, 202);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/{id}/deliveries',
      tags,
      summary: "The endpoint's delivery log, newest first: status, attempts, latency, response, next retry",
      middleware: [requireRole('webhooks:read')] as const,
      request: { params: IdParams },
      responses: {
        200: jsonResponse('Deliveries', z.object({ deliveries: z.array(DeliverySchema) })),
        ...AUTH_ERRORS,
      },
    }),
    async (c) => {
      const rows = await deliveriesOf(deps, principalOf(c), c.req.valid('param').id);
      return c.json(
        { deliveries: rows.map(deliveryJson) } satisfies ApiAnswer<'GET /v1/webhooks/:id/deliveries'>,
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/{id}/deliveries/{eventId}/redeliver',
      tags,
      summary: 'Send a delivery again now (delivered or dead alike), with the same webhook-id',
      middleware: [requireRole('webhooks:write')] as const,
      request: { params: EventParams },
      responses: { 202: jsonResponse('Queued', z.object({ id: z.string() })), ...AUTH_ERRORS },
    }),
    async (c) => {
      const { id, eventId } = c.req.valid('param');
      await redeliver(deps, principalOf(c), { id, eventId });
      return c.json(
        { id: eventId } satisfies ApiAnswer<'POST /v1/webhooks/:id/deliveries/:eventId/redeliver'>,
        202,
      );
    },
  );

  return app;
}
