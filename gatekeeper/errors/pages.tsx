import { Hono } from 'hono';
import { DayChart } from '../dashboard/chart.js';
import { type DashboardDeps, type DashboardEnv, userOf } from '../dashboard/dashboard-types.js';
import { fmtTime, Layout } from '../dashboard/layout.js';
import { render } from '../dashboard/render.js';
import { GatekeeperError } from '../errors.js';
import { errorGroupDetail, errorGroups } from './queries.js';
import { resolveStack, type StackLine } from './source-maps.js';

const GROUPS_SHOWN = 100;
const TREND_DAYS = 14;

/**
 * Error insight pages (docs/dashboard.md, "Errors"): `/error-groups` lists the org's errors grouped by
 * course and fingerprint; `/error-groups/:course/:fingerprint` shows one group with its trend and a
 * sample stack resolved through the deployment's source maps.
 */
export function errorGroupPages(deps: DashboardDeps) {
  const app = new Hono<DashboardEnv>();
  const base = deps.basePath;

  app.get('/error-groups', async (c) => {
    const user = userOf(c);
    const courseId = c.req.query('courseId')?.slice(0, 100) || undefined;
    const groups = await errorGroups(deps.db, user.orgId, { courseId, limit: GROUPS_SHOWN });
    return render(
      c,
      <Layout base={base} title="Error groups" user={user}>
        <p>
          The same error (message and top stack frame) counted across sessions; the most recent {GROUPS_SHOWN}{' '}
          groups. Every occurrence: <a href={`${base}/errors`}>error log</a>.
        </p>
        <section class="table-wrap" tabindex={0} aria-label="Error groups">
          <table class="responsive">
            <thead>
              <tr>
                {[
                  'Error',
                  'Course',
                  'Count',
                  'First seen',
                  'Last seen',
                  'Deployments',
                  'Clients',
                  'Browsers',
                ].map((h) => (
                  <th scope="col">{h}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {groups.map((g) => (
                <tr>
                  <td data-label="Error">
                    <a href={`${base}/error-groups/${encodeURIComponent(g.courseId)}/${g.fingerprint}`}>
                      {g.message}
                    </a>
                  </td>
                  <td data-label="Course">{g.courseTitle}</td>
                  <td data-label="Count" class="count">
                    {g.count}
                  </td>
                  <td data-label="First seen">{fmtTime(g.firstAt)}</td>
                  <td data-label="Last seen">{fmtTime(g.lastAt)}</td>
                  <td data-label="Deployments">{g.deployments}</td>
                  <td data-label="Clients">{g.clients.join(', ') || '—'}</td>
                  <td data-label="Browsers">{g.browsers.join(', ') || '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        {groups.length === 0 && <p>No errors reported.</p>}
      </Layout>,
    );
  });

  app.get('/error-groups/:course/:fingerprint', async (c) => {
    const user = userOf(c);
    const g = await errorGroupDetail(deps.db, user.orgId, {
      courseId: c.req.param('course'),
      fingerprint: c.req.param('fingerprint'),
      now: deps.now().getTime(),
      days: TREND_DAYS,
    });
    if (!g) throw new GatekeeperError('route_not_found', 'There is no such error group.');
    const stack: StackLine[] =
      g.stack && deps.storage
        ? await resolveStack(
            deps.storage,
            { courseId: g.courseId, deploymentId: g.sampleDeploymentId },
            g.stack,
          )
        : (g.stack ?? '').split('\n').map((text) => ({ text }));
    return render(
      c,
      <Layout base={base} title="Error group" user={user}>
        <p>
          <a href={`${base}/error-groups`}>All error groups</a>
        </p>
        <section class="card" aria-label="Summary">
          <h2>{g.message}</h2>
          <dl>
            <dt>Course</dt>
            <dd>{g.courseTitle}</dd>
            <dt>Occurrences</dt>
            <dd class="count">{g.count}</dd>
            <dt>First seen</dt>
            <dd>{fmtTime(g.firstAt)}</dd>
            <dt>Last seen</dt>
            <dd>{fmtTime(g.lastAt)}</dd>
            <dt>Clients</dt>
            <dd>{g.clients.join(', ') || '—'}</dd>
            <dt>Browsers</dt>
            <dd>{g.browsers.join(', ') || '—'}</dd>
            <dt>Page</dt>
            <dd>{g.url ?? '—'}</dd>
          </dl>
        </section>
        <DayChart id="error-trend" label="Occurrences per day" days={g.trend} />
        <section class="card" aria-label="Sample stack">
          <h2>Sample stack</h2>
          <ol class="stack">
            {stack.map((l) => (
              <li>
                <code>{l.text}</code>
                {l.original && (
                  <div class="original">
                    {l.original.file}:{l.original.line}:{l.original.column}
                    {l.original.name ? ` in ${l.original.name}` : ''}
                  </div>
                )}
              </li>
            ))}
          </ol>
        </section>
        <section class="table-wrap" tabindex={0} aria-label="Deployments">
          <table class="responsive">
            <thead>
              <tr>
                <th scope="col">Deployment</th>
                <th scope="col">Message</th>
                <th scope="col">Count</th>
                <th scope="col">Last seen</th>
              </tr>
            </thead>
            <tbody>
              {g.perDeployment.map((d) => (
                <tr>
                  <td data-label="Deployment">{d.deploymentId || '—'}</td>
                  <td data-label="Message">{d.message ?? '—'}</td>
                  <td data-label="Count">{d.count}</td>
                  <td data-label="Last seen">{fmtTime(d.lastAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </Layout>,
    );
  });
  return app;
}
