import { createRoute, z } from '@hono/zod-openapi';
import type { ApiAnswer } from '../../protocol/api/routes.js';
import { requireRole } from '../auth/permissions.js';
import { listMembers, type Member } from '../db/members.js';
import { principalOf, type RouteDeps } from '../http/app-types.js';
import { AUTH_ERRORS, CONFLICT, IdParams, jsonBody, jsonResponse } from '../http/openapi-schemas.js';
import { createRouter } from '../http/router.js';
import {
  addMember,
  changeMemberRole,
  MEMBER_EMAIL,
  MEMBER_NAME,
  MIN_PASSWORD,
  removeMember,
} from './service.js';

const RoleSchema = z.enum(['owner', 'member']);
const MemberSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string().nullable(),
    role: RoleSchema,
    hasPassword: z.boolean(),
    createdAt: z.string(),
  })
  .openapi('Member');

const toJson = (m: Member) => ({
  id: m.id,
  email: m.email,
  name: m.name,
  role: m.role,
  hasPassword: m.passwordHash !== null,
  createdAt: new Date(m.createdAt).toISOString(),
});

/** `/v1/members`: people of the caller's organisation and their roles. */
export function memberRoutes(deps: RouteDeps) {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags: ['members'],
      summary: 'List members',
      middleware: [requireRole('members:read')] as const,
      responses: {
        200: jsonResponse('Members', z.object({ members: z.array(MemberSchema) })),
        ...AUTH_ERRORS,
      },
    }),
    async (c) =>
      c.json(
        {
          members: (await listMembers(deps.db, principalOf(c).orgId)).map(toJson),
        } satisfies ApiAnswer<'GET /v1/members'>,
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/',
      tags: ['members'],
      summary: 'Add a member',
      middleware: [requireRole('members:write')] as const,
      request: jsonBody(
        z.object({
          email: MEMBER_EMAIL,
          name: MEMBER_NAME.optional(),
          role: RoleSchema,
          password: z.string().min(MIN_PASSWORD).max(200).optional(),
        }),
      ),
      responses: { 201: jsonResponse('Created', MemberSchema), ...AUTH_ERRORS, ...CONFLICT },
    }),
    async (c) => {
      const member = await addMember(deps, principalOf(c), c.req.valid('json'));
      return c.json(toJson(member) satisfies ApiAnswer<'POST /v1/members'>, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/{id}',
      tags: ['members'],
      summary: 'Change a member’s role',
      middleware: [requireRole('members:write')] as const,
      request: { params: IdParams, ...jsonBody(z.object({ role: RoleSchema })) },
      responses: { 200: jsonResponse('Updated', MemberSchema), ...AUTH_ERRORS, ...CONFLICT },
    }),
    async (c) => {
      const member = await changeMemberRole(deps, principalOf(c), {
        ...c.req.valid('param'),
        ...c.req.valid('json'),
      });
      return c.json(toJson(member) satisfies ApiAnswer<'PATCH /v1/members/:id'>, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/{id}',
      tags: ['members'],
      summary: 'Remove a member and delete their API keys',
      middleware: [requireRole('members:write')] as const,
      request: { params: IdParams },
      responses: {
        200: jsonResponse('Removed', z.object({ removed: z.string() })),
        ...AUTH_ERRORS,
        ...CONFLICT,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      await removeMember(deps, principalOf(c), { id });
      return c.json({ removed: id } satisfies ApiAnswer<'DELETE /v1/members/:id'>, 200);
    },
  );

  return app;
}
