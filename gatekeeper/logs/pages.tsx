import { Hono } from 'hono';
import {
  type DashboardContext,
  type DashboardDeps,
  type DashboardEnv,
  userOf,
} from '../dashboard/dashboard-types.js';
import { fmtTime, Layout } from '../dashboard/layout.js';
import { render } from '../dashboard/render.js';
import { listCourses } from '../db/courses.js';
import { listLicenses } from '../db/licenses.js';
import { DAY_MS } from './counts.js';
import { toCsv, toNdjson } from './export-format.js';
import { completionLog, errorLog, type LogFilter, launchLog } from './page-queries.js';

export const PAGE_SIZE = 50;
/** The most rows one export holds; narrow the filter for more. */
export const EXPORT_LIMIT = 100_000;

type Row = Record<string, unknown>;

interface LogKind {
  path: string;
  title: string;
  columns: readonly string[];
  outcome: boolean;
  read(deps: DashboardDeps, orgId: string, f: LogFilter, limit: number, offset: number): Promise<Row[]>;
}

const KINDS: LogKind[] = [
  {
    path: 'launches',
    title: 'Launches',
    columns: [
      'at',
      'allowed',
      'reason',
      'detail',
      'clientName',
      'licenseId',
      'courseId',
      'origin',
      'standard',
      'sessionId',
    ],
    outcome: true,
    read: (d, o, f, l, off) => launchLog(d.db, o, f, l, off),
  },
  {
    path: 'errors',
    title: 'Errors',
    columns: ['at', 'code', 'message', 'url', 'courseId', 'licenseId', 'sessionId'],
    outcome: false,
    read: (d, o, f, l, off) => errorLog(d.db, o, f, l, off),
  },
  {
    path: 'completions',
    title: 'Completions',
    columns: [
      'updatedAt',
      'completed',
      'passed',
      'percent',
      'score',
      'scoreMin',
      'scoreMax',
      'scoreScaled',
      'courseId',
      'licenseId',
      'sessionId',
    ],
    outcome: false,
    read: (d, o, f, l, off) => completionLog(d.db, o, f, l, off),
  },
];

const dateMs = (v: string | undefined, endOfDay: boolean) =>
  v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? Date.parse(`${v}T00:00:00Z`) + (endOfDay ? DAY_MS : 0) : undefined;

function filterOf(c: DashboardContext): LogFilter & { query: Record<string, string> } {
  const q = c.req.query();
  const pick = (k: string) => (q[k] ? q[k].slice(0, 100) : undefined);
  const outcome = q.outcome === 'allowed' || q.outcome === 'denied' ? q.outcome : undefined;
  const query: Record<string, string> = {};
  for (const k of ['courseId', 'licenseId', 'outcome', 'from', 'to'])
    if (pick(k)) query[k] = pick(k) as string;
  return {
    courseId: pick('courseId'),
    licenseId: pick('licenseId'),
    outcome,
    from: dateMs(q.from, false),
    to: dateMs(q.to, true),
    query,
  };
}

/** Times as ISO strings in exports, booleans as they are. */
function exportRow(row: Row, columns: readonly string[]): Row {
  const out: Row = {};
  for (const c of columns) {
    const v = row[c];
    out[c] =
      (c === 'at' || c === 'updatedAt') && typeof v === 'number' ? new Date(v).toISOString() : (v ?? null);
  }
  return out;
}

function cell(col: string, v: unknown): string {
  if (col === 'at' || col === 'updatedAt') return fmtTime(v as number);
  if (v === null || v === undefined) return '—';
  // A completion's success reads as its outcome, its score as a percent (protocol/score-percent.ts).
  if (col === 'passed') return v ? 'passed' : 'failed';
  if (col === 'percent') return `${v} %`;
  return typeof v === 'boolean' ? (v ? 'yes' : 'no') : String(v);
}

