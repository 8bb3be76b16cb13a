import { Hono } from 'hono';
import {
  type DashboardContext,
  type DashboardDeps,
  type DashboardEnv,
  userOf,
} from '../dashboard/dashboard-types.js';
import { KeysetPager } from '../dashboard/keyset-pager.js';
import { fmtTime, Layout } from '../dashboard/layout.js';
import { LicenseSearch } from '../dashboard/license-search.js';
import { render } from '../dashboard/render.js';
import { listCourses } from '../db/courses.js';
import type { Database } from '../db/database.js';
import { type Cursor, cursorText, parseCursor } from '../db/keyset.js';
import { findLicenses } from '../db/licenses.js';
import { DAY_MS } from './counts.js';
import { exportStream } from './export-stream.js';
import type { LaunchWalk } from './launch-reads.js';
import { completionTotal, errorTotal, type LogTotal, launchTotal } from './log-totals.js';
import { completionLog, errorLog, type LogFilter, launchLog, type RowPage } from './page-queries.js';

export const PAGE_SIZE = 50;
/** Rows an export reads per page; every page starts at the last key of the one before. */
export const EXPORT_PAGE_ROWS = 1000;
/** Licenses a search lists to pick from. */
const PICK_LIMIT = 20;

type Row = Record<string, unknown>;

/** A column of a log page: the row's field and its header. */
interface View {
  key: string;
  label: string;
}

interface LogKind {
  path: string;
  title: string;
  /** What one row is called in the total ("1,234 launches"). */
  noun: string;
  /** The export's fields, names and ids both (machine-readable headers). */
  columns: readonly string[];
  /** The page's columns: names first, ids under them (`cell`). */
  view: readonly View[];
  outcome: boolean;
  read(db: Database, orgId: string, f: LogFilter, walk: LaunchWalk): Promise<RowPage>;
  total(db: Database, orgId: string, f: LogFilter): Promise<LogTotal>;
}

const WHO: View[] = [
  { key: 'courseTitle', label: 'Course' },
  { key: 'clientName', label: 'Client (license)' },
];
const WHO_IDS = ['courseTitle', 'courseId', 'clientName', 'licenseId', 'sessionId'];

const KINDS: LogKind[] = [
  {
    path: 'launches',
    title: 'Launches',
    noun: 'launches',
    columns: ['at', 'allowed', 'reason', 'detail', ...WHO_IDS, 'origin', 'standard'],
    view: [
      { key: 'at', label: 'Time (UTC)' },
      { key: 'allowed', label: 'Outcome' },
      { key: 'reason', label: 'Reason' },
      { key: 'detail', label: 'Detail' },
      ...WHO,
      { key: 'origin', label: 'LMS origin' },
      { key: 'standard', label: 'Standard' },
      { key: 'sessionId', label: 'Session' },
    ],
    outcome: true,
    read: launchLog,
    total: launchTotal,
  },
  {
    path: 'errors',
    title: 'Errors',
    noun: 'error groups',
    columns: ['at', 'code', 'message', 'url', ...WHO_IDS],
    view: [
      { key: 'at', label: 'Last seen (UTC)' },
      { key: 'code', label: 'Code' },
      { key: 'message', label: 'Message' },
      { key: 'url', label: 'Page' },
      ...WHO,
      { key: 'sessionId', label: 'Session' },
    ],
    outcome: false,
    read: errorLog,
    total: errorTotal,
  },
  {
    path: 'completions',
    title: 'Completions',
    noun: 'completion records',
    columns: [
      'updatedAt',
      'completed',
      'passed',
      'percent',
      'score',
      'scoreMin',
      'scoreMax',
      'scoreScaled',
      ...WHO_IDS,
    ],
    view: [
      { key: 'updatedAt', label: 'Updated (UTC)' },
      { key: 'completed', label: 'Completed' },
      { key: 'passed', label: 'Result' },
      { key: 'percent', label: 'Score' },
      { key: 'score', label: 'Raw score' },
      { key: 'scoreMin', label: 'Min' },
      { key: 'scoreMax', label: 'Max' },
      { key: 'scoreScaled', label: 'Scaled' },
      ...WHO,
      { key: 'sessionId', label: 'Session' },
    ],
    outcome: false,
    read: completionLog,
    total: completionTotal,
  },
];

const dateMs = (v: string | undefined, endOfDay: boolean) =>
  v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? Date.parse(`${v}T00:00:00Z`) + (endOfDay ? DAY_MS : 0) : undefined;

interface PageFilter extends LogFilter {
  /** The filter as it goes back into links (no cursor). */
  query: Record<string, string>;
  /** The license search as typed, and the licenses it matched when it matched more or fewer than one. */
  license?: { text: string; matches: { id: string; clientName: string }[] };
}

/**
 * The filters of a log page. The license picker is a search box, not a list of every license: `license`
 * is a client name prefix or a license id; one match filters by it, several are offered as links
 * (`licenseId`), none filters to nothing.
 */
async function filterOf(c: DashboardContext, db: Database, orgId: string): Promise<PageFilter> {
  const q = c.req.query();
  const pick = (k: string) => (q[k] ? q[k].slice(0, 100) : undefined);
  const outcome = q.outcome === 'allowed' || q.outcome === 'denied' ? q.outcome : undefined;
  const query: Record<string, string> = {};
  for (const k of ['courseId', 'licenseId', 'license', 'outcome', 'from', 'to'])
    if (pick(k)) query[k] = pick(k) as string;
  let licenseId = pick('licenseId');
  let license: PageFilter['license'];
  const text = pick('license')?.trim();
  if (!licenseId && text) {
    const matches = await findLicenses(db, orgId, text, PICK_LIMIT + 1);
    if (matches.length === 1) licenseId = matches[0]?.id;
    // No license has this id: the filter matches no row, rather than being dropped.
    else licenseId = matches.length === 0 ? text : '';
    license = { text, matches };
  }
  return {
    courseId: pick('courseId'),
    licenseId: licenseId || undefined,
    outcome,
    from: dateMs(q.from, false),
    to: dateMs(q.to, true),
    query,
    ...(license ? { license } : {}),
  };
}

