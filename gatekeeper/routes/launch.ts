import { createRoute, z } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import type { LaunchErrorCode, Standard } from '../../protocol/index.js';
import { newSortableId } from '../crypto.js';
import { countAllowedLaunches, type NewLaunchEvent, prepareLaunchEventInsert } from '../db/launch-events.js';
import { type LaunchRow, prepareLaunchLookup } from '../db/licenses.js';
import { prepareSessionInsert } from '../db/sessions.js';
import type { AppEnv, RouteDeps } from './context.js';
import { createRouter } from './router.js';
import { ErrorSchema, jsonBody, jsonResponse } from './schemas.js';

/** Longest license token accepted; real ones are about 400 characters. */
export const MAX_TOKEN_LENGTH = 2048;

const MESSAGES: Record<LaunchErrorCode, string> = {
  token_invalid: 'This course package is not valid. Ask the course provider for a new one.',
  license_revoked: 'Access to this course has been withdrawn. Contact the course provider.',
  license_expired: 'The license for this course has expired. Contact the course provider.',
  license_not_started: 'The license for this course is not active yet.',
  origin_not_allowed: 'This course may not be launched from this site.',
  launch_limit_reached: 'This course has reached its launch limit for now.',
  course_not_live: 'This course is not available yet.',
  rate_limited: 'Too many launches at once; try again in a moment.',
};

const LaunchBody = z.object({
  token: z.string().min(1).max(MAX_TOKEN_LENGTH),
  standard: z.enum(['scorm12', 'scorm2004', 'cmi5']),
});

const LaunchOk = z
  .object({
    session: z.object({ id: z.string(), token: z.string(), expiresAt: z.string() }),
    contentUrl: z.string(),
  })
  .openapi('LaunchResponse');

const errorResponse = (description: string) => jsonResponse(description, ErrorSchema);

function periodStart(period: LaunchRow['capPeriod'], now: Date): number {
  if (period === 'day') return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  if (period === 'month') return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  return 0;
}

/**
 * `POST /v1/launch` (DESIGN §3): verifies the license token, then reads the license row on every call.
 * Every attempt that gets past the per-address rate limit is recorded in `launch_events`.
 */
