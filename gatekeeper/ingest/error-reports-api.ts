import { Hono } from 'hono';
import { browserFamily } from '../errors/browser-family.js';
import type { AppEnv, RouteDeps } from '../http/app-types.js';
import { limitBody } from '../http/body-limit.js';
import { jsonBody } from '../http/json-body.js';
import { ingestCors } from './cors.js';
import { createErrorStore } from './error-store.js';
import { ingestErrors } from './ingest-errors.js';
import type { SessionAuth } from './session-auth.js';

export const ERRORS_BODY_LIMIT = 512 * 1024;

/** `POST /v1/errors`: error reports from a course page, with its session token. */
export function errorRoutes(deps: RouteDeps & { sessionAuth: SessionAuth }) {
  const app = new Hono<AppEnv>();
  const store = createErrorStore(deps.db);
  app.use('*', ingestCors(deps));
  app.use('*', limitBody(ERRORS_BODY_LIMIT));
  app.post('/', async (c) => {
    const session = await deps.sessionAuth(c.req.header('authorization'));
    const body = await jsonBody(c, 'Send { "errors": [...] } as JSON');
    const accepted = await ingestErrors({
      store,
      session,
      body,
      now: deps.now().getTime(),
      browser: browserFamily(c.req.header('user-agent')),
    });
    return c.json({ accepted }, 200);
  });
  return app;
}
