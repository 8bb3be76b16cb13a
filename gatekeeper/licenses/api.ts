import { createRoute, z } from '@hono/zod-openapi';
import type { ApiAnswer } from '../../protocol/api/routes.js';
import { normalizeLmsOrigin } from '../../protocol/origin.js';
import { requireRole } from '../auth/permissions.js';
import { type LicenseRow, toLicense } from '../db/licenses.js';
import { principalOf, type RouteDeps } from '../http/app-types.js';
import { AUTH_ERRORS, IdParams, isoDate, jsonBody, jsonResponse } from '../http/openapi-schemas.js';
import { createRouter } from '../http/router.js';
import { flagText } from './flags.js';
import {
  extendLicense,
  issueLicense,
  licenseToken,
  listLicensesOf,
  loadLicense,
  MAX_LICENSE_REASON,
  reissueLicense,
  setLicenseRevoked,
} from './service.js';
import { flaggedLicensesOf } from './usage.js';

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
    signingKeyRetired: z
      .boolean()
      .describe(
        'Its token may be out there signed by a retired key: reissue it (docs/gatekeeper.md, "Tokens")',
      ),
    channelId: z.string().nullable().describe('The named channel it follows; null with no pin: live'),
    pinnedDeploymentId: z.string().nullable().describe('The one deployment it launches, if pinned'),
  })
  .openapi('License');

const WithToken = z.object({ license: LicenseSchema, token: z.string() });
const Reason = z.object({ reason: z.string().max(MAX_LICENSE_REASON).optional() });

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

/** `/v1/licenses`: a course licensed to a client LMS, with its signed token; the rules are the service's. */
export function licenseRoutes(deps: RouteDeps) {
  const app = createRouter();
  const now = () => deps.now().getTime();
  const answer = (row: LicenseRow) =>
    toLicense(row, now(), deps.tokens.mayCarryRetiredKey(row.tokenIssuedAt));
  const withToken = async (row: LicenseRow) => ({
    license: answer(row),
    token: await licenseToken(deps.tokens, row),
  });

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
      const body = c.req.valid('json');
      const row = await issueLicense(deps, principalOf(c), {
        ...body,
        startsAt: ms(body.startsAt),
        expiresAt: ms(body.expiresAt),
      });
      return c.json((await withToken(row)) satisfies ApiAnswer<'POST /v1/licenses'>, 201);
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
        200: jsonResponse(
          'Licenses',
          z.object({
            licenses: z.array(
              LicenseSchema.extend({
                flags: z
                  .array(z.string())
                  .describe(
                    'Expiring within 14 days, or at 80 % of its cap or more, in words; empty: neither',
                  ),
              }),
            ),
          }),
        ),
        ...AUTH_ERRORS,
      },
    }),
    async (c) => {
      const rows = await listLicensesOf(deps, principalOf(c), c.req.valid('query'));
      // The org's flagged licenses, whatever the course: one read, however many licenses are listed.
      const flagged = await flaggedLicensesOf(deps, principalOf(c));
      const flags = new Map(flagged.map((f) => [f.id, f.flags.map(flagText)]));
      const licenses = rows.map((r) => ({ ...answer(r), flags: flags.get(r.id) ?? [] }));
      return c.json({ licenses } satisfies ApiAnswer<'GET /v1/licenses'>, 200);
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
    async (c) =>
      c.json(
        (await withToken(
          await loadLicense(deps, principalOf(c), c.req.valid('param').id),
        )) satisfies ApiAnswer<'GET /v1/licenses/:id'>,
        200,
      ),
  );

  for (const [path, revoked] of [
    ['revoke', true],
    ['unrevoke', false],
  ] as const)
    app.openapi(
      createRoute({
        method: 'post',
        path: `/{id}/${path}`,
        tags: ['licenses'],
        summary: revoked
          ? "Revoke: the next launch and its sessions' next telemetry are refused"
          : 'Un-revoke: launches work again',
        middleware: [requireRole('licenses:revoke')] as const,
        request: { params: IdParams, ...jsonBody(Reason) },
        responses: { 200: jsonResponse(revoked ? 'Revoked' : 'Active again', LicenseSchema), ...AUTH_ERRORS },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const row = await setLicenseRevoked(deps, principalOf(c), { id, revoked, ...c.req.valid('json') });
        return c.json(answer(row) satisfies ApiAnswer<`POST /v1/licenses/:id/${typeof path}`>, 200);
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
        ...jsonBody(
          z.object({ expiresAt: isoDate.nullable(), reason: z.string().max(MAX_LICENSE_REASON).optional() }),
        ),
      },
      responses: { 200: jsonResponse('Extended', LicenseSchema), ...AUTH_ERRORS },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const row = await extendLicense(deps, principalOf(c), { id, ...body, expiresAt: ms(body.expiresAt) });
      return c.json(answer(row) satisfies ApiAnswer<'POST /v1/licenses/:id/extend'>, 200);
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
      const { id } = c.req.valid('param');
      const row = await reissueLicense(deps, principalOf(c), { id, ...c.req.valid('json') });
      return c.json((await withToken(row)) satisfies ApiAnswer<'POST /v1/licenses/:id/reissue'>, 200);
    },
  );

  return app;
}
