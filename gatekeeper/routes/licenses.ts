import { createRoute, z } from '@hono/zod-openapi';
import { normalizeLmsOrigin } from '../../protocol/origin.js';
import { requireRole } from '../auth/permissions.js';
import { newId } from '../crypto.js';
import { auditStatement } from '../db/audit-events.js';
import { getCourseByRef } from '../db/courses.js';
import {
  getLicense,
  insertLicenseStatement,
  type LicenseRow,
  listLicenses,
  newLicenseRow,
  toLicense,
  updateLicenseStatement,
} from '../db/licenses.js';
import { GatekeeperError } from '../errors.js';
import { type Principal, principalOf, type RouteDeps } from './context.js';
import { createRouter } from './router.js';
import { AUTH_ERRORS, IdParams, isoDate, jsonBody, jsonResponse } from './schemas.js';

const Origin = z
  .string()
  .max(200)
  .refine(
    (v) => normalizeLmsOrigin(v) !== null,
    'must be an origin such as https://lms.example.com (scheme, host, optional port; no path)',
  )
  // Stored as browsers send it, so https://LMS.example.com:443 matches the launches it names.
  .transform((v) => normalizeLmsOrigin(v) as string);

const LaunchCap = z.object({
  limit: z.int().min(1).max(1_000_000_000),
  period: z.enum(['day', 'month', 'total']),
});

const LicenseSchema = z
  .object({
    id: z.string(),
    orgId: z.string(),
    courseId: z.string(),
    clientName: z.string(),
    allowedOrigins: z.array(z.string()),
    startsAt: z.string().nullable(),
    expiresAt: z.string().nullable(),
    launchCap: LaunchCap.nullable(),
    notes: z.string(),
    status: z.enum(['active', 'revoked']),
    state: z
      .enum(['active', 'revoked', 'expired', 'not_started'])
      .describe('What a launch meets now: revoked, then not started, then expired'),
    createdAt: z.string(),
    revokedAt: z.string().nullable(),
  })
  .openapi('License');

const WithToken = z.object({ license: LicenseSchema, token: z.string() });
const Reason = z.object({ reason: z.string().max(500).optional() });

const CreateLicense = z
  .object({
    courseId: z.string().min(1).max(64),
    clientName: z.string().trim().min(1, 'a client name is required').max(200),
    allowedOrigins: z.array(Origin).max(50).optional(),
    startsAt: isoDate.nullable().optional(),
    expiresAt: isoDate.nullable().optional(),
    launchCap: LaunchCap.nullable().optional(),
    notes: z.string().max(2000).optional(),
  })
  .refine((b) => !b.startsAt || !b.expiresAt || Date.parse(b.startsAt) < Date.parse(b.expiresAt), {
    message: 'startsAt must be before expiresAt',
    path: ['expiresAt'],
  });

const ms = (v: string | null | undefined) => (v ? Date.parse(v) : null);

