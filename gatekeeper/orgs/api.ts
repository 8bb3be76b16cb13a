import { createRoute, z } from '@hono/zod-openapi';
import type { ApiAnswer } from '../../protocol/api/routes.js';
import { requireRole } from '../auth/permissions.js';
import { getOrg } from '../db/orgs.js';
import { GatekeeperError } from '../errors.js';
import { principalOf, type RouteDeps } from '../http/app-types.js';
import { AUTH_ERRORS, jsonResponse } from '../http/openapi-schemas.js';
import { createRouter } from '../http/router.js';

const OrgSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    createdAt: z.string(),
    you: z.object({ memberId: z.string(), role: z.enum(['owner', 'member']) }),
  })
  .openapi('Org');

/** `/v1/org`: the caller's organisation, and who the caller is in it. */
export function orgRoutes(deps: RouteDeps) {
  const app = createRouter();
  app.openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags: ['org'],
      summary: 'The caller’s organisation',
      middleware: [requireRole('org:read')] as const,
      responses: { 200: jsonResponse('Org', OrgSchema), ...AUTH_ERRORS },
    }),
    async (c) => {
      const p = principalOf(c);
      const org = await getOrg(deps.db, p.orgId);
      if (!org) throw new GatekeeperError('org_not_found', 'No such organisation');
      return c.json(
        {
          id: org.id,
          name: org.name,
          createdAt: new Date(org.createdAt).toISOString(),
          you: { memberId: p.memberId, role: p.role },
        } satisfies ApiAnswer<'GET /v1/org'>,
        200,
      );
    },
  );
  return app;
}
