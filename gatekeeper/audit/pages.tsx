import { Hono } from 'hono';
import type { DashboardContext, DashboardDeps, DashboardEnv } from '../dashboard/dashboard-types.js';
import { userOf } from '../dashboard/dashboard-types.js';
import { KeysetPager } from '../dashboard/keyset-pager.js';
import { fmtTime, Layout } from '../dashboard/layout.js';
import { render } from '../dashboard/render.js';
import { listCourses } from '../db/courses.js';
import { type Cursor, cursorText, parseCursor } from '../db/keyset.js';
import { DAY_MS } from '../logs/counts.js';
import { exportStream } from '../logs/export-stream.js';
import { EXPORT_PAGE_ROWS, PAGE_SIZE } from '../logs/pages.js';
import { type AuditFilter, auditActions, countAuditEvents, pageAuditEvents } from './queries.js';

/** The families of audited actions, as the action filter offers them (docs/dashboard.md, "Audit"). */
const FAMILIES = [
  ['license.', 'Licenses'],
  ['deployment.', 'Deployments'],
  ['member.', 'Members'],
  ['api_key.', 'API keys'],
  ['ingest_key.', 'Ingest keys'],
  ['signing_key.', 'Signing keys'],
  ['webhook.', 'Webhooks'],
  ['org.', 'Organisation'],
] as const;

export const AUDIT_COLUMNS = [
  'at',
  'actor',
  'actorEmail',
  'action',
  'subject',
  'subjectName',
  'from',
  'to',
  'reason',
] as const;

const dayMs = (v: string | undefined, end: boolean) =>
  v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? Date.parse(`${v}T00:00:00Z`) + (end ? DAY_MS : 0) : undefined;

/** The filters from the query string, and the same as they go back into links. */
function filterOf(c: DashboardContext): { filter: AuditFilter; query: Record<string, string> } {
  const query: Record<string, string> = {};
  for (const k of ['courseId', 'actor', 'action', 'from', 'to']) {
    const v = c.req.query(k)?.trim().slice(0, 200);
    if (v) query[k] = v;
  }
  return {
    query,
    filter: {
      courseId: query.courseId,
      actor: query.actor,
      action: query.action,
      from: dayMs(query.from, false),
      to: dayMs(query.to, true),
    },
  };
}

/**
 * The org's audit trail: every audited action with filters (course, actor, action, dates), keyset pages
 * with the total, and the filtered trail exported whole as CSV or NDJSON through the logs' streamed export.
 */
export function auditPages(deps: DashboardDeps) {
  const app = new Hono<DashboardEnv>();
  const base = deps.basePath;

  app.get('/audit', async (c) => {
    const user = userOf(c);
    const { filter, query } = filterOf(c);
    const link = (extra: Record<string, string>) =>
      `${base}/audit?${new URLSearchParams({ ...query, ...extra })}`;
    const format = c.req.query('format');
    if (format === 'csv' || format === 'ndjson') {
      const day = deps.now().toISOString().slice(0, 10);
      c.header('content-disposition', `attachment; filename="audit-${day}.${format}"`);
      c.header(
        'content-type',
        format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
      );
      return c.body(
        exportStream<Cursor>({
          columns: AUDIT_COLUMNS,
          format,
          pageRows: deps.exportPageRows ?? EXPORT_PAGE_ROWS,
          page: async (cursor, limit) => {
            const page = await pageAuditEvents(deps.db, user.orgId, filter, { cursor, newest: true, limit });
            const rows = page.rows.map(({ id: _id, ...r }) => ({ ...r, at: new Date(r.at).toISOString() }));
            return { rows, next: page.next };
          },
        }),
      );
    }
    const older = parseCursor(c.req.query('older'), 'older');
    const newer = older ? undefined : parseCursor(c.req.query('newer'), 'newer');
    const [read, total, courses, actions] = await Promise.all([
      pageAuditEvents(deps.db, user.orgId, filter, {
        cursor: older ?? newer,
        newest: !newer,
        limit: PAGE_SIZE,
      }),
      countAuditEvents(deps.db, user.orgId, filter),
      listCourses(deps.db, user.orgId),
      auditActions(deps.db, user.orgId),
    ]);
    const rows = newer ? [...read.rows].reverse() : read.rows;
    const hasNewer = newer ? read.next !== undefined : older !== undefined;
    const hasOlder = newer ? true : read.next !== undefined;
    const cursorOf = (r: { at: number; id: number }) => cursorText({ at: r.at, key: r.id });
    return render(
      c,
      <Layout base={base} title="Audit" user={user}>
        <form class="filters card" method="get" action={`${base}/audit`}>
          <div>
            <label for="a-course">Course</label>
            <select id="a-course" name="courseId">
              <option value="">All</option>
              {courses.map((x) => (
                <option value={x.id} selected={x.id === filter.courseId}>
                  {x.title}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label for="a-actor">Actor</label>
            <input
              id="a-actor"
              name="actor"
              type="search"
              value={query.actor ?? ''}
              placeholder="Email or id"
            />
          </div>
          <div>
            <label for="a-action">Action</label>
            <select id="a-action" name="action">
              <option value="">All</option>
              <optgroup label="Families">
                {FAMILIES.map(([prefix, label]) => (
                  <option value={prefix} selected={filter.action === prefix}>
                    {label}
                  </option>
                ))}
              </optgroup>
              <optgroup label="Actions">
                {actions.map((a) => (
                  <option value={a} selected={filter.action === a}>
                    {a}
                  </option>
                ))}
              </optgroup>
            </select>
          </div>
          <div>
            <label for="a-from">From</label>
            <input id="a-from" name="from" type="date" value={query.from ?? ''} />
          </div>
          <div>
            <label for="a-to">To</label>
            <input id="a-to" name="to" type="date" value={query.to ?? ''} />
          </div>
          <button type="submit">Filter</button>
        </form>
        <p id="audit-total" role="status">
          {total.toLocaleString('en')} {total === 1 ? 'event matches' : 'events match'}. Export every one
          (streamed, newest first): <a href={link({ format: 'csv' })}>CSV</a> ·{' '}
          <a href={link({ format: 'ndjson' })}>NDJSON</a>
        </p>
        <section class="table-wrap" tabindex={0} aria-label="Audit events">
          <table class="responsive" id="audit-events">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Action</th>
                <th scope="col">Subject</th>
                <th scope="col">From</th>
                <th scope="col">To</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <td data-label="When">{fmtTime(r.at)}</td>
                  <td data-label="Who">{r.actorEmail ?? r.actor}</td>
                  <td data-label="Action">{r.action}</td>
                  <td data-label="Subject">
                    {r.subjectName ? (
                      <>
                        {r.subjectName} <code>{r.subject}</code>
                      </>
                    ) : (
                      <code>{r.subject}</code>
                    )}
                  </td>
                  <td data-label="From">
                    <code>{r.from ?? '—'}</code>
                  </td>
                  <td data-label="To">
                    <code>{r.to ?? '—'}</code>
                  </td>
                  <td data-label="Reason">{r.reason || '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        {rows.length === 0 && <p>Nothing matches.</p>}
        <KeysetPager link={link} rows={rows} cursorOf={cursorOf} hasNewer={hasNewer} hasOlder={hasOlder} />
      </Layout>,
    );
  });

  return app;
}
