import { createRoute, z } from '@hono/zod-openapi';
import type { ApiAnswer } from '../../protocol/api/routes.js';
import { requireRole } from '../auth/permissions.js';
import { principalOf } from '../http/app-types.js';
import { AUTH_ERRORS, CONFLICT, IdParams, jsonBody, jsonResponse } from '../http/openapi-schemas.js';
import { createRouter } from '../http/router.js';
import { createPreview, type PreviewDeps } from '../previews/service.js';
import { CreatePreview } from './api.js';
import { createChannel, deleteChannel, listChannelsOf } from './channels.js';

const Any = z.looseObject({});
const ChannelParams = IdParams.extend({
  name: z
    .string()
    .min(1)
    .max(40)
    .openapi({ param: { name: 'name', in: 'path' } }),
});
const CreateChannel = z.object({ name: z.string().min(1).max(40) });

/**
 * `/v1/courses/{id}/channels` (docs/deployments.md, "Channels"): a course's channels with the licenses
 * on each, named channels added and deleted by owners, and a preview link to what a channel holds now.
 */
export function channelRoutes(deps: PreviewDeps) {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/{id}/channels',
      tags: ['deployments'],
      summary: "A course's channels (live first), each with its deployment and the licenses following it",
      middleware: [requireRole('deployments:read')] as const,
      request: { params: IdParams },
      responses: { 200: jsonResponse('Channels', Any), ...AUTH_ERRORS },
    }),
    async (c) => {
      const { channels, pinned } = await listChannelsOf(deps, principalOf(c), c.req.valid('param').id);
      return c.json({ channels, pinned } satisfies ApiAnswer<'GET /v1/courses/:id/channels'>, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/{id}/channels',
      tags: ['deployments'],
      summary: 'Add a named channel (owners); promote a deployment to it next',
      middleware: [requireRole('channels:write')] as const,
      request: { params: IdParams, ...jsonBody(CreateChannel) },
      responses: { 201: jsonResponse('Channel', Any), ...AUTH_ERRORS, ...CONFLICT },
    }),
    async (c) => {
      const row = await createChannel(deps, principalOf(c), {
        course: c.req.valid('param').id,
        name: c.req.valid('json').name,
      });
      return c.json(
        {
          name: row.name,
          deploymentId: row.deploymentId,
          licenses: [],
        } satisfies ApiAnswer<'POST /v1/courses/:id/channels'>,
        201,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/{id}/channels/{name}',
      tags: ['deployments'],
      summary: 'Delete a named channel (owners); refused, naming them, while licenses follow it',
      middleware: [requireRole('channels:write')] as const,
      request: { params: ChannelParams },
      responses: { 200: jsonResponse('Deleted', Any), ...AUTH_ERRORS, ...CONFLICT },
    }),
    async (c) => {
      const { id, name } = c.req.valid('param');
      const row = await deleteChannel(deps, principalOf(c), { course: id, name });
      return c.json(
        { name: row.name, deleted: true } satisfies ApiAnswer<'DELETE /v1/courses/:id/channels/:name'>,
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/{id}/channels/{name}/previews',
      tags: ['deployments'],
      summary: 'A preview link to the deployment on a channel now (`live` included)',
      middleware: [requireRole('deployments:write')] as const,
      request: { params: ChannelParams, ...jsonBody(CreatePreview) },
      responses: { 201: jsonResponse('Preview link', Any), ...AUTH_ERRORS, ...CONFLICT },
    }),
    async (c) => {
      const { id, name } = c.req.valid('param');
      const link = await createPreview(deps, principalOf(c), {
        course: id,
        channel: name,
        expiresIn: c.req.valid('json').expiresIn,
      });
      return c.json(
        {
          ...link,
          expiresAt: new Date(link.expiresAt).toISOString(),
        } satisfies ApiAnswer<'POST /v1/courses/:id/channels/:name/previews'>,
        201,
      );
    },
  );

  return app;
}
