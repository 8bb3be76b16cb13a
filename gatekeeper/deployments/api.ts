import { createRoute, z } from '@hono/zod-openapi';
import type { ApiAnswer } from '../../protocol/api/routes.js';
import { requireRole } from '../auth/permissions.js';
import { principalOf } from '../http/app-types.js';
import { AUTH_ERRORS, CONFLICT, IdParams, jsonBody, jsonResponse } from '../http/openapi-schemas.js';
import { createRouter } from '../http/router.js';
import { orgContentBase } from '../orgs/org-content-base.js';
import { createPreview, MAX_PREVIEW_SECONDS } from '../previews/service.js';
import { type DeploymentDeps, deploymentJson } from './deployment-deps.js';
import { finalizeDeployment } from './finalize.js';
import { loadDeployment } from './service.js';

const Any = z.looseObject({});
export const CreatePreview = z.object({
  /** Lifetime in seconds: default one day, at most 30 days. */
  expiresIn: z.number().int().min(60).max(MAX_PREVIEW_SECONDS).optional(),
});

/** `/v1/deployments/{id}`: one deployment, its finalize step, and preview links to it. */
export function deploymentRoutes(deps: DeploymentDeps) {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/{id}',
      tags: ['deployments'],
      summary: 'Get a deployment',
      middleware: [requireRole('deployments:read')] as const,
      request: { params: IdParams },
      responses: { 200: jsonResponse('Deployment', Any), ...AUTH_ERRORS },
    }),
    async (c) => {
      const p = principalOf(c);
      const d = await loadDeployment(deps, p, c.req.valid('param').id);
      const base = await orgContentBase(deps, p.orgId);
      return c.json(deploymentJson(base, d) satisfies ApiAnswer<'GET /v1/deployments/:id'>, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/{id}/finalize',
      tags: ['deployments'],
      summary: 'Verify every file (size, sha256) and freeze the deployment; idempotent',
      middleware: [requireRole('deployments:write')] as const,
      request: { params: IdParams },
      responses: {
        200: jsonResponse('Finalized', Any),
        409: jsonResponse('Files missing or different (details.files)', Any),
        ...AUTH_ERRORS,
      },
    }),
    async (c) => {
      const { orgId } = principalOf(c);
      const d = await finalizeDeployment(deps, orgId, c.req.valid('param').id);
      const base = await orgContentBase(deps, orgId);
      return c.json(deploymentJson(base, d) satisfies ApiAnswer<'POST /v1/deployments/:id/finalize'>, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/{id}/previews',
      tags: ['deployments'],
      summary: 'Create a signed, expiring, revocable preview link to a finalized deployment',
      middleware: [requireRole('deployments:write')] as const,
      request: { params: IdParams, ...jsonBody(CreatePreview) },
      responses: { 201: jsonResponse('Preview link', Any), ...AUTH_ERRORS, ...CONFLICT },
    }),
    async (c) => {
      const link = await createPreview(deps, principalOf(c), {
        deployment: c.req.valid('param').id,
        expiresIn: c.req.valid('json').expiresIn,
      });
      return c.json(
        {
          ...link,
          expiresAt: new Date(link.expiresAt).toISOString(),
        } satisfies ApiAnswer<'POST /v1/deployments/:id/previews'>,
        201,
      );
    },
  );

  return app;
}
