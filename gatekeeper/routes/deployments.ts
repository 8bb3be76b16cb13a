import { createRoute, z } from '@hono/zod-openapi';
import type { ApiAnswer } from '../../protocol/api/routes.js';
import { requireRole } from '../auth/permissions.js';
import { newId } from '../crypto.js';
import { getDeployment } from '../db/deployments.js';
import { type DeploymentDeps, deploymentJson } from '../deployments/context.js';
import { finalizeDeployment } from '../deployments/finalize.js';
import { signPreview } from '../deployments/preview-token.js';
import { insertPreviewLink } from '../deployments/queries.js';
import { GatekeeperError } from '../errors.js';
import { principalOf } from './context.js';
import { createRouter } from './router.js';
import { AUTH_ERRORS, CONFLICT, IdParams, jsonBody, jsonResponse } from './schemas.js';

/** Where preview links point: a public Gatekeeper route that checks them and redirects. */
export const PREVIEW_PATH = '/preview';
const Any = z.looseObject({});
const CreatePreview = z.object({
  /** Lifetime in seconds: default one day, at most 30 days. */
  expiresIn: z
    .number()
    .int()
    .min(60)
    .max(30 * 86400)
    .optional(),
});

/** `/v1/deployments/{id}`: one deployment, its finalize step, and preview links to it. */
export function deploymentRoutes(deps: DeploymentDeps) {
  const app = createRouter();

  const load = async (orgId: string, id: string) => {
    const d = await getDeployment(deps.db, orgId, id);
    if (!d) throw new GatekeeperError('deployment_not_found', 'No such deployment');
    return d;
  };

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
    async (c) =>
      c.json(
        deploymentJson(
          deps,
          await load(principalOf(c).orgId, c.req.valid('param').id),
        ) satisfies ApiAnswer<'GET /v1/deployments/:id'>,
        200,
      ),
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
      const d = await finalizeDeployment(deps, principalOf(c).orgId, c.req.valid('param').id);
      return c.json(deploymentJson(deps, d) satisfies ApiAnswer<'POST /v1/deployments/:id/finalize'>, 200);
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
      const p = principalOf(c);
      const d = await load(p.orgId, c.req.valid('param').id);
      if (d.finalizedAt === null)
        throw new GatekeeperError('deployment_not_finalized', 'The deployment is not finalized yet');
      const now = deps.now().getTime();
      const expires = Math.floor(now / 1000) + (c.req.valid('json').expiresIn ?? 86400);
      const id = newId('pvw');
      await insertPreviewLink(deps.db, {
        id,
        orgId: p.orgId,
        deploymentId: d.id,
        expiresAt: expires * 1000,
        createdBy: p.memberId,
        createdAt: now,
        revokedAt: null,
      });
      const token = signPreview(id, expires, await deps.previewSecret());
      return c.json(
        {
          id,
          deploymentId: d.id,
          url: `${deps.config.publicUrl}${PREVIEW_PATH}/${token}`,
          expiresAt: new Date(expires * 1000).toISOString(),
        } satisfies ApiAnswer<'POST /v1/deployments/:id/previews'>,
        201,
      );
    },
  );

  return app;
}
