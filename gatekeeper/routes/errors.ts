import { Hono } from 'hono';
import { limitBody } from '../body-limit.js';
import { ingestCors } from '../ingest/cors.js';
import { createErrorStore } from '../ingest/error-store.js';
import { ingestErrors } from '../ingest/ingest-errors.js';
import type { SessionAuth } from '../ingest/session-auth.js';
import type { AppEnv, RouteDeps } from './context.js';
import { jsonBody } from './json-body.js';

export const ERRORS_BODY_LIMIT = 512 * 1024;

/** `POST /v1/errors`: error reports from a course page, with its session token. */
export function errorRoutes(deps: RouteDeps & { sessionAuth: SessionAuth }) {
  const app = new Hono<AppEnv>();
  const store = createErrorStore(deps.db);
  app.use('*', ingestCors(deps.config.contentUrl));
  app.use('*', limitBody(ERRORS_BODY_LIMIT));
  app.post('/', async (c) => {
    const session = await deps.sessionAuth(c.req.header('authorization'));
    const body = await jsonBody(c, 'Send { "errors": [...] } as JSON');
    const accepted = await ingestErrors({ store, session, body, now: deps.now().getTime() });
    return c.json({ accepted }, 200);
  });
  return app;
}