/** Launches, errors and completions: filters, paging and CSV / NDJSON export of the filtered rows. */
export function logPages(deps: DashboardDeps) {
  const app = new Hono<DashboardEnv>();
  const base = deps.basePath;

  for (const kind of KINDS) {
    app.get(`/${kind.path}`, async (c) => {
      const user = userOf(c);
      const f = filterOf(c);
      const format = c.req.query('format');
      if (format === 'csv' || format === 'ndjson') {
        const rows = (await kind.read(deps, user.orgId, f, EXPORT_LIMIT, 0)).map((r) =>
          exportRow(r, kind.columns),
        );
        const day = deps.now().toISOString().slice(0, 10);
        c.header('content-disposition', `attachment; filename="${kind.path}-${day}.${format}"`);
        return format === 'csv'
          ? c.body(toCsv(kind.columns, rows), 200, { 'content-type': 'text/csv; charset=utf-8' })
          : c.body(toNdjson(rows), 200, { 'content-type': 'application/x-ndjson; charset=utf-8' });
      }
      const page = Math.max(1, Math.min(10_000, Number.parseInt(c.req.query('page') ?? '1', 10) || 1));
      const rows = await kind.read(deps, user.orgId, f, PAGE_SIZE + 1, (page - 1) * PAGE_SIZE);
      const more = rows.length > PAGE_SIZE;
      const courses = await listCourses(deps.db, user.orgId);
      const licenses = await listLicenses(deps.db, user.orgId);
      const link = (extra: Record<string, string>) =>
        `${base}/${kind.path}?${new URLSearchParams({ ...f.query, ...extra }).toString()}`;
      return render(
        c,
        <Layout base={base} title={kind.title} user={user}>
          <form class="filters card" method="get" action={`${base}/${kind.path}`}>
            <div>
              <label for="f-course">Course</label>
              <select id="f-course" name="courseId">
                <option value="">All</option>
                {courses.map((x) => (
                  <option value={x.id} selected={x.id === f.courseId}>
                    {x.title}
                  </option>
                ))}
              </select>
            </div>
            <div>
              <label for="f-license">License</label>
              <select id="f-license" name="licenseId">
                <option value="">All</option>
                {licenses.map((x) => (
                  <option value={x.id} selected={x.id === f.licenseId}>
                    {x.clientName}
                  </option>
                ))}
              </select>
            </div>
            {kind.outcome && (
              <div>
                <label for="f-outcome">Outcome</label>
                <select id="f-outcome" name="outcome">
                  <option value="">All</option>
                  <option value="allowed" selected={f.outcome === 'allowed'}>
                    Allowed
                  </option>
                  <option value="denied" selected={f.outcome === 'denied'}>
                    Denied
                  </option>
                </select>
              </div>
            )}
            <div>
              <label for="f-from">From</label>
              <input id="f-from" name="from" type="date" value={f.query.from ?? ''} />
            </div>
            <div>
              <label for="f-to">To</label>
              <input id="f-to" name="to" type="date" value={f.query.to ?? ''} />
            </div>
            <button type="submit">Filter</button>
          </form>
          {kind.path === 'errors' && (
            <p>
              <a href={`${base}/error-groups`}>Errors grouped, with counts and stacks</a>
            </p>
          )}
          <p>
            Export these rows: <a href={link({ format: 'csv' })}>CSV</a> ·{' '}
            <a href={link({ format: 'ndjson' })}>NDJSON</a>
          </p>
          <section class="table-wrap" tabindex={0} aria-label={kind.title}>
            <table class="responsive">
              <thead>
                <tr>
                  {kind.columns.map((col) => (
                    <th scope="col">{col}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.slice(0, PAGE_SIZE).map((r) => (
                  <tr>
                    {kind.columns.map((col) => (
                      <td data-label={col} class={col === 'allowed' ? (r[col] ? 'ok' : 'denied') : ''}>
                        {cell(col, r[col])}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          {rows.length === 0 && <p>Nothing matches.</p>}
          <nav class="pager" aria-label="Pages">
            {page > 1 && <a href={link({ page: String(page - 1) })}>Newer</a>}
            <span>Page {page}</span>
            {more && <a href={link({ page: String(page + 1) })}>Older</a>}
          </nav>
        </Layout>,
      );
    });
  }
  return app;
}
