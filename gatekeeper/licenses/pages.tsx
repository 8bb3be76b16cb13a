import { Hono } from 'hono';
import { assertCan, can } from '../auth/permissions.js';
import { DayChart } from '../dashboard/chart.js';
import { type DashboardDeps, type DashboardEnv, userOf } from '../dashboard/dashboard-types.js';
import { Csrf, fmtTime, Layout } from '../dashboard/layout.js';
import { LicenseSearch } from '../dashboard/license-search.js';
import { render } from '../dashboard/render.js';
import { listCourses } from '../db/courses.js';
import { cursorText, parseCursor } from '../db/keyset.js';
import { type LicenseRow, type LicenseState, licenseState } from '../db/licenses.js';
import { EXPORT_FORMATS } from '../deployments/pages.js';
import { requireReason } from '../deployments/pointer.js';
import { GatekeeperError } from '../errors.js';
import { zipDownload } from '../http/zip-download.js';
import { perDay } from '../logs/counts.js';
import { followsOf, followsText } from './follow.js';
import { buildGatedPackage } from './gated-package.js';
import {
  extendLicense,
  issueLicense,
  licenseToken,
  loadLicense,
  MAX_LICENSE_REASON,
  pageLicensesOf,
  reissueLicense,
  setLicenseRevoked,
} from './service.js';

const field = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/** The origins field: space or comma separated; the service judges each. */
const parseOrigins = (text: string) => text.split(/[\s,]+/).filter(Boolean);

/** `YYYY-MM-DD` (end of that UTC day) or empty for "never". */
function parseExpiry(text: string): number | null {
  if (!text) return null;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text))
    throw new GatekeeperError('invalid_request', 'Give the expiry as a date');
  const ms = Date.parse(`${text}T23:59:59.999Z`);
  if (Number.isNaN(ms)) throw new GatekeeperError('invalid_request', 'Give the expiry as a date');
  return ms;
}

/** Licenses: issue, the revoke switch, extend, reissue (the new token shown once), launches per day. */
const STATE_LABELS: Record<LicenseState, string> = {
  active: 'active',
  revoked: 'revoked',
  expired: 'expired',
  not_started: 'not started',
};
/** Its packages may carry a retired signing key: launches refused until reissued (docs/gatekeeper.md, "Tokens"). */
const RetiredKey = () => <strong class="signing-key-retired"> · signing key retired: reissue</strong>;

/** The license's state as the dashboard shows it: the class that colours it, and its words. */
const stateOf = (row: LicenseRow, now: number) => {
  const state = licenseState(row, now);
  return { class: `status-${state}`, label: STATE_LABELS[state] };
};

/** Licenses per page of the list: an org may have thousands. */
const LICENSE_PAGE = 50;

