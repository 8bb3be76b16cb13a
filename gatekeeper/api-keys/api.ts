import { createRoute, z } from '@hono/zod-openapi';
import type { ApiAnswer } from '../../protocol/api/routes.js';
import { requireRole } from '../auth/permissions.js';
import type { ApiKey } from '../db/api-keys.js';
import { principalOf, type RouteDeps } from '../http/app-types.js';
import { AUTH_ERRORS, IdParams, jsonBody, jsonResponse } from '../http/openapi-schemas.js';
import { createRouter } from '../http/router.js';
import { createApiKeyFor, listApiKeysOf, MAX_KEY_NAME, revokeApiKeyOf } from './service.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

const ApiKeySchema = z
  .object({
    id: z.string(),
    memberId: z.string(),
    name: z.string(),
    prefix: z.string(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .openapi('ApiKey');

const toJson = (k: ApiKey) => ({
  id: k.id,
  memberId: k.memberId,
  name: k.name,
  prefix: k.prefix,
  createdAt: iso(k.createdAt) as string,
  lastUsedAt: iso(k.lastUsedAt),
  revokedAt: iso(k.revokedAt),
});

/** `/v1/keys`: API keys of the organisation; the secret is returned once, at creation. */
export function keyRoutes(deps: RouteDeps) {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags: ['keys'],
      summary: 'List API keys (never the secrets)',
      middleware: [requireRole('keys:read')] as const,
      responses: { 200: jsonResponse('Keys', z.object({ keys: z.array(ApiKeySchema) })), ...AUTH_ERRORS },
    }),
    async (c) =>
      c.json(
        { keys: (await listApiKeysOf(deps, principalOf(c))).map(toJson) } satisfies ApiAnswer<'GET /v1/keys'>,
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/',
      tags: ['keys'],
      summary: 'Create an API key for a member (default: the caller); the key is shown only in this answer',
      middleware: [requireRole('keys:write')] as const,
      request: jsonBody(
        z.object({ name: z.string().min(1).max(MAX_KEY_NAME), memberId: z.string().max(64).optional() }),
      ),
      responses: {
        201: jsonResponse('Created', z.object({ key: z.string(), apiKey: ApiKeySchema })),
        ...AUTH_ERRORS,
      },
    }),
    async (c) => {
      const { row, key } = await createApiKeyFor(deps, principalOf(c), c.req.valid('json'));
      return c.json({ key, apiKey: toJson(row) } satisfies ApiAnswer<'POST /v1/keys'>, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/{id}',
      tags: ['keys'],
      summary: 'Revoke an API key',
      middleware: [requireRole('keys:write')] as const,
      request: { params: IdParams },
      responses: { 200: jsonResponse('Revoked', ApiKeySchema), ...AUTH_ERRORS },
    }),
    async (c) => {
      return c.json(
        toJson(
          await revokeApiKeyOf(deps, principalOf(c), c.req.valid('param').id),
        ) satisfies ApiAnswer<'DELETE /v1/keys/:id'>,
        200,
      );
    },
  );

  return app;
}
