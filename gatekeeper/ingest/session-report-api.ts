import { Hono } from 'hono';
import type { AppEnv, RouteDeps } from '../http/app-types.js';
import { jsonBody } from '../http/json-body.js';
import { openCors } from '../http/open-cors.js';
import type { SessionAuth } from './session-auth.js';
import { createSessionReportStore, parseSessionReport } from './session-report.js';

/**
 * `POST /v1/sessions/report`: the gated SCORM launch stub reports what the LMS recorded for its session
 * (completion, success, score, progress, session time), with the session token from `POST /v1/launch`.
 * The stub runs on the LMS's origin, which the Gatekeeper cannot list, so any origin may call it; the
 * bearer token (no cookies) is what authorises the write, for that one anonymous session.
 */
export function sessionReportRoutes(deps: RouteDeps & { sessionAuth: SessionAuth }) {
  const app = new Hono<AppEnv>();
  const store = createSessionReportStore(deps.db);
  app.use('*', openCors({ methods: 'POST', headers: 'authorization, content-type', maxAgeSeconds: 86400 }));
  app.post('/', async (c) => {
    const session = await deps.sessionAuth(c.req.header('authorization'));
    const body = await jsonBody(c, 'Send { "seq": n, "cmi": {...} } as JSON');
    await store.write(session, parseSessionReport(body), deps.now().getTime());
    return c.body(null, 204);
  });
  return app;
}
