import { Hono } from 'hono';
import { assertCan, can } from '../auth/permissions.js';
import { DayChart } from '../dashboard/chart.js';
import { type DashboardDeps, type DashboardEnv, userOf } from '../dashboard/dashboard-types.js';
import { Csrf, fmtTime, Layout } from '../dashboard/layout.js';
import { render } from '../dashboard/render.js';
import { EXPORT_FORMATS } from '../deployments/pages.js';
import { GatekeeperError } from '../errors.js';
import { zipDownload } from '../http/zip-download.js';
import { perDay } from '../logs/counts.js';
import { followsOf, followsText } from './follow.js';
import { buildGatedPackage } from './gated-package.js';
import { capText, Flags, RetiredKey, stateOf, UsageList } from './license-view.js';
import { licenseToken, loadLicense, MAX_LICENSE_REASON } from './service.js';
import { usageOfLicenses } from './usage.js';

const DONE: Record<string, string> = {
  new: 'New token issued: the previous one no longer opens this license.',
  revoked: 'Revoked: launches of this license are refused from now on.',
  unrevoked: 'Un-revoked: launches of this license are allowed again.',
};

/** One license: its terms, usage, token and gated packages, launches per day, extend and reissue. */
export function licenseDetailPage(deps: DashboardDeps) {
  const app = new Hono<DashboardEnv>();
  const base = deps.basePath;

  app.get('/licenses/:id', async (c) => {
    const user = userOf(c);
    const row = await loadLicense(deps, user, c.req.param('id'));
    const now = deps.now().getTime();
    const [days, usage] = await Promise.all([
      perDay(deps.db, user.orgId, now, 14, row.id),
      usageOfLicenses(deps, user, [row]),
    ]);
    const u = usage.get(row.id);
    const state = stateOf(row, now);
    const action = `${base}/licenses/${encodeURIComponent(row.id)}`;
    const done = DONE[c.req.query('done') ?? c.req.query('token') ?? ''];
    return render(
      c,
      <Layout
        base={base}
        title={`License: ${row.clientName}`}
        user={user}
        flash={done ? { kind: 'info', text: done } : undefined}
      >
        <Flags flags={u?.flags ?? []} />
        <dl class="card" id="terms">
          <dt>Status</dt>
          <dd class={state.class}>
            {state.label}
            {deps.tokens.mayCarryRetiredKey(row.tokenIssuedAt) && <RetiredKey />}
          </dd>
          <dt>Allowed origins</dt>
          <dd>{(JSON.parse(row.allowedOrigins) as string[]).join(', ') || 'any'}</dd>
          <dt>Starts</dt>
          <dd>{row.startsAt === null ? 'at once' : fmtTime(row.startsAt)}</dd>
          <dt>Expires</dt>
          <dd>{fmtTime(row.expiresAt)}</dd>
          <dt>Launches</dt>
          <dd id="follows">{followsText(await followsOf(deps.db, row))}</dd>
          <dt>Launch cap</dt>
          <dd>{capText(row)}</dd>
          <dt>Notes</dt>
          <dd class="notes">{row.notes || '—'}</dd>
          <dt>Token</dt>
          <dd>
            <code class="token" id="token">
              {await licenseToken(deps.tokens, row)}
            </code>
          </dd>
        </dl>
        <h2>Usage this month (UTC)</h2>
        {u && <UsageList usage={u} />}
        {can(user.role, 'licenses:revoke') && (
          <p>
            <a class="button-link secondary" href={`${action}/revoke`}>
              {row.status === 'revoked' ? 'Un-revoke' : 'Revoke'}…
            </a>
          </p>
        )}
        {can(user.role, 'licenses:package') && (
          <>
            <h2>Gated package</h2>
            <p>
              Download the package the client's LMS admin uploads:{' '}
              {EXPORT_FORMATS.map((f) => (
                <a class="button-link" href={`${action}/package?format=${f.id}`} download="">
                  {f.label} <span class="sr-only">gated package</span>
                </a>
              ))}
            </p>
          </>
        )}
        <DayChart id="license-days" label={`Launches and errors of ${row.clientName}`} days={days} />
        {can(user.role, 'licenses:write') && (
          <>
            <h2>Extend</h2>
            <form class="inline" method="post" action={`${action}/extend`}>
              <Csrf user={user} />
              <label for="new-expiry">
                New expiry <span class="hint">(empty: never)</span>
              </label>
              <input id="new-expiry" name="expiresAt" type="date" />
              <label for="extend-reason">
                Reason <span class="hint">(optional)</span>
              </label>
              <input id="extend-reason" name="reason" maxlength={MAX_LICENSE_REASON} />
              <button type="submit">Extend</button>
            </form>
            <h2>Reissue</h2>
            <form class="inline" method="post" action={`${action}/reissue`}>
              <Csrf user={user} />
              <button type="submit" class="secondary">
                Issue a new token
              </button>
            </form>
          </>
        )}
      </Layout>,
    );
  });

  app.get('/licenses/:id/package', async (c) => {
    const user = userOf(c);
    assertCan(user.role, 'licenses:package');
    if (!deps.gatedPackages)
      throw new GatekeeperError('feature_unavailable', 'This Gatekeeper does not build gated packages');
    const { filename, bytes } = await buildGatedPackage({ ...deps, ...deps.gatedPackages }, user, {
      license: c.req.param('id'),
      format: c.req.query('format') ?? 'scorm12',
    });
    return zipDownload(bytes, filename);
  });

  return app;
}
