import { createRoute, z } from '@hono/zod-openapi';
import type { Hono } from 'hono';
import type { ApiAnswer } from '../../protocol/api/routes.js';
import { requireRole } from '../auth/permissions.js';
import { contentUrlOf, type DeploymentDeps } from '../deployments/deployment-deps.js';
import type { AppEnv } from '../http/app-types.js';
import { principalOf } from '../http/app-types.js';
import { AUTH_ERRORS, IdParams, jsonResponse } from '../http/openapi-schemas.js';
import { takeOrRefuse } from '../http/rate-limit.js';
import { createRouter } from '../http/router.js';
import { orgContentBase } from '../orgs/org-content-base.js';
import { openPreview, PREVIEW_PATH, revokePreview } from './service.js';

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
      const row = await revokePreview(deps, principalOf(c), c.req.valid('param').id);
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
    takeOrRefuse(
      deps.limits.perAddress,
      `preview:${deps.clientAddress(c)}`,
      now,
      'Too many preview visits; retry later',
    );
    const d = await openPreview(deps, c.req.param('token'));
    if (!d) return gone();
    c.header('cache-control', 'no-store');
    c.header('referrer-policy', 'no-referrer');
    return c.redirect(contentUrlOf(await orgContentBase(deps, d.orgId), d.courseId, d.id, d.entry), 302);
  });
}
