import { createRoute, z } from '@hono/zod-openapi';
import type { ApiAnswer } from '../../protocol/api/routes.js';
import { requireRole } from '../auth/permissions.js';
import { type ApiKey, createApiKey, getApiKey, listApiKeys, revokeApiKey } from '../db/api-keys.js';
import { getMember } from '../db/members.js';
import { GatekeeperError } from '../errors.js';
import { principalOf, type RouteDeps } from './context.js';
import { createRouter } from './router.js';
import { AUTH_ERRORS, IdParams, jsonBody, jsonResponse } from './schemas.js';

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
        {
          keys: (await listApiKeys(deps.db, principalOf(c).orgId)).map(toJson),
        } satisfies ApiAnswer<'GET /v1/keys'>,
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
        z.object({ name: z.string().min(1).max(100), memberId: z.string().max(64).optional() }),
      ),
      responses: {
        201: jsonResponse('Created', z.object({ key: z.string(), apiKey: ApiKeySchema })),
        ...AUTH_ERRORS,
      },
    }),
    async (c) => {
      const p = principalOf(c);
      const body = c.req.valid('json');
      const memberId = body.memberId ?? p.memberId;
      if (!(await getMember(deps.db, p.orgId, memberId)))
        throw new GatekeeperError('member_not_found', 'No such member');
      const { row, key } = await createApiKey(deps.db, {
        orgId: p.orgId,
        memberId,
        name: body.name,
        now: deps.now().getTime(),
      });
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
      const { orgId } = principalOf(c);
      const { id } = c.req.valid('param');
      if (!(await getApiKey(deps.db, orgId, id)))
        throw new GatekeeperError('api_key_not_found', 'No such API key');
      await revokeApiKey(deps.db, orgId, id, deps.now().getTime());
      return c.json(
        toJson((await getApiKey(deps.db, orgId, id)) as ApiKey) satisfies ApiAnswer<'DELETE /v1/keys/:id'>,
        200,
      );
    },
  );

  return app;
}
