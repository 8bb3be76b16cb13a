import { Hono } from 'hono';
import { can } from '../auth/permissions.js';
import { type DashboardDeps, type DashboardEnv, userOf } from '../dashboard/dashboard-types.js';
import { GatekeeperError } from '../errors.js';
import { licenseDetailPage } from './detail-page.js';
import { issueInput } from './issue-form.js';
import { field, parseDay } from './license-view.js';
import { licenseListPage } from './list-page.js';
import { revokePages } from './revoke-page.js';
import { extendLicense, issueLicense, reissueLicense } from './service.js';

/** The dashboard's license pages: list, detail, revoke confirmation, and the issue, extend and reissue forms. */
export function licensePages(deps: DashboardDeps) {
  const app = new Hono<DashboardEnv>();
  const base = deps.basePath;
  const mayWrite = (user: ReturnType<typeof userOf>, what: string) => {
    if (!can(user.role, 'licenses:write'))
      throw new GatekeeperError('forbidden', `Your role may not ${what} licenses`);
    return user;
  };

  app.route('/', licenseListPage(deps));
  app.route('/', revokePages(deps));
  app.route('/', licenseDetailPage(deps));

  app.post('/licenses', async (c) => {
    const body = await c.req.parseBody();
    const row = await issueLicense(deps, mayWrite(userOf(c), 'issue'), issueInput(body));
    return c.redirect(`${base}/licenses/${encodeURIComponent(row.id)}`, 303);
  });

  app.post('/licenses/:id/extend', async (c) => {
    const user = mayWrite(userOf(c), 'extend');
    const body = await c.req.parseBody();
    await extendLicense(deps, user, {
      id: c.req.param('id'),
      expiresAt: parseDay(field(body.expiresAt), 'end', 'expiry'),
      reason: field(body.reason),
    });
    return c.redirect(`${base}/licenses/${encodeURIComponent(c.req.param('id'))}`, 303);
  });

  app.post('/licenses/:id/reissue', async (c) => {
    const user = mayWrite(userOf(c), 'reissue');
    const row = await reissueLicense(deps, user, { id: c.req.param('id') });
    return c.redirect(`${base}/licenses/${encodeURIComponent(row.id)}?token=new`, 303);
  });

  return app;
}
