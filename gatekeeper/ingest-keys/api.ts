import { createRoute, z } from '@hono/zod-openapi';
import type { ApiAnswer } from '../../protocol/api/routes.js';
import { requireRole } from '../auth/permissions.js';
import type { IngestKey } from '../db/ingest-keys.js';
import { principalOf, type RouteDeps } from '../http/app-types.js';
import { AUTH_ERRORS, IdParams, jsonBody, jsonResponse } from '../http/openapi-schemas.js';
import { createRouter } from '../http/router.js';
import { createIngestKeyFor, listIngestKeysOf, MAX_INGEST_KEY_NAME, revokeIngestKeyOf } from './service.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

const IngestKeySchema = z
  .object({
    id: z.string(),
    courseId: z.string(),
    name: z.string(),
    prefix: z.string(),
    createdBy: z.string(),
    createdAt: z.string(),
    revokedAt: z.string().nullable(),
  })
  .openapi('IngestKey');

const toJson = (k: IngestKey) => ({
  id: k.id,
  courseId: k.courseId,
  name: k.name,
  prefix: k.prefix,
  createdBy: k.createdBy,
  createdAt: iso(k.createdAt) as string,
  revokedAt: iso(k.revokedAt),
});

const KeyParams = IdParams.extend({
  keyId: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: 'keyId', in: 'path' } }),
});

/**
 * `/v1/courses/:id/ingest-keys`: the keys portable packages of a course send telemetry with. A key is
 * shown once, at creation; revoking it refuses the next ingest request that presents it.
 */
export function ingestKeyRoutes(deps: RouteDeps) {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/{id}/ingest-keys',
      tags: ['ingest-keys'],
      summary: "List a course's ingest keys (never the secrets)",
      middleware: [requireRole('ingest-keys:read')] as const,
      request: { params: IdParams },
      responses: {
        200: jsonResponse('Keys', z.object({ ingestKeys: z.array(IngestKeySchema) })),
        ...AUTH_ERRORS,
      },
    }),
    async (c) => {
      const keys = await listIngestKeysOf(deps, principalOf(c), c.req.valid('param').id);
      return c.json(
        { ingestKeys: keys.map(toJson) } satisfies ApiAnswer<'GET /v1/courses/:id/ingest-keys'>,
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/{id}/ingest-keys',
      tags: ['ingest-keys'],
      summary:
        'Create an ingest key for portable packages of the course; the key is shown only in this answer',
      middleware: [requireRole('ingest-keys:write')] as const,
      request: {
        params: IdParams,
        ...jsonBody(z.object({ name: z.string().min(1).max(MAX_INGEST_KEY_NAME).optional() })),
      },
      responses: {
        201: jsonResponse('Created', z.object({ key: z.string(), ingestKey: IngestKeySchema })),
        ...AUTH_ERRORS,
      },
    }),
    async (c) => {
      const { row, key } = await createIngestKeyFor(deps, principalOf(c), {
        course: c.req.valid('param').id,
        name: c.req.valid('json').name,
      });
      return c.json(
        { key, ingestKey: toJson(row) } satisfies ApiAnswer<'POST /v1/courses/:id/ingest-keys'>,
        201,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/{id}/ingest-keys/{keyId}',
      tags: ['ingest-keys'],
      summary: 'Revoke an ingest key: the next ingest request presenting it is refused',
      middleware: [requireRole('ingest-keys:write')] as const,
      request: { params: KeyParams },
      responses: { 200: jsonResponse('Revoked', IngestKeySchema), ...AUTH_ERRORS },
    }),
    async (c) => {
      const { id, keyId } = c.req.valid('param');
      const row = await revokeIngestKeyOf(deps, principalOf(c), { course: id, id: keyId });
      return c.json(toJson(row) satisfies ApiAnswer<'DELETE /v1/courses/:id/ingest-keys/:keyId'>, 200);
    },
  );

  return app;
}
