import { createRoute, z } from '@hono/zod-openapi';
import type { ForwardingJson } from '../../protocol/api/forwarding.js';
import type { ApiAnswer } from '../../protocol/api/routes.js';
import { requireRole } from '../auth/permissions.js';
import { principalOf, type RouteDeps } from '../http/app-types.js';
import { AUTH_ERRORS, IdParams, jsonBody, jsonResponse } from '../http/openapi-schemas.js';
import { createRouter } from '../http/router.js';
import type { OutboundPolicy } from '../webhooks/address-policy.js';
import { clearForwarding, type ForwardingStatus, forwardingOf, setForwarding } from './service.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

const ForwardingSchema = z
  .object({
    courseId: z.string(),
    endpoint: z.string(),
    backlog: z.number(),
    delivered: z.number(),
    rejected: z.number(),
    attempts: z.number(),
    lastAttemptAt: z.string().nullable(),
    lastStatus: z.number().nullable(),
    lastError: z.string().nullable(),
    lastErrorAt: z.string().nullable(),
    nextAttemptAt: z.string().nullable(),
    updatedAt: z.string(),
  })
  .openapi('Forwarding');

/** The JSON of a course's target (API and CLI): times as ISO 8601, never the credentials. */
export const forwardingJson = (s: ForwardingStatus): ForwardingJson => ({
  ...s,
  lastAttemptAt: iso(s.lastAttemptAt),
  lastErrorAt: iso(s.lastErrorAt),
  nextAttemptAt: iso(s.nextAttemptAt),
  updatedAt: iso(s.updatedAt) as string,
});

/**
 * `/v1/courses/{id}/forwarding`: a course's LRS, owners only (docs/integrations.md, "Statement
 * forwarding"). The credentials go in and never come out.
 */
export function forwardingRoutes(
  deps: RouteDeps & { policy: OutboundPolicy; forwardingKey: Promise<CryptoKey | undefined> },
) {
  const app = createRouter();
  const tags = ['forwarding'];
  const path = '/{id}/forwarding';

  app.openapi(
    createRoute({
      method: 'get',
      path,
      tags,
      summary: "The course's LRS, backlog and last error",
      middleware: [requireRole('forwarding:read')] as const,
      request: { params: IdParams },
      responses: { 200: jsonResponse('Forwarding', ForwardingSchema), ...AUTH_ERRORS },
    }),
    async (c) => {
      const s = await forwardingOf(deps, principalOf(c), c.req.valid('param').id);
      return c.json(forwardingJson(s) satisfies ApiAnswer<'GET /v1/courses/:id/forwarding'>, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path,
      tags,
      summary: "Forward the course's statements and completion records to an LRS (Basic credentials)",
      middleware: [requireRole('forwarding:write')] as const,
      request: {
        params: IdParams,
        ...jsonBody(
          z.object({
            endpoint: z.string().min(1).max(2000),
            username: z.string().min(1).max(500),
            password: z.string().min(1).max(500),
          }),
        ),
      },
      responses: { 200: jsonResponse('Set', ForwardingSchema), ...AUTH_ERRORS },
    }),
    async (c) => {
      const s = await setForwarding(deps, principalOf(c), c.req.valid('param').id, c.req.valid('json'));
      return c.json(forwardingJson(s) satisfies ApiAnswer<'PUT /v1/courses/:id/forwarding'>, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path,
      tags,
      summary: 'Stop forwarding and drop the backlog',
      middleware: [requireRole('forwarding:write')] as const,
      request: { params: IdParams },
      responses: { 200: jsonResponse('Cleared', ForwardingSchema), ...AUTH_ERRORS },
    }),
    async (c) => {
      const s = await clearForwarding(deps, principalOf(c), c.req.valid('param').id);
      return c.json(forwardingJson(s) satisfies ApiAnswer<'DELETE /v1/courses/:id/forwarding'>, 200);
    },
  );

  return app;
}