export function licensePages(deps: DashboardDeps) {
  const app = new Hono<DashboardEnv>();
  const base = deps.basePath;

  app.get('/licenses', async (c) => {
    const user = userOf(c);
    const courses = await listCourses(deps.db, user.orgId);
    const titles = new Map(courses.map((x) => [x.id, x.title]));
    const search = c.req.query('q')?.trim().slice(0, 100) || undefined;
    const cursor = parseCursor(c.req.query('older'), 'older');
    const page = await pageLicensesOf(deps, user, { cursor, limit: LICENSE_PAGE, search });
    const rows = page.rows;
    const link = (extra: Record<string, string>) =>
      `${base}/licenses?${new URLSearchParams({ ...(search ? { q: search } : {}), ...extra })}`;
    const now = deps.now().getTime();
    const mayRevoke = can(user.role, 'licenses:revoke');
    const mayWrite = can(user.role, 'licenses:write');
    return render(
      c,
      <Layout base={base} title="Licenses" user={user}>
        {mayWrite && courses.length > 0 && (
          <details class="card">
            <summary>Issue a license</summary>
            <form class="stack" method="post" action={`${base}/licenses`}>
              <Csrf user={user} />
              <div>
                <label for="course">Course</label>
                <select id="course" name="courseId" required>
                  {courses.map((x) => (
                    <option value={x.id}>{x.title}</option>
                  ))}
                </select>
              </div>
              <div>
                <label for="client">Client name</label>
                <input id="client" name="clientName" required maxlength={200} />
              </div>
              <div>
                <label for="origins">
                  Allowed LMS origins <span class="hint">(optional, space separated)</span>
                </label>
                <input id="origins" name="allowedOrigins" />
              </div>
              <div>
                <label for="expires">
                  Expires <span class="hint">(optional)</span>
                </label>
                <input id="expires" name="expiresAt" type="date" />
              </div>
              <button type="submit">Issue</button>
            </form>
          </details>
        )}
        <form class="filters card" method="get" action={`${base}/licenses`}>
          <LicenseSearch id="license-search" name="q" label="Search" value={search} />
          <button type="submit">Search</button>
        </form>
        <section class="table-wrap" tabindex={0} aria-label="Licenses">
          <table class="responsive">
            <thead>
              <tr>
                <th scope="col">Client</th>
                <th scope="col">Course</th>
                <th scope="col">Status</th>
                <th scope="col">Expires</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((l) => {
                const state = stateOf(l, now);
                return (
                  <tr>
                    <td data-label="Client">
                      <a href={`${base}/licenses/${encodeURIComponent(l.id)}`}>{l.clientName}</a>
                    </td>
                    <td data-label="Course">{titles.get(l.courseId) ?? l.courseId}</td>
                    <td data-label="Status" class={state.class}>
                      {state.label}
                      {deps.tokens.mayCarryRetiredKey(l.tokenIssuedAt) && <RetiredKey />}
                    </td>
                    <td data-label="Expires">{fmtTime(l.expiresAt)}</td>
                    <td data-label="Actions">
                      {mayRevoke && (
                        <form
                          class="inline"
                          method="post"
                          action={`${base}/licenses/${encodeURIComponent(l.id)}/revoked`}
                        >
                          <Csrf user={user} />
                          <input type="hidden" name="revoked" value={l.status === 'revoked' ? 'off' : 'on'} />
                          <label for={`reason-${l.id}`} class="sr-only">
                            Reason to {l.status === 'revoked' ? 'un-revoke' : 'revoke'} {l.clientName}
                          </label>
                          <input
                            id={`reason-${l.id}`}
                            name="reason"
                            placeholder={l.status === 'revoked' ? 'Reason (optional)' : 'Reason'}
                            maxlength={MAX_LICENSE_REASON}
                            required={l.status !== 'revoked'}
                          />
                          <label class="toggle">
                            <input
                              type="checkbox"
                              data-autosubmit=""
                              checked={l.status === 'revoked'}
                              aria-describedby={`rv-${l.id}`}
                            />
                            Revoked <span class="sr-only">{l.clientName}</span>
                          </label>
                          <button type="submit" class="secondary toggle-submit" id={`rv-${l.id}`}>
                            {l.status === 'revoked' ? 'Un-revoke' : 'Revoke'} {l.clientName}
                          </button>
                        </form>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
        {rows.length === 0 && <p>{search ? `No license matches “${search}”.` : 'No licenses yet.'}</p>}
        <nav class="pager" aria-label="Pages">
          {cursor && <a href={link({})}>Newest</a>}
          {page.next && <a href={link({ older: cursorText(page.next) })}>Older</a>}
        </nav>
      </Layout>,
    );
  });

  app.get('/licenses/:id', async (c) => {
    const user = userOf(c);
    const row = await loadLicense(deps, user, c.req.param('id'));
    const now = deps.now().getTime();
    const days = await perDay(deps.db, user.orgId, now, 14, row.id);
    const state = stateOf(row, now);
    const action = `${base}/licenses/${encodeURIComponent(row.id)}`;
    const fresh = c.req.query('token') === 'new';
    return render(
      c,
      <Layout
        base={base}
        title={`License: ${row.clientName}`}
        user={user}
        flash={
          fresh
            ? { kind: 'info', text: 'New token issued: the previous one no longer opens this license.' }
            : undefined
        }
      >
        <dl class="card">
          <dt>Status</dt>
          <dd class={state.class}>
            {state.label}
            {deps.tokens.mayCarryRetiredKey(row.tokenIssuedAt) && <RetiredKey />}
          </dd>
          <dt>Allowed origins</dt>
          <dd>{(JSON.parse(row.allowedOrigins) as string[]).join(', ') || 'any'}</dd>
          <dt>Expires</dt>
          <dd>{fmtTime(row.expiresAt)}</dd>
          <dt>Launches</dt>
          <dd id="follows">{followsText(await followsOf(deps.db, row))}</dd>
          <dt>Token</dt>
          <dd>
            <code class="token" id="token">
              {await licenseToken(deps.tokens, row)}
            </code>
          </dd>
        </dl>
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

  app.post('/licenses', async (c) => {
    const body = await c.req.parseBody();
    if (!can(userOf(c).role, 'licenses:write'))
      throw new GatekeeperError('forbidden', 'Your role may not issue licenses');
    const row = await issueLicense(deps, userOf(c), {
      courseId: field(body.courseId),
      clientName: field(body.clientName),
      allowedOrigins: parseOrigins(field(body.allowedOrigins)),
      expiresAt: parseExpiry(field(body.expiresAt)),
    });
    return c.redirect(`${base}/licenses/${encodeURIComponent(row.id)}`, 303);
  });

  app.post('/licenses/:id/revoked', async (c) => {
    if (!can(userOf(c).role, 'licenses:revoke'))
      throw new GatekeeperError('forbidden', 'Your role may not revoke licenses');
    const body = await c.req.parseBody();
    const revoked = body.revoked === 'on';
    // A revocation from the dashboard says why, as promote and rollback do; un-revoking may.
    const reason = revoked ? requireReason(body.reason) : field(body.reason);
    await setLicenseRevoked(deps, userOf(c), { id: c.req.param('id'), revoked, reason });
    return c.redirect(`${base}/licenses`, 303);
  });

  app.post('/licenses/:id/extend', async (c) => {
    if (!can(userOf(c).role, 'licenses:write'))
      throw new GatekeeperError('forbidden', 'Your role may not extend licenses');
    const body = await c.req.parseBody();
    await extendLicense(deps, userOf(c), {
      id: c.req.param('id'),
      expiresAt: parseExpiry(field(body.expiresAt)),
      reason: field(body.reason),
    });
    return c.redirect(`${base}/licenses/${encodeURIComponent(c.req.param('id'))}`, 303);
  });

  app.post('/licenses/:id/reissue', async (c) => {
    if (!can(userOf(c).role, 'licenses:write'))
      throw new GatekeeperError('forbidden', 'Your role may not reissue licenses');
    const row = await reissueLicense(deps, userOf(c), { id: c.req.param('id') });
    return c.redirect(`${base}/licenses/${encodeURIComponent(row.id)}?token=new`, 303);
  });

  return app;
}
