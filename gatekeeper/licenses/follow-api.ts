import { createRoute, z } from '@hono/zod-openapi';
import type { ApiAnswer } from '../../protocol/api/routes.js';
import { requireRole } from '../auth/permissions.js';
import { toLicense } from '../db/licenses.js';
import { principalOf, type RouteDeps } from '../http/app-types.js';
import { AUTH_ERRORS, CONFLICT, IdParams, jsonBody, jsonResponse } from '../http/openapi-schemas.js';
import { createRouter } from '../http/router.js';
import { setLicenseFollows } from './follow.js';

// The reason is checked by the service, so that blank and missing both answer `reason_required`.
const Follow = z.object({
  channel: z
    .string()
    .min(1)
    .max(40)
    .optional()
    .openapi({ description: 'A channel of the course, e.g. live' }),
  deployment: z.string().min(1).max(64).optional().openapi({ description: 'A finalized deployment to pin' }),
  reason: z.unknown().optional(),
});

/**
 * `POST /v1/licenses/{id}/follow` (docs/deployments.md, "Channels"): what the license launches from its
 * next launch on, a channel or one pinned deployment; the client's package stays the same.
 */
export function licenseFollowRoutes(deps: RouteDeps) {
  const app = createRouter();
  app.openapi(
    createRoute({
      method: 'post',
      path: '/{id}/follow',
      tags: ['licenses'],
      summary: 'Make a license follow a channel (default live) or pin it to one finalized deployment',
      middleware: [requireRole('licenses:write')] as const,
      request: { params: IdParams, ...jsonBody(Follow) },
      responses: { 200: jsonResponse('Following', z.looseObject({})), ...AUTH_ERRORS, ...CONFLICT },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const { license, follows } = await setLicenseFollows(deps, principalOf(c), {
        id: c.req.valid('param').id,
        channel: body.channel,
        deployment: body.deployment,
        reason: body.reason,
      });
      const json = toLicense(
        license,
        deps.now().getTime(),
        deps.tokens.mayCarryRetiredKey(license.tokenIssuedAt),
      );
      return c.json({ license: json, follows } satisfies ApiAnswer<'POST /v1/licenses/:id/follow'>, 200);
    },
  );
  return app;
}
