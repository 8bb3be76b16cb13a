import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { auditPages } from '../audit/pages.js';
import { coursePages } from '../courses/pages.js';
import { isUniqueViolation } from '../db/unique-violation.js';
import { errorGroupPages } from '../errors/pages.js';
import { GatekeeperError } from '../errors.js';
import { licensePages } from '../licenses/pages.js';
import { type Logger, redact } from '../logger.js';
import { logPages } from '../logs/pages.js';
import { memberPages } from '../members/pages.js';
import { webhookPages } from '../webhooks/pages.js';
import { DASHBOARD_CSS, DASHBOARD_ICON, DASHBOARD_JS } from './assets.js';
import { accountRoutes, authRoutes } from './auth-routes.js';
import type { DashboardDeps, DashboardEnv } from './dashboard-types.js';
import { Layout } from './layout.js';
import { render } from './render.js';
import { sameOriginOnly, securityHeaders } from './security.js';
import { requireLogin } from './session.js';

export const DASHBOARD_PATH = '/dashboard';
export const CSRF_MESSAGE =
  'This request did not come from the dashboard itself and was refused (CSRF check).';

const TITLES: Record<number, string> = {
  400: 'Check your input',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Not possible right now',
  503: 'Temporarily unavailable',
};

/**
 * The owner dashboard: server-rendered pages on the API origin (never the content origin), a
 * session cookie, CSRF tokens plus an `Origin` check on every form, a CSP without `unsafe-inline`.
 * Mount it with `app.route(DASHBOARD_PATH, createDashboard(deps))`.
 */
export function createDashboard(deps: DashboardDeps & { logger: Logger }) {
  const app = new Hono<DashboardEnv>();
  const base = deps.basePath;

  const refuse: MiddlewareHandler<DashboardEnv> = (c) =>
    render(
      c,
      <Layout base={base} title="Request refused" user={c.get('user')}>
        <p role="alert">{CSRF_MESSAGE}</p>
        <p>
          <a href={base}>Back to the dashboard</a>
        </p>
      </Layout>,
      403,
    );

  app.use('*', securityHeaders());
  app.use('*', bodyLimit({ maxSize: 64 * 1024, onError: (c) => c.text('Form too large', 413) }));
  app.use('*', sameOriginOnly(deps.config.publicUrl, refuse));

  app.get('/static/dashboard.css', (c) =>
    c.body(DASHBOARD_CSS, 200, {
      'content-type': 'text/css; charset=utf-8',
      'cache-control': 'public, max-age=3600',
    }),
  );
  app.get('/static/favicon.svg', (c) =>
    c.body(DASHBOARD_ICON, 200, {
      'content-type': 'image/svg+xml',
      'cache-control': 'public, max-age=86400',
    }),
  );
  app.get('/static/dashboard.js', (c) =>
    c.body(DASHBOARD_JS, 200, {
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'public, max-age=3600',
    }),
  );

  app.route('/', authRoutes(deps));
  app.use('*', requireLogin(deps, refuse));
  app.route('/', accountRoutes(deps));
  app.route('/', coursePages(deps));
  app.route('/', licensePages(deps));
  app.route('/', logPages(deps));
  app.route('/', errorGroupPages(deps));
  app.route('/', memberPages(deps));
  app.route('/', auditPages(deps));
  app.route('/', webhookPages({ ...deps, policy: deps.webhooks ?? { allowHttpLoopback: false } }));

  app.all('*', () => {
    throw new GatekeeperError('route_not_found', 'There is no such page.');
  });

  app.onError((thrown, c) => {
    // Two forms submitted at once can both pass a duplicate check; the constraint's refusal is a conflict.
    const err = isUniqueViolation(thrown)
      ? new GatekeeperError('already_exists', 'That already exists.')
      : (deps.db.fault(thrown) ?? thrown);
    const known = err instanceof GatekeeperError;
    // A full disk or a database or store that is down: the page says so, and when to try again.
    if (known && err.retryAfter !== undefined) c.header('retry-after', String(err.retryAfter));
    if (!known)
      deps.logger({ level: 'error', msg: 'dashboard', path: redact(c.req.path), error: redact(String(err)) });
    const status = known ? err.status : 500;
    return render(
      c,
      <Layout base={base} title={TITLES[status] ?? 'Something went wrong'} user={c.get('user')}>
        <p role="alert" class="flash error">
          {known ? err.message : 'An unexpected error occurred; it has been logged.'}
        </p>
        <p>
          <a href={base}>Back to the dashboard</a>
        </p>
      </Layout>,
      status,
    );
  });

  return app;
}
