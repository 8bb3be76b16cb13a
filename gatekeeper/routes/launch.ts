import { createRoute, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv, RouteDeps } from './context.js';
import { createLaunchCheck, LAUNCH_MESSAGES } from './launch-check.js';
import { judgedOrigin, originOf } from './launch-origin.js';
import { createRouter } from './router.js';
import { ErrorSchema, jsonBody, jsonResponse } from './schemas.js';

/** Longest license token accepted; real ones are about 400 characters. */
export const MAX_TOKEN_LENGTH = 2048;

const MESSAGES = LAUNCH_MESSAGES;

const LaunchBody = z.object({
  token: z.string().min(1).max(MAX_TOKEN_LENGTH),
  standard: z.enum(['scorm12', 'scorm2004', 'cmi5']),
  /** The LMS origin the gated cmi5 launch page was opened from; counted only from the content origin. */
  lmsOrigin: z.string().max(512).optional(),
});

const LaunchOk = z
  .object({
    session: z.object({ id: z.string(), token: z.string(), expiresAt: z.string() }),
    contentUrl: z.string(),
    contentBase: z.string().optional(),
  })
  .openapi('LaunchResponse');

const errorResponse = (description: string) => jsonResponse(description, ErrorSchema);

/**
 * `POST /v1/launch` (DESIGN §3): verifies the license token, then reads the license row on every call.
 * Every attempt that gets past the per-address rate limit is recorded in `launch_events`.
 */
export function launchRoutes(deps: RouteDeps) {
  const app = createRouter();
  const launch = createLaunchCheck(deps);
  const record = launch.record;
  const contentOrigin = originOf(deps.config.contentUrl) ?? '';

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
      const { token, standard, lmsOrigin } = c.req.valid('json');
      const requestOrigin = c.req.header('origin') ?? null;
      const origin = judgedOrigin({ requestOrigin, lmsOrigin, contentOrigin });
      const outcome = await launch.check({ token, standard, origin });
      if (!outcome.ok)
        return c.json(
          { error: { code: outcome.code, message: MESSAGES[outcome.code] } },
          outcome.code === 'rate_limited' ? 429 : 403,
        );
      const entry = outcome.entry.split('/').map(encodeURIComponent).join('/');
      return c.json(
        {
          session: outcome.session,
          contentUrl: `${outcome.contentBase}${entry}`,
          contentBase: outcome.contentBase,
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
