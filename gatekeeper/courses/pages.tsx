import { Hono } from 'hono';
import type { LiveChangedDetails } from '../../protocol/api/deployments.js';
import type { DeploymentMetadata } from '../../protocol/deploy.js';
import { deploymentLabels } from '../../protocol/deployment-label.js';
import { can } from '../auth/permissions.js';
import { DayChart } from '../dashboard/chart.js';
import {
  type DashboardContext,
  type DashboardDeps,
  type DashboardEnv,
  userOf,
} from '../dashboard/dashboard-types.js';
import { Csrf, fmtTime, Layout } from '../dashboard/layout.js';
import { render } from '../dashboard/render.js';
import { cursorText, parseCursor } from '../db/keyset.js';
import { listChannelsOf } from '../deployments/channels.js';
import { ChannelsSection } from '../deployments/channels-section.js';
import { expectedLiveOfForm } from '../deployments/expected-live.js';
import { deploymentPages } from '../deployments/pages.js';
import { previousLive, promote, rollback } from '../deployments/pointer.js';
import { courseHistory, listCourseDeployments } from '../deployments/queries.js';
import { GatekeeperError } from '../errors.js';
import { ForwardingPanel } from '../forwarding/panel.js';
import { maybeForwardingOf } from '../forwarding/service.js';
import { FlaggedLicenses } from '../licenses/flagged-list.js';
import { flaggedLicensesOf } from '../licenses/usage.js';
import { courseSummaries } from '../logs/counts.js';
import { daySeries } from '../logs/course-days.js';
import { dayRangeOf } from '../logs/day-range.js';
import { CourseHistory } from './course-history.js';
import { DeploymentName, DeploymentsTable } from './deployments-table.js';
import { loadCourse } from './service.js';

/** Courses per page of the overview. */
const COURSES_PER_PAGE = 50;

const DONE = {
  promoted: 'Promoted: the new deployment is live.',
  'rolled-back': 'Rolled back: the previous deployment is live again.',
} as const;

