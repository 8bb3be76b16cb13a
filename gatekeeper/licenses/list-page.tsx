import { Hono } from 'hono';
import { can } from '../auth/permissions.js';
import { type DashboardDeps, type DashboardEnv, userOf } from '../dashboard/dashboard-types.js';
import { fmtTime, Layout } from '../dashboard/layout.js';
import { LicenseSearch } from '../dashboard/license-search.js';
import { render } from '../dashboard/render.js';
import { listCourses } from '../db/courses.js';
import { cursorText, parseCursor } from '../db/keyset.js';
import { countLicenses } from '../db/licenses.js';
import { IssueForm } from './issue-form.js';
import { Flags, passRate, RetiredKey, stateOf } from './license-view.js';
import { pageLicensesOf } from './service.js';
import { usageOfLicenses } from './usage.js';

/** Licenses per page of the list: an org may have thousands. */
const LICENSE_PAGE = 50;

const num = (n: number) => n.toLocaleString('en');

/**
 * The license list: search by client name or id, pages by key with "51–100 of 2,000", and per license its
 * state, flags and this month's usage, all read for the page at once (`usageOfLicenses`).
 */
export function licenseListPage(deps: DashboardDeps) {
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
    const [usage, total, before] = await Promise.all([
      usageOfLicenses(deps, user, rows),
      countLicenses(deps.db, user.orgId, { search }),
      cursor ? countLicenses(deps.db, user.orgId, { search, newerThan: cursor }).then((n) => n + 1) : 0,
    ]);
    const link = (extra: Record<string, string>) =>
      `${base}/licenses?${new URLSearchParams({ ...(search ? { q: search } : {}), ...extra })}`;
    const now = deps.now().getTime();
    const mayRevoke = can(user.role, 'licenses:revoke');
    return render(
      c,
      <Layout base={base} title="Licenses" user={user}>
        {can(user.role, 'licenses:write') && courses.length > 0 && (
          <IssueForm base={base} user={user} courses={courses} />
        )}
        <form class="filters card" method="get" action={`${base}/licenses`}>
          <LicenseSearch id="license-search" name="q" label="Search" value={search} />
          <button type="submit">Search</button>
        </form>
        <p id="license-total" role="status">
          {rows.length === 0
            ? search
              ? `No license matches “${search}”.`
              : 'No licenses yet.'
            : `Licenses ${num(before + 1)}–${num(before + rows.length)} of ${num(total)}${search ? ` matching “${search}”` : ''}; usage is this month's (UTC).`}
        </p>
        <section class="table-wrap" tabindex={0} aria-label="Licenses">
          <table class="responsive">
            <thead>
              <tr>
                <th scope="col">Client</th>
                <th scope="col">Course</th>
                <th scope="col">Status</th>
                <th scope="col">Expires</th>
                <th scope="col">Launches allowed</th>
                <th scope="col">Launches denied</th>
                <th scope="col">Sessions</th>
                <th scope="col">Completions</th>
                <th scope="col">Pass rate</th>
                <th scope="col">Last launch</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((l) => {
                const state = stateOf(l, now);
                const u = usage.get(l.id);
                const href = `${base}/licenses/${encodeURIComponent(l.id)}`;
                return (
                  <tr>
                    <td data-label="Client">
                      <a href={href}>{l.clientName}</a>
                    </td>
                    <td data-label="Course">{titles.get(l.courseId) ?? l.courseId}</td>
                    <td data-label="Status">
                      <span class={state.class}>{state.label}</span>
                      {deps.tokens.mayCarryRetiredKey(l.tokenIssuedAt) && <RetiredKey />}
                      <Flags flags={u?.flags ?? []} />
                    </td>
                    <td data-label="Expires">{fmtTime(l.expiresAt)}</td>
                    <td data-label="Launches allowed" class="num">
                      {u?.allowed ?? 0}
                    </td>
                    <td data-label="Launches denied" class="num">
                      {u?.denied ?? 0}
                    </td>
                    <td data-label="Sessions" class="num">
                      {u?.sessions ?? 0}
                    </td>
                    <td data-label="Completions" class="num">
                      {u?.completed ?? 0}
                    </td>
                    <td data-label="Pass rate" class="num">
                      {u ? passRate(u) : '—'}
                    </td>
                    <td data-label="Last launch">{fmtTime(u?.lastLaunchAt)}</td>
                    <td data-label="Actions">
                      {mayRevoke && (
                        <a class="button-link secondary" href={`${href}/revoke`}>
                          {l.status === 'revoked' ? 'Un-revoke' : 'Revoke'}…{' '}
                          <span class="sr-only">{l.clientName}</span>
                        </a>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
        <nav class="pager" aria-label="Pages">
          {cursor && <a href={link({})}>Newest</a>}
          {page.next && <a href={link({ older: cursorText(page.next) })}>Older</a>}
        </nav>
      </Layout>,
    );
  });

  return app;
}