/** `/v1/licenses`: a course licensed to a client LMS, with its signed token. */
export function licenseRoutes(deps: RouteDeps) {
  const app = createRouter();
  const tokenOf = (row: LicenseRow) =>
    deps.tokens.signLicenseToken({
      licenseId: row.id,
      orgId: row.orgId,
      courseId: row.courseId,
      jti: row.currentJti,
      iat: row.tokenIssuedAt,
    });
  const load = async (p: Principal, id: string) => {
    const row = await getLicense(deps.db, p.orgId, id);
    if (!row) throw new GatekeeperError('license_not_found', 'No such license');
    return row;
  };
  /** Applies a change and its audit event in one batch, then answers with the fresh row. */
  const change = async (
    p: Principal,
    row: LicenseRow,
    action: string,
    set: Partial<LicenseRow>,
    values: { from: string | null; to: string | null; reason?: string | undefined },
  ) => {
    await deps.db.batch([
      updateLicenseStatement(deps.db, p.orgId, row.id, set),
      auditStatement(deps.db, {
        orgId: p.orgId,
        actor: p.memberId,
        action,
        subject: row.id,
        fromValue: values.from,
        toValue: values.to,
        reason: values.reason ?? '',
        at: deps.now().getTime(),
      }),
    ]);
    return load(p, row.id);
  };

  app.openapi(
    createRoute({
      method: 'post',
      path: '/',
      tags: ['licenses'],
      summary: 'Issue a license; the answer carries its token',
      middleware: [requireRole('licenses:write')] as const,
      request: jsonBody(CreateLicense),
      responses: { 201: jsonResponse('Issued', WithToken), ...AUTH_ERRORS },
    }),
    async (c) => {
      const p = principalOf(c);
      const body = c.req.valid('json');
      const course = await getCourseByRef(deps.db, p.orgId, body.courseId);
      if (!course) throw new GatekeeperError('course_not_found', 'No such course');
      const row = newLicenseRow({
        orgId: p.orgId,
        courseId: course.id,
        clientName: body.clientName,
        allowedOrigins: body.allowedOrigins ?? [],
        startsAt: ms(body.startsAt),
        expiresAt: ms(body.expiresAt),
        launchCap: body.launchCap ?? null,
        notes: body.notes ?? '',
        createdBy: p.memberId,
        now: deps.now().getTime(),
      });
      await deps.db.batch([
        insertLicenseStatement(deps.db, row),
        auditStatement(deps.db, {
          orgId: p.orgId,
          actor: p.memberId,
          action: 'license.issue',
          subject: row.id,
          fromValue: null,
          toValue: row.clientName,
          reason: '',
          at: row.createdAt,
        }),
      ]);
      return c.json({ license: toLicense(row, deps.now().getTime()), token: await tokenOf(row) }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags: ['licenses'],
      summary: 'List licenses',
      middleware: [requireRole('licenses:read')] as const,
      request: { query: z.object({ courseId: z.string().max(64).optional() }) },
      responses: {
        200: jsonResponse('Licenses', z.object({ licenses: z.array(LicenseSchema) })),
        ...AUTH_ERRORS,
      },
    }),
    async (c) => {
      const { orgId } = principalOf(c);
      const ref = c.req.valid('query').courseId;
      // A course named by slug, or one that does not exist, must not quietly list nothing.
      const course = ref === undefined ? undefined : await getCourseByRef(deps.db, orgId, ref);
      if (ref !== undefined && !course) throw new GatekeeperError('course_not_found', 'No such course');
      const rows = await listLicenses(deps.db, orgId, course?.id);
      return c.json({ licenses: rows.map(toLicense) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/{id}',
      tags: ['licenses'],
      summary: 'Get a license and its current token',
      middleware: [requireRole('licenses:read')] as const,
      request: { params: IdParams },
      responses: { 200: jsonResponse('License', WithToken), ...AUTH_ERRORS },
    }),
    async (c) => {
      const row = await load(principalOf(c), c.req.valid('param').id);
      return c.json({ license: toLicense(row, deps.now().getTime()), token: await tokenOf(row) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/{id}/revoke',
      tags: ['licenses'],
      summary: 'Revoke: the next launch is refused',
      middleware: [requireRole('licenses:revoke')] as const,
      request: { params: IdParams, ...jsonBody(Reason) },
      responses: { 200: jsonResponse('Revoked', LicenseSchema), ...AUTH_ERRORS },
    }),
    async (c) => {
      const p = principalOf(c);
      const row = await load(p, c.req.valid('param').id);
      // Already revoked: keep the time it really was, and add no audit event for a change that is none.
      if (row.status === 'revoked') return c.json(toLicense(row, deps.now().getTime()), 200);
      const now = deps.now().getTime();
      const next = await change(
        p,
        row,
        'license.revoke',
        { status: 'revoked', revokedAt: now },
        {
          from: row.status,
          to: 'revoked',
          reason: c.req.valid('json').reason,
        },
      );
      return c.json(toLicense(next, deps.now().getTime()), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/{id}/unrevoke',
      tags: ['licenses'],
      summary: 'Un-revoke: launches work again',
      middleware: [requireRole('licenses:revoke')] as const,
      request: { params: IdParams, ...jsonBody(Reason) },
      responses: { 200: jsonResponse('Active again', LicenseSchema), ...AUTH_ERRORS },
    }),
    async (c) => {
      const p = principalOf(c);
      const row = await load(p, c.req.valid('param').id);
      if (row.status === 'active') return c.json(toLicense(row, deps.now().getTime()), 200);
      const next = await change(
        p,
        row,
        'license.unrevoke',
        { status: 'active', revokedAt: null },
        {
          from: row.status,
          to: 'active',
          reason: c.req.valid('json').reason,
        },
      );
      return c.json(toLicense(next, deps.now().getTime()), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/{id}/extend',
      tags: ['licenses'],
      summary: 'Set a new expiry (null: never expires)',
      middleware: [requireRole('licenses:write')] as const,
      request: {
        params: IdParams,
        ...jsonBody(z.object({ expiresAt: isoDate.nullable(), reason: z.string().max(500).optional() })),
      },
      responses: { 200: jsonResponse('Extended', LicenseSchema), ...AUTH_ERRORS },
    }),
    async (c) => {
      const p = principalOf(c);
      const row = await load(p, c.req.valid('param').id);
      const body = c.req.valid('json');
      const expiresAt = ms(body.expiresAt);
      if (expiresAt !== null && row.startsAt !== null && expiresAt <= row.startsAt)
        throw new GatekeeperError('invalid_request', 'expiresAt must be after the license starts');
      const next = await change(
        p,
        row,
        'license.extend',
        { expiresAt },
        {
          from: toLicense(row, deps.now().getTime()).expiresAt,
          // As stored (UTC), whatever offset the request wrote it with.
          to: toLicense({ ...row, expiresAt }, deps.now().getTime()).expiresAt,
          reason: body.reason,
        },
      );
      return c.json(toLicense(next, deps.now().getTime()), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/{id}/reissue',
      tags: ['licenses'],
      summary: 'Issue a new token; the previous token stops working at once',
      middleware: [requireRole('licenses:write')] as const,
      request: { params: IdParams, ...jsonBody(Reason) },
      responses: { 200: jsonResponse('Reissued', WithToken), ...AUTH_ERRORS },
    }),
    async (c) => {
      const p = principalOf(c);
      const row = await load(p, c.req.valid('param').id);
      const jti = newId('jti');
      const next = await change(
        p,
        row,
        'license.reissue',
        { currentJti: jti, tokenIssuedAt: Math.floor(deps.now().getTime() / 1000) },
        { from: row.currentJti, to: jti, reason: c.req.valid('json').reason },
      );
      return c.json({ license: toLicense(next, deps.now().getTime()), token: await tokenOf(next) }, 200);
    },
  );

  return app;
}