/** Times as ISO strings in exports, booleans as they are; the course's title beside its id. */
function exportRow(row: Row, columns: readonly string[], titles: Map<string, string>): Row {
  const out: Row = {};
  for (const c of columns) {
    const v = c === 'courseTitle' ? titles.get(row.courseId as string) : row[c];
    out[c] =
      (c === 'at' || c === 'updatedAt') && typeof v === 'number' ? new Date(v).toISOString() : (v ?? null);
  }
  return out;
}

/** A name with its id under it, smaller: what an operator reads first, and what support asks for. */
function named(name: unknown, id: unknown) {
  if (id === null || id === undefined) return '—';
  return (
    <>
      {typeof name === 'string' && name ? name : '(unknown)'}
      <br />
      <code class="id">{String(id)}</code>
    </>
  );
}

function cell(col: string, v: unknown): string {
  if (col === 'at' || col === 'updatedAt') return fmtTime(v as number);
  if (col === 'allowed') return v ? 'allowed' : 'denied';
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
      const f = await filterOf(c, deps.db, user.orgId);
      const format = c.req.query('format');
      const courses = await listCourses(deps.db, user.orgId);
      const titles = new Map(courses.map((x) => [x.id, x.title]));
      if (format === 'csv' || format === 'ndjson') {
        const day = deps.now().toISOString().slice(0, 10);
        c.header('content-disposition', `attachment; filename="${kind.path}-${day}.${format}"`);
        c.header(
          'content-type',
          format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
        );
        return c.body(
          exportStream<Cursor>({
            columns: kind.columns,
            format,
            pageRows: deps.exportPageRows ?? EXPORT_PAGE_ROWS,
            page: async (cursor, limit) => {
              const page = await kind.read(deps.db, user.orgId, f, { cursor, newest: true, limit });
              return { rows: page.rows.map((r) => exportRow(r, kind.columns, titles)), next: page.next };
            },
          }),
        );
      }
      // `older`: the rows after this cursor, newest first; `newer`: the rows before it, read oldest
      // first from it and shown newest first.
      const older = parseCursor(c.req.query('older'), 'older');
      const newer = older ? undefined : parseCursor(c.req.query('newer'), 'newer');
      const [read, total] = await Promise.all([
        kind.read(deps.db, user.orgId, f, { cursor: older ?? newer, newest: !newer, limit: PAGE_SIZE }),
        kind.total(deps.db, user.orgId, f),
      ]);
      const rows = newer ? [...read.rows].reverse() : read.rows;
      // Going newer, `next` says there is a still newer page; going older, an older one.
      const hasNewer = newer ? read.next !== undefined : older !== undefined;
      const hasOlder = newer ? true : read.next !== undefined;
      const link = (extra: Record<string, string>) =>
        `${base}/${kind.path}?${new URLSearchParams({ ...f.query, ...extra }).toString()}`;
      const cursorOf = (r: Row) => cursorText(r as unknown as Cursor);
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
            <LicenseSearch id="f-license" name="license" label="License" value={f.query.license} />
            {f.query.licenseId && !f.query.license && (
              <input type="hidden" name="licenseId" value={f.query.licenseId} />
            )}
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
          {f.license && f.license.matches.length !== 1 && (
            <section class="card" aria-label="Licenses found">
              {f.license.matches.length === 0 ? (
                <p>
                  No license of this organisation has a client name starting with, or an id of, “
                  {f.license.text}”.
                </p>
              ) : (
                <>
                  <p>
                    {f.license.matches.length > PICK_LIMIT
                      ? `More than ${PICK_LIMIT} licenses match “${f.license.text}”: type more of the name, or pick one.`
                      : `${f.license.matches.length} licenses match “${f.license.text}”: pick one.`}
                  </p>
                  <ul>
                    {f.license.matches.slice(0, PICK_LIMIT).map((x) => (
                      <li>
                        <a href={link({ license: '', licenseId: x.id })}>{x.clientName}</a> ({x.id})
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </section>
          )}
          <p>
            Export these rows, every one of them (streamed, newest first):{' '}
            <a href={link({ format: 'csv' })}>CSV</a> · <a href={link({ format: 'ndjson' })}>NDJSON</a>
          </p>
          <p id="log-total">
            {total.more ? `More than ${total.n.toLocaleString('en-US')}` : total.n.toLocaleString('en-US')}{' '}
            {kind.noun} match
            {total.more
              ? ` (counted up to ${total.n.toLocaleString('en-US')}: a license filter counts row by row)`
              : ''}
            ; {PAGE_SIZE} a page, newest first.
          </p>
          <section class="table-wrap" tabindex={0} aria-label={kind.title}>
            <table class="responsive">
              <thead>
                <tr>
                  {kind.view.map((col) => (
                    <th scope="col">{col.label}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr>
                    {kind.view.map(({ key, label }) => (
                      <td data-label={label} class={key === 'allowed' ? (r[key] ? 'ok' : 'denied') : ''}>
                        {key === 'courseTitle'
                          ? named(titles.get(r.courseId as string), r.courseId)
                          : key === 'clientName'
                            ? named(r.clientName, r.licenseId)
                            : cell(key, r[key])}
                      </td>
                    ))}
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
  }
  return app;
}
