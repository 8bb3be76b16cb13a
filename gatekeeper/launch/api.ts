import { createRoute, z } from '@hono/zod-openapi';
import { GATEKEEPER_ERROR_STATUS } from '../../protocol/errors.js';
import type { LaunchResponse } from '../../protocol/launch.js';
import { errorBody, retryAfterSeconds } from '../errors.js';
import type { RouteDeps } from '../http/app-types.js';
import { corsJson } from '../http/open-cors.js';
import { ErrorSchema, jsonBody, jsonResponse } from '../http/openapi-schemas.js';
import { requestHeader } from '../http/request-header.js';
import { createRouter } from '../http/router.js';
import { LaunchBody, readLaunchBody } from './body.js';
import { createLaunchCheck, LAUNCH_MESSAGES } from './check.js';

export { MAX_TOKEN_LENGTH } from './body.js';

const MESSAGES = LAUNCH_MESSAGES;

const LaunchOk = z
  .object({
    session: z.object({ id: z.string(), token: z.string(), expiresAt: z.string() }),
    contentUrl: z.string(),
    contentBase: z.string().optional(),
  })
  .openapi('LaunchResponse');

const errorResponse = (description: string) => jsonResponse(description, ErrorSchema);

/** What `/openapi.json` says about the route; the handler below is written out by hand. */
const launchRoute = createRoute({
  method: 'post',
  path: '/',
  tags: ['launch'],
  summary: 'Check a license token and start an anonymous session',
  // Public: the license token in the body is the credential, not an API key.
  security: [],
  request: jsonBody(LaunchBody),
  responses: {
    200: jsonResponse('Allowed', LaunchOk),
    400: errorResponse('Malformed request'),
    403: errorResponse(`Refused: ${Object.keys(MESSAGES).join(', ')}`),
    413: errorResponse('Body too large'),
    429: errorResponse('Rate limited'),
  },
});

const RATE_LIMITED = errorBody('rate_limited', MESSAGES.rate_limited);

/**
 * `POST /v1/launch` (docs/gatekeeper.md, "Launch"): verifies the license token, then reads the license row on
 * every call. Every attempt that gets past the per-address rate limit is recorded in `launch_events`.
 *
 * A plain Hono route rather than `app.openapi()`: it is the one hot path, and the generated pipeline
 * (route middleware, media-type gate, validator, zod, hook) cost it more CPU than the check itself.
 * `readLaunchBody` gives the same answers; the OpenAPI registry still gets the route's schemas.
 */
export function launchRoutes(deps: RouteDeps) {
  const app = createRouter();
  const launch = createLaunchCheck(deps);
  app.openAPIRegistry.registerPath(launchRoute);

  app.post('/', async (c) => {
    const address = deps.clientAddress(c);
    const at = deps.now().getTime();
    if (!deps.limits.perAddress.take(address, at))
      return corsJson(
        RATE_LIMITED,
        GATEKEEPER_ERROR_STATUS.rate_limited,
        retryAfterSeconds(deps.limits.perAddress.retryAfter(address, at)),
      );
    const origin = requestHeader(c, 'origin') ?? null;
    const body = await readLaunchBody(c);
    if (!body.ok) {
      if (body.detail !== undefined)
        await launch.record({
          licenseId: null,
          orgId: null,
          allowed: false,
          reason: 'invalid_request',
          detail: body.detail,
          origin,
          standard: null,
          sessionId: null,
          at: deps.now().getTime(),
        });
      return corsJson(errorBody('invalid_request', body.message), GATEKEEPER_ERROR_STATUS.invalid_request);
    }
    const outcome = await launch.check({
      token: body.token,
      standard: body.standard,
      origin,
      lmsOrigin: body.lmsOrigin,
    });
    if (!outcome.ok)
      return corsJson(
        errorBody(outcome.code, MESSAGES[outcome.code]),
        GATEKEEPER_ERROR_STATUS[outcome.code],
        outcome.retryAfter === undefined ? undefined : retryAfterSeconds(outcome.retryAfter),
      );
    const entry = outcome.entry.split('/').map(encodeURIComponent).join('/');
    return corsJson(
      {
        session: outcome.session,
        contentUrl: `${outcome.contentBase}${entry}`,
        contentBase: outcome.contentBase,
      } satisfies LaunchResponse,
      200,
    );
  });

  return app;
}