/** The courses overview and one course's deployments, promote/rollback and audit history. */
export function coursePages(deps: DashboardDeps) {
  const app = new Hono<DashboardEnv>();
  const base = deps.basePath;

  app.get('/', async (c) => {
    const user = userOf(c);
    const range = dayRangeOf(c.req.query('from'), c.req.query('to'), deps.now().getTime());
    const search = c.req.query('q')?.trim().slice(0, 100) || undefined;
    const list = await courseSummaries(deps.db, user.orgId, {
      range: range.days,
      search,
      cursor: parseCursor(c.req.query('older'), 'older'),
      limit: COURSES_PER_PAGE,
    });
    const days = await daySeries(deps.db, user.orgId, range.days);
    const query = { ...(search ? { q: search } : {}), from: range.from, to: range.to };
    const link = (extra: Record<string, string>) => `${base}?${new URLSearchParams({ ...query, ...extra })}`;
    const { rows } = list;
    const span = `${range.from} to ${range.to}`;
    return render(
      c,
      <Layout base={base} title="Courses" user={user}>
        <form class="filters card" method="get" action={base}>
          <div>
            <label for="f-q">Search title or slug</label>
            <input id="f-q" name="q" type="search" value={search ?? ''} />
          </div>
          <div>
            <label for="f-from">From</label>
            <input id="f-from" name="from" type="date" value={range.from} />
          </div>
          <div>
            <label for="f-to">To</label>
            <input id="f-to" name="to" type="date" value={range.to} />
          </div>
          <button type="submit">Show</button>
        </form>
        <p id="courses-total">
          {list.total === 1 ? '1 course' : `${list.total} courses`}
          {search ? ` matching “${search}”` : ''}; launches and errors from {span} (UTC days)
        </p>
        <section class="table-wrap" tabindex={0} aria-label="Courses">
          <table class="responsive">
            <thead>
              <tr>
                <th scope="col">Course</th>
                <th scope="col">Live deployment</th>
                <th scope="col">Last deploy</th>
                <th scope="col">Launches</th>
                <th scope="col">Denied</th>
                <th scope="col">Errors</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <td data-label="Course">
                    <a href={`${base}/courses/${encodeURIComponent(r.id)}`}>{r.title}</a>{' '}
                    <code>{r.slug}</code>
                  </td>
                  <td data-label="Live deployment">
                    {r.liveDeploymentId ? <code>{r.liveDeploymentId}</code> : 'none'}
                  </td>
                  <td data-label="Last deploy">{fmtTime(r.lastDeployAt)}</td>
                  <td data-label="Launches" class="num">
                    {r.launches}
                  </td>
                  <td data-label="Denied" class="num">
                    {r.denied}
                  </td>
                  <td data-label="Errors" class="num">
                    {r.errors}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        {list.total === 0 &&
          (search ? (
            <p>No course title or slug contains “{search}”.</p>
          ) : (
            <p>
              No courses yet: create one with <code>coursegate courses create</code>.
            </p>
          ))}
        <nav class="pager" aria-label="Pages">
          {c.req.query('older') && <a href={link({})}>First page</a>}
          {list.next && <a href={link({ older: cursorText(list.next) })}>Next page</a>}
        </nav>
        <h2>Launches and errors per day, {span}</h2>
        <DayChart id="org-days" label="All licenses" days={days} />
      </Layout>,
    );
  });

  /**
   * One course's page; after a refused change (`live_changed`) it is shown again at once, with the
   * live deployment as it is now and the error in its flash.
   */
  async function coursePage(c: DashboardContext, refused?: { text: string; status: 409 }) {
    const user = userOf(c);
    const course = await loadCourse(deps, user, c.req.param('id') ?? '');
    const deployments = await listCourseDeployments(deps.db, user.orgId, course.id);
    const channels = await listChannelsOf(deps, user, course.id);
    const forwarding = can(user.role, 'forwarding:read') && (await maybeForwardingOf(deps.db, course.id));
    const [audit, rollbackTo, flagged] = await Promise.all([
      courseHistory(deps.db, user.orgId, course.id),
      // The form is offered only when a rollback has somewhere to go (`previousLive`, as the rollback finds it).
      course.liveDeploymentId ? previousLive(deps.db, course) : null,
      flaggedLicensesOf(deps, user, { courseId: course.id }),
    ]);
    const labels = deploymentLabels(
      deployments.map((d) => ({ id: d.id, version: (JSON.parse(d.metadata) as DeploymentMetadata).version })),
    );
    const messages = new Map(deployments.map((d) => [d.id, d.message]));
    const mayPromote = can(user.role, 'deployments:promote');
    const exportable = deps.storage !== undefined && can(user.role, 'deployments:read');
    const previewable = deps.storage !== undefined && can(user.role, 'deployments:write');
    const done = (DONE as Record<string, string>)[c.req.query('done') ?? ''];
    const action = `${base}/courses/${encodeURIComponent(course.id)}`;
    return render(
      c,
      <Layout
        base={base}
        title={course.title}
        user={user}
        flash={
          refused ? { kind: 'error', text: refused.text } : done ? { kind: 'info', text: done } : undefined
        }
      >
        <p id="live">
          Slug <code>{course.slug}</code> · live:{' '}
          {course.liveDeploymentId ? (
            <DeploymentName id={course.liveDeploymentId} labels={labels} />
          ) : (
            'nothing yet'
          )}
        </p>
        <ChannelsSection base={base} channels={channels.channels} pinned={channels.pinned} />
        <FlaggedLicenses base={base} licenses={flagged} />
        <h2>Deployments</h2>
        <DeploymentsTable
          base={base}
          user={user}
          course={course}
          deployments={deployments}
          labels={labels}
          may={{ promote: mayPromote, export: exportable, preview: previewable }}
        />
        {deployments.length === 0 && (
          <p>
            No deployments yet: run <code>coursegate deploy</code>.
          </p>
        )}
        {mayPromote && course.liveDeploymentId && rollbackTo && (
          <>
            <h2>Roll back</h2>
            <form class="inline card" method="post" action={`${action}/rollback`}>
              <Csrf user={user} />
              <input type="hidden" name="expectedLive" value={course.liveDeploymentId} />
              <label for="rollback-reason">Reason for rolling back</label>
              <input id="rollback-reason" name="reason" required maxlength={500} />
              <button type="submit" class="danger">
                Roll back to {labels.get(rollbackTo) ?? rollbackTo}
              </button>
            </form>
          </>
        )}
        {forwarding !== false && <ForwardingPanel status={forwarding} />}
        <h2>Audit history</h2>
        <CourseHistory events={audit} labels={labels} messages={messages} />
      </Layout>,
      refused?.status,
    );
  }

  app.get('/courses/:id', (c) => coursePage(c));

  const mayPromote = (c: DashboardContext) => {
    const user = userOf(c);
    if (!can(user.role, 'deployments:promote'))
      throw new GatekeeperError('forbidden', 'Your role may not promote or roll back');
    return user;
  };
  const back = (id: string, done: keyof typeof DONE) =>
    `${base}/courses/${encodeURIComponent(id)}?done=${done}`;

  /** A change from the state the page showed; if another change came first, the page as it is now. */
  const changing = async (c: DashboardContext, change: () => Promise<unknown>, done: keyof typeof DONE) => {
    try {
      await change();
    } catch (err) {
      if (!(err instanceof GatekeeperError && err.code === 'live_changed')) throw err;
      const { live } = err.details as LiveChangedDetails;
      const now = live === null ? 'no deployment is live' : `deployment ${live} is live`;
      const text = `Someone else changed the live deployment first: ${now}. Nothing was changed; check the page below and try again if your change still applies.`;
      return coursePage(c, { text, status: 409 });
    }
    return c.redirect(back(c.req.param('id') ?? '', done), 303);
  };

  app.post('/courses/:id/promote', async (c) => {
    const user = mayPromote(c);
    const body = await c.req.parseBody();
    const course = c.req.param('id');
    const change = () =>
      promote(deps, user, {
        course,
        deployment: typeof body.deployment === 'string' ? body.deployment : '',
        reason: body.reason,
        expectedLive: expectedLiveOfForm(body.expectedLive),
      });
    return changing(c, change, 'promoted');
  });

  app.post('/courses/:id/rollback', async (c) => {
    const user = mayPromote(c);
    const body = await c.req.parseBody();
    const course = c.req.param('id');
    const change = () =>
      rollback(deps, user, {
        course,
        reason: body.reason,
        expectedLive: expectedLiveOfForm(body.expectedLive),
      });
    return changing(c, change, 'rolled-back');
  });

  app.route('/', deploymentPages(deps));

  return app;
}
