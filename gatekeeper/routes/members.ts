import { createRoute, z } from '@hono/zod-openapi';
import { requireRole } from '../auth/permissions.js';
import { hashPassword } from '../crypto.js';
import { deleteMemberKeysStatement } from '../db/api-keys.js';
import {
  anotherOwner,
  createMember,
  deleteMemberStatement,
  findMemberByEmail,
  getMember,
  listMembers,
  type Member,
  setMemberRole,
} from '../db/members.js';
import { refusingDuplicate } from '../db/unique-violation.js';
import { GatekeeperError } from '../errors.js';
import { principalOf, type RouteDeps } from './context.js';
import { createRouter } from './router.js';
import { AUTH_ERRORS, CONFLICT, IdParams, jsonBody, jsonResponse } from './schemas.js';

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
    async (c) => c.json({ members: (await listMembers(deps.db, principalOf(c).orgId)).map(toJson) }, 200),
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
          email: z.email().max(254),
          name: z.string().min(1).max(200).optional(),
          role: RoleSchema,
          password: z.string().min(12).max(200).optional(),
        }),
      ),
      responses: { 201: jsonResponse('Created', MemberSchema), ...AUTH_ERRORS, ...CONFLICT },
    }),
    async (c) => {
      const { orgId } = principalOf(c);
      const body = c.req.valid('json');
      const exists = () => new GatekeeperError('member_exists', 'That email already belongs to a member');
      if (await findMemberByEmail(deps.db, body.email)) throw exists();
      const passwordHash = body.password === undefined ? null : await hashPassword(body.password);
      const member = await refusingDuplicate(
        createMember(deps.db, {
          orgId,
          email: body.email,
          name: body.name ?? null,
          role: body.role,
          passwordHash,
          now: deps.now().getTime(),
        }),
        exists,
      );
      return c.json(toJson(member), 201);
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
      const { orgId } = principalOf(c);
      const { id } = c.req.valid('param');
      const { role } = c.req.valid('json');
      const member = await getMember(deps.db, orgId, id);
      if (!member) throw new GatekeeperError('member_not_found', 'No such member');
      const stepsDown = member.role === 'owner' && role !== 'owner';
      await setMemberRole(deps.db, orgId, id, role, stepsDown ? anotherOwner(orgId, id) : undefined);
      // The write was conditional: an owner stepping down at the same moment may have taken the last turn.
      if (stepsDown && (await getMember(deps.db, orgId, id))?.role === 'owner') throw lastOwner();
      return c.json(toJson({ ...member, role }), 200);
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
      const { orgId } = principalOf(c);
      const { id } = c.req.valid('param');
      const member = await getMember(deps.db, orgId, id);
      if (!member) throw new GatekeeperError('member_not_found', 'No such member');
      const when = member.role === 'owner' ? anotherOwner(orgId, id) : undefined;
      // Their keys go with them, in the same batch, so no key outlives its member.
      await deps.db.batch([
        deleteMemberKeysStatement(deps.db, id, when),
        deleteMemberStatement(deps.db, orgId, id, when),
      ]);
      if (when && (await getMember(deps.db, orgId, id))) throw lastOwner();
      return c.json({ removed: id }, 200);
    },
  );

  return app;
}

/** An organisation always keeps at least one owner: the demoting or removing write is conditional on it. */
const lastOwner = () => new GatekeeperError('last_owner', 'An organisation needs at least one owner');
