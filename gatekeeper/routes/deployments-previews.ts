import { createRoute, z } from '@hono/zod-openapi';
import type { Hono } from 'hono';
import type { ApiAnswer } from '../../protocol/api/routes.js';
import { requireRole } from '../auth/permissions.js';
import { getDeployment } from '../db/deployments.js';
import { contentUrlOf, type DeploymentDeps } from '../deployments/context.js';
import { readPreview } from '../deployments/preview-token.js';
import { getPreviewLink, revokePreviewLink } from '../deployments/queries.js';
import { GatekeeperError } from '../errors.js';
import type { AppEnv } from './context.js';
import { principalOf } from './context.js';
import { PREVIEW_PATH } from './deployments.js';
import { createRouter } from './router.js';
import { AUTH_ERRORS, IdParams, jsonResponse } from './schemas.js';

/** `DELETE /v1/previews/{id}`: revokes a preview link at once (the open route checks the row each time). */
export function previewRoutes(deps: DeploymentDeps) {
  const app = createRouter();
  app.openapi(
    createRoute({
      method: 'delete',
      path: '/{id}',
      tags: ['deployments'],
      summary: 'Revoke a preview link',
      middleware: [requireRole('deployments:write')] as const,
      request: { params: IdParams },
      responses: { 200: jsonResponse('Revoked', z.looseObject({})), ...AUTH_ERRORS },
    }),
    async (c) => {
      const row = await revokePreviewLink(
        deps.db,
        principalOf(c).orgId,
        c.req.valid('param').id,
        deps.now().getTime(),
      );
      if (!row) throw new GatekeeperError('preview_not_found', 'No such preview link');
      return c.json(
        {
          id: row.id,
          revokedAt: new Date(row.revokedAt).toISOString(),
        } satisfies ApiAnswer<'DELETE /v1/previews/:id'>,
        200,
      );
    },
  );
  return app;
}

/**
 * `GET /preview/<token>` (public): checks the signature, the expiry and the revocation row on every
 * visit, then redirects to the staged deployment's entry page on the content origin. Anything wrong
 * answers the same 404, so a probe learns nothing.
 */
export function mountPreviewOpen(app: Hono<AppEnv>, deps: DeploymentDeps) {
  app.get(`${PREVIEW_PATH}/:token`, async (c) => {
    const gone = () => {
      c.header('cache-control', 'no-store');
      return c.text('This preview link is invalid, expired or revoked.', 404);
    };
    const now = deps.now().getTime();
    // Public and probe-able: the per-address launch bucket bounds it too, on its own keys.
    if (!deps.limits.perAddress.take(`preview:${deps.clientAddress(c)}`, now))
      throw new GatekeeperError('rate_limited', 'Too many preview visits; retry later');
    const parsed = readPreview(c.req.param('token'), await deps.previewSecret());
    if (!parsed || parsed.expires * 1000 <= now) return gone();
    const link = await getPreviewLink(deps.db, parsed.id);
    if (!link || link.revokedAt !== null || link.expiresAt !== parsed.expires * 1000) return gone();
    const d = await getDeployment(deps.db, link.orgId, link.deploymentId);
    if (!d || d.finalizedAt === null) return gone();
    c.header('cache-control', 'no-store');
    c.header('referrer-policy', 'no-referrer');
    return c.redirect(contentUrlOf(deps, d.courseId, d.id, d.entry), 302);
  });
}
