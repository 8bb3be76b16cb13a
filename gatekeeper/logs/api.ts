import { Hono } from 'hono';
import type { LogPageJson } from '../../protocol/api/logs.js';
import { requireRole } from '../auth/permissions.js';
import { loadCourse } from '../courses/service.js';
import { type Cursor, cursorText, parseCursor } from '../db/keyset.js';
import { GatekeeperError } from '../errors.js';
import { type AppEnv, principalOf, type RouteDeps } from '../http/app-types.js';
import { queryTime } from '../http/query-time.js';
import { exportStream } from './export-stream.js';
import { LOG_COLUMNS, type LogKind, type LogQuery, queryLog } from './queries.js';

const KINDS: readonly LogKind[] = ['launches', 'errors', 'completions'];
const MAX_LIMIT = 1000;
const EXPORT_PAGE_ROWS = 1000;
const CONTENT_TYPES = { csv: 'text/csv; charset=utf-8', ndjson: 'application/x-ndjson' } as const;

function integer(value: string | undefined, name: string, fallback?: number): number | undefined {
  if (!value) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new GatekeeperError('invalid_request', `${name} must be an integer`);
  return n;
}

/**
 * `GET /v1/courses/:id/launches|errors|completions`: a course's logs for its owners, filtered
 * (`since`, `until`, `license`, `deployment`, `code`), paged (`limit`, `cursor` → `next`, `order=newest`
 * for the latest first), or exported
 * whole with `?format=csv|ndjson` as a stream.
 */
export function logRoutes(deps: RouteDeps & { exportPageRows?: number | undefined }) {
  const app = new Hono<AppEnv>();
  for (const kind of KINDS) {
    app.get(`/:id/${kind}`, requireRole('logs:read'), async (c) => {
      const { orgId } = principalOf(c);
      const course = await loadCourse(deps, { orgId }, c.req.param('id'));
      const q = c.req.query();
      const since = queryTime(q.since, 'since');
      const until = queryTime(q.until, 'until');
      const base: Omit<LogQuery, 'limit'> = {
        orgId,
        courseId: course.id,
        ...(since === undefined ? {} : { since }),
        ...(until === undefined ? {} : { until }),
        ...(q.license ? { license: q.license } : {}),
        ...(q.deployment ? { deployment: q.deployment } : {}),
        ...(q.code ? { code: q.code } : {}),
      };
      const format = q.format ?? 'json';
      if (format === 'csv' || format === 'ndjson') {
        c.header('content-type', CONTENT_TYPES[format]);
        c.header('content-disposition', `attachment; filename="${course.slug}-${kind}.${format}"`);
        return c.body(
          exportStream<Cursor>({
            columns: LOG_COLUMNS[kind],
            format,
            pageRows: deps.exportPageRows ?? EXPORT_PAGE_ROWS,
            page: (after, limit) => queryLog(deps.db, kind, { ...base, limit, ...(after ? { after } : {}) }),
          }),
        );
      }
      if (format !== 'json')
        throw new GatekeeperError('invalid_request', 'format must be json, csv or ndjson');
      const after = parseCursor(q.cursor);
      const limit = Math.min(integer(q.limit, 'limit', 100) ?? 100, MAX_LIMIT);
      // An empty first page with no `next` would read as "no rows at all".
      if (limit === 0) throw new GatekeeperError('invalid_request', 'limit must be at least 1');
      if (q.order !== undefined && q.order !== 'oldest' && q.order !== 'newest')
        throw new GatekeeperError('invalid_request', 'order must be oldest or newest');
      const page = await queryLog(deps.db, kind, {
        ...base,
        limit,
        ...(after === undefined ? {} : { after }),
        ...(q.order === 'newest' ? { newest: true } : {}),
      });
      return c.json(
        {
          [kind]: page.rows,
          next: page.next === undefined ? null : cursorText(page.next),
        } satisfies LogPageJson,
        200,
      );
    });
  }
  return app;
}
