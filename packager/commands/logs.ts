import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import {
  type CompletionLogRow,
  LOG_KINDS,
  type LogKind,
  type LogQueryParams,
  type LogRow,
} from '../../protocol/api/logs.js';
import { apiPath } from '../../protocol/api/routes.js';
import { PackagerError } from '../errors.js';
import { apiClient, printJson, printTable } from './api-client.js';
import { loadCliConfig } from './cli-config.js';
import type { CliIo } from './cli-io.js';
import { positiveIntegerOption } from './integer-option.js';
import { resolveCourse } from './licenses.js';

type Kind = LogKind;

const TABLE_COLUMNS: Record<Kind, string[]> = {
  launches: ['at', 'allowed', 'reason', 'clientName', 'origin', 'standard', 'sessionId'],
  errors: ['lastAt', 'count', 'kind', 'code', 'message', 'deploymentId'],
  // `percent` is worked out by the Gatekeeper (protocol/score-percent.ts); `score` is raw, in the course's units.
  completions: [
    'updatedAt',
    'sessionId',
    'completed',
    'success',
    'percent',
    'score',
    'progress',
    'durationMs',
  ] satisfies (keyof CompletionLogRow)[],
};

type Filter = 'license' | 'deployment' | 'code';

// The filters each log is queried by (gatekeeper/logs/queries.ts); the API ignores the others, so a
// filter given to the wrong log would print rows the user meant to exclude.
const FILTERS: Record<Kind, Filter[]> = {
  launches: ['license', 'code'],
  errors: ['deployment', 'code'],
  completions: ['deployment'],
};

/** Refuses a filter that `kind` does not take, naming the ones it does. */
export function checkFilters(kind: Kind, options: Partial<Record<Filter, string>>): void {
  const wrong = (['license', 'deployment', 'code'] as const).filter(
    (f) => options[f] !== undefined && !FILTERS[kind].includes(f),
  );
  if (wrong.length === 0) return;
  const flags = (list: readonly Filter[]) => list.map((f) => `--${f}`).join(' and ');
  throw new PackagerError(
    'invalid_config',
    `logs ${kind} cannot be filtered by ${flags(wrong)}; it takes ${flags(FILTERS[kind])}`,
  );
}

interface LogOptions {
  course: string;
  since?: string;
  until?: string;
  license?: string;
  deployment?: string;
  code?: string;
  format: string;
  limit: number;
  /** Table and JSON: oldest first instead of the latest first. */
  oldest?: boolean;
}

/** `7d`, `12h`, `30m` before now, or an ISO 8601 date as given. */
export function parseSince(value: string, now = Date.now()): string {
  const m = /^(\d+)([dhm])$/.exec(value);
  if (!m) {
    if (Number.isNaN(Date.parse(value)))
      throw new PackagerError('invalid_config', `Expected an ISO date or 7d/12h/30m, got "${value}"`);
    return value;
  }
  const unit = { d: 86_400_000, h: 3_600_000, m: 60_000 }[m[2] as 'd' | 'h' | 'm'];
  return new Date(now - Number(m[1]) * unit).toISOString();
}

async function runLogs(io: CliIo, kind: Kind, options: LogOptions): Promise<void> {
  checkFilters(kind, options);
  const api = apiClient(io);
  const route = `GET /v1/courses/:id/${kind}` as const;
  const params = { id: await resolveCourse(api, options.course) };
  const query: LogQueryParams = {
    ...(options.since ? { since: parseSince(options.since) } : {}),
    ...(options.until ? { until: parseSince(options.until) } : {}),
  };
  for (const key of FILTERS[kind]) {
    const v = options[key];
    if (v) query[key] = v;
  }
  if (options.format === 'csv' || options.format === 'ndjson') {
    // Exports stream straight through: a large log never sits in memory here either.
    const config = loadCliConfig(io.env);
    const res = await io
      .fetch(`${config.url}${apiPath(route, { params, query: { ...query, format: options.format } })}`, {
        headers: { authorization: `Bearer ${config.apiKey}` },
      })
      .catch((err: Error) => {
        throw new PackagerError('api_error', `Cannot reach ${config.url}: ${err.message}`);
      });
    if (!res.ok || !res.body) throw new PackagerError('api_error', `HTTP ${res.status}: ${await res.text()}`);
    await pipeline(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), io.stdout, {
      end: false,
    });
    return;
  }
  if (options.format !== 'table' && options.format !== 'json')
    throw new PackagerError('invalid_config', '--format must be table, json, csv or ndjson');
  const max = options.limit;
  // What an operator looks at a log for is what just happened: the latest rows, unless asked otherwise.
  if (!options.oldest) query.order = 'newest';
  const rows: LogRow[] = [];
  let cursor: string | null = null;
  do {
    if (cursor) query.cursor = cursor;
    query.limit = String(Math.min(1000, max - rows.length));
    const page = await api(route, { params, query });
    rows.push(...(page[kind] ?? []));
    cursor = page.next;
  } while (cursor && rows.length < max);
  if (options.format === 'json') printJson(io, rows);
  else printTable(io, rows, TABLE_COLUMNS[kind]);
}

/** `coursegate logs launches|errors|completions --course … [--since 7d] [--format table|json|csv|ndjson]`. */
export function registerLogCommands(program: Command, io: CliIo): void {
  const logs = program.command('logs').description('Launch, error and completion logs of a course');
  for (const kind of LOG_KINDS) {
    logs
      .command(kind)
      .description(`The course's ${kind}`)
      .requiredOption('--course <id|slug>', 'course id or slug')
      .option('--since <when>', 'after this ISO date, or 7d / 12h / 30m ago')
      .option('--until <when>', 'up to this ISO date, or 7d / 12h / 30m ago')
      .option('--license <id>', 'launches of one license')
      .option('--deployment <id>', 'errors or completions of one deployment')
      .option('--code <code>', 'launches: ok or a refusal code; errors: the error code')
      .option(
        '--format <format>',
        'table, json, csv or ndjson (csv and ndjson stream the whole log)',
        'table',
      )
      .option(
        '--limit <n>',
        'table/json: at most this many rows, the latest first',
        positiveIntegerOption('--limit'),
        100,
      )
      .option('--oldest', 'table/json: oldest first (csv and ndjson always are)')
      .action((options: LogOptions) => runLogs(io, kind, options));
  }
}
