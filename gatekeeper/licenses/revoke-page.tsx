import { Hono } from 'hono';
import { can } from '../auth/permissions.js';
import {
  type DashboardContext,
  type DashboardDeps,
  type DashboardEnv,
  userOf,
} from '../dashboard/dashboard-types.js';
import { Csrf, Layout } from '../dashboard/layout.js';
import { render } from '../dashboard/render.js';
import { requireReason } from '../deployments/pointer.js';
import { GatekeeperError } from '../errors.js';
import { field } from './license-view.js';
import { loadLicense, MAX_LICENSE_REASON, setLicenseRevoked } from './service.js';

/**
 * Revoking is a step of its own: the list and the license page link to a confirmation page that names the
 * license and asks why; only its form changes anything. A plain page and form, so it needs no JavaScript.
 * The change goes through `setLicenseRevoked`, audited as the API's and the CLI's revoke are.
 */
export function revokePages(deps: DashboardDeps) {
  const app = new Hono<DashboardEnv>();
  const base = deps.basePath;

  const allowed = (c: DashboardContext) => {
    const user = userOf(c);
    if (!can(user.role, 'licenses:revoke'))
      throw new GatekeeperError('forbidden', 'Your role may not revoke licenses');
    return user;
  };

  app.get('/licenses/:id/revoke', async (c) => {
    const user = allowed(c);
    const row = await loadLicense(deps, user, c.req.param('id'));
    const revoking = row.status !== 'revoked';
    const verb = revoking ? 'Revoke' : 'Un-revoke';
    const page = `${base}/licenses/${encodeURIComponent(row.id)}`;
    return render(
      c,
      <Layout base={base} title={`${verb} ${row.clientName}?`} user={user}>
        <form class="stack card" method="post" action={`${page}/revoked`}>
          <Csrf user={user} />
          <input type="hidden" name="revoked" value={revoking ? 'on' : 'off'} />
          <p>
            {revoking
              ? 'Every launch of this license is refused from the next one on, until it is un-revoked. The reason goes to the audit log.'
              : 'Launches of this license are allowed again (if it has started and not expired). The reason goes to the audit log.'}
          </p>
          <div>
            <label for="revoke-reason">Reason {revoking ? '' : <span class="hint">(optional)</span>}</label>
            <input id="revoke-reason" name="reason" maxlength={MAX_LICENSE_REASON} required={revoking} />
          </div>
          <p>
            <button type="submit" class={revoking ? 'danger' : ''}>
              {verb} {row.clientName}
            </button>{' '}
            <a href={page}>Cancel</a>
          </p>
        </form>
      </Layout>,
    );
  });

  app.post('/licenses/:id/revoked', async (c) => {
    const user = allowed(c);
    const body = await c.req.parseBody();
    const revoked = body.revoked === 'on';
    // A revocation says why, as promote and rollback do; un-revoking may.
    const reason = revoked ? requireReason(body.reason) : field(body.reason);
    await setLicenseRevoked(deps, user, { id: c.req.param('id'), revoked, reason });
    return c.redirect(
      `${base}/licenses/${encodeURIComponent(c.req.param('id'))}?done=${revoked ? 'revoked' : 'unrevoked'}`,
      303,
    );
  });

  return app;
}