export function launchRoutes(deps: RouteDeps) {
  const app = createRouter();
  const lookup = prepareLaunchLookup(deps.db);
  const ttlSeconds = Math.min(deps.config.sessionTtlSeconds ?? 8 * 3600, 24 * 3600);
  const contentBase = `${deps.config.contentUrl}/courses/`;

  const launchEvent = prepareLaunchEventInsert(deps.db);
  const session = prepareSessionInsert(deps.db);
  const record = (event: NewLaunchEvent) => deps.db.batchPrepared([launchEvent(event)]);

  const refuse = async (
    c: Context<AppEnv>,
    code: LaunchErrorCode,
    event: Omit<NewLaunchEvent, 'allowed' | 'reason' | 'sessionId'>,
  ) => {
    await record({ ...event, allowed: false, reason: code, sessionId: null });
    return c.json({ error: { code, message: MESSAGES[code] } }, 403);
  };

  const perAddress: MiddlewareHandler<AppEnv> = async (c, next) => {
    if (!deps.limits.perAddress.take(deps.clientAddress(c), deps.now().getTime()))
      return c.json({ error: { code: 'rate_limited', message: MESSAGES.rate_limited } }, 429);
    await next();
  };

  app.openapi(
    createRoute({
      method: 'post',
      path: '/',
      tags: ['launch'],
      summary: 'Check a license token and start an anonymous session',
      // Public: the license token in the body is the credential, not an API key.
      security: [],
      middleware: [perAddress] as const,
      request: jsonBody(LaunchBody),
      responses: {
        200: jsonResponse('Allowed', LaunchOk),
        400: errorResponse('Malformed request'),
        403: errorResponse(`Refused: ${Object.keys(MESSAGES).join(', ')}`),
        413: errorResponse('Body too large'),
        429: errorResponse('Rate limited'),
      },
    }),
    async (c) => {
      const { token, standard } = c.req.valid('json');
      const now = deps.now();
      const at = now.getTime();
      const origin = c.req.header('origin') ?? null;
      const base = { origin, standard, at, detail: null };
      const verified = await deps.tokens.verifyLicenseToken(token);
      if (!verified.ok)
        return refuse(c, 'token_invalid', {
          ...base,
          licenseId: null,
          orgId: null,
          detail: verified.failure,
        });
      const claims = verified.claims;
      if (!deps.limits.perLicense.take(claims.licenseId, at))
        return c.json({ error: { code: 'rate_limited' as const, message: MESSAGES.rate_limited } }, 429);

      const row = await lookup(claims.licenseId);
      const ids = { ...base, licenseId: claims.licenseId, orgId: claims.orgId };
      if (!row) return refuse(c, 'token_invalid', { ...ids, detail: 'unknown_license' });
      if (row.orgId !== claims.orgId || row.courseId !== claims.courseId)
        return refuse(c, 'token_invalid', { ...ids, detail: 'claims_mismatch' });
      if (row.courseOrgId !== row.orgId) return refuse(c, 'token_invalid', { ...ids, detail: 'course_org' });
      if (row.currentJti !== claims.jti) return refuse(c, 'token_invalid', { ...ids, detail: 'reissued' });
      if (row.status === 'revoked') return refuse(c, 'license_revoked', ids);
      if (row.startsAt !== null && at < row.startsAt) return refuse(c, 'license_not_started', ids);
      if (row.expiresAt !== null && at >= row.expiresAt) return refuse(c, 'license_expired', ids);
      if (row.allowedOrigins !== '[]') {
        const allowed = JSON.parse(row.allowedOrigins) as string[];
        if (origin === null || !allowed.includes(origin)) return refuse(c, 'origin_not_allowed', ids);
      }
      if (row.liveDeploymentId === null || row.entry === null) return refuse(c, 'course_not_live', ids);
      if (row.launchCap !== null) {
        const used = await countAllowedLaunches(deps.db, row.id, periodStart(row.capPeriod, now));
        if (used >= row.launchCap) return refuse(c, 'launch_limit_reached', ids);
      }

      const sessionId = newSortableId('ses', at);
      const exp = Math.floor(at / 1000) + ttlSeconds;
      await deps.db.batchPrepared([
        session({
          id: sessionId,
          orgId: row.orgId,
          licenseId: row.id,
          courseId: row.courseId,
          deploymentId: row.liveDeploymentId,
          standard: standard satisfies Standard,
          createdAt: at,
          expiresAt: exp * 1000,
        }),
        launchEvent({ ...ids, allowed: true, reason: 'ok', sessionId }),
      ]);
      const entry = row.entry.split('/').map(encodeURIComponent).join('/');
      return c.json(
        {
          session: {
            id: sessionId,
            token: deps.tokens.signSessionToken({
              sessionId,
              courseId: row.courseId,
              licenseId: row.id,
              exp,
            }),
            expiresAt: new Date(exp * 1000).toISOString(),
          },
          contentUrl: `${contentBase}${row.courseId}/${row.liveDeploymentId}/${entry}`,
        },
        200,
      );
    },
    (result, c) =>
      result.success
        ? undefined
        : record({
            licenseId: null,
            orgId: null,
            allowed: false,
            reason: 'invalid_request',
            detail: result.error.issues[0]?.path.join('.') ?? null,
            origin: c.req.header('origin') ?? null,
            standard: null,
            sessionId: null,
            at: deps.now().getTime(),
          }).then(() => {
            const first = result.error.issues[0];
            return c.json(
              {
                error: {
                  code: 'invalid_request' as const,
                  message: first ? `${first.path.join('.') || 'body'}: ${first.message}` : 'Invalid request',
                },
              },
              400,
            );
          }),
  );

  return app;
}
