import {
  type ApiAnswerTo,
  type ApiInput,
  type ApiJsonRoute,
  apiMethod,
  apiPath,
} from '../../protocol/api/routes.js';
import { type GatekeeperErrorCode, isGatekeeperErrorCode } from '../../protocol/errors.js';
import { describeCause } from '../deploy/failure-cause.js';
import { parseRetryAfter } from '../deploy/retry-policy.js';
import { PackagerError } from '../errors.js';
import { type CliConfig, loadCliConfig } from './cli-config.js';
import type { CliIo } from './cli-io.js';

/** A route's input as arguments: optional when the route takes no parameter and no body. */
export type ApiArgs<R extends ApiJsonRoute> =
  object extends ApiInput<R> ? [input?: ApiInput<R>] : [input: ApiInput<R>];

/**
 * One call of the Gatekeeper's JSON API, typed by its route in protocol/api/routes.ts.
 * @example const { courses } = await api('GET /v1/courses');
 * @example await api('POST /v1/courses/:id/rollback', { params: { id: 'intro' }, body: { reason: 'typo' } });
 */
export type ApiCall = <R extends ApiJsonRoute, const A extends ApiArgs<R>>(
  route: R,
  ...input: A
) => Promise<ApiAnswerTo<R, A[0]>>;

/**
 * An error answer of the Gatekeeper: `api_error` to the user, with the status and the server's code
 * kept apart so a command can turn a known code into a text that names its own flags and arguments
 * (`explaining`). Commands branch on `serverCode`, never on the server's message.
 */
export class ApiError extends PackagerError {
  readonly status: number;
  /** The Gatekeeper's code (protocol/errors.ts); undefined when the answer carried none we know. */
  readonly serverCode: GatekeeperErrorCode | undefined;
  /** The answer's `details`, whose shape the code defines (e.g. `LiveChangedDetails`). */
  readonly details: unknown;

  constructor(status: number, body: { error?: { code?: string; message?: string; details?: unknown } }) {
    const message = body.error?.message ?? `HTTP ${status}`;
    super('api_error', `${message} (${body.error?.code ?? status})`);
    this.status = status;
    this.serverCode = isGatekeeperErrorCode(body.error?.code) ? body.error.code : undefined;
    this.details = body.error?.details;
  }
}

/**
 * The command's own text for some of the codes an API call may answer with; a function builds it
 * from the answer's `details` (e.g. naming the deployment live now).
 */
export type CodeTexts = Partial<Record<GatekeeperErrorCode, string | ((details: unknown) => string)>>;

/** Reads an error answer's JSON body (if any) into an `ApiError`. */
export async function apiErrorOf(res: Response): Promise<ApiError> {
  const json = (await res.json().catch(() => ({}))) as ConstructorParameters<typeof ApiError>[1];
  return new ApiError(res.status, json);
}

/**
 * Runs an API call and, when it fails with a code in `texts`, fails with the command's text for that
 * code instead of the server's message; any other failure is passed on as it is.
 * @example await explaining(api('GET /v1/org'), { forbidden: 'Only owners may see the organisation' });
 */
export async function explaining<T>(call: Promise<T>, texts: CodeTexts): Promise<T> {
  try {
    return await call;
  } catch (err) {
    const text = err instanceof ApiError && err.serverCode ? texts[err.serverCode] : undefined;
    if (text === undefined) throw err;
    throw new PackagerError('api_error', typeof text === 'string' ? text : text((err as ApiError).details));
  }
}

/**
 * Runs an API call on the course the user named, and names it on `course_not_found` (the API does
 * not echo the reference it was given; a typo is easier to see quoted back).
 * @example await namingCourse('intro', api('GET /v1/courses/:id/history', { params: { id: 'intro' } }));
 */
export function namingCourse<T>(course: string, call: Promise<T>, texts: CodeTexts = {}): Promise<T> {
  return explaining(call, { course_not_found: `No course "${course}" in your organisation`, ...texts });
}

/**
 * What a retry of the call needs (`withRetries`): the answer's `Retry-After` (a `503` or `429`; an HTTP
 * date is read against the system clock) and the Gatekeeper's host, for a retry line to name.
 */
function withRetryHints(err: ApiError, res: Response): ApiError & { retryAfterMs?: number; host?: string } {
  const hinted: ApiError & { retryAfterMs?: number; host?: string } = err;
  const wait = parseRetryAfter(res.headers.get('retry-after'), Date.now());
  if (wait !== undefined) hinted.retryAfterMs = wait;
  if (URL.canParse(res.url)) hinted.host = new URL(res.url).host;
  return hinted;
}

/**
 * A JSON client for the Gatekeeper API with the configured key; an error answer becomes a
 * `PackagerError('api_error')` carrying the server's code and message.
 */
export function apiClient(io: CliIo, config: CliConfig = loadCliConfig(io.env)): ApiCall {
  return async <R extends ApiJsonRoute, const A extends ApiArgs<R>>(
    route: R,
    ...[input]: A
  ): Promise<ApiAnswerTo<R, A[0]>> => {
    const body = input?.body;
    let res: Response;
    try {
      res = await io.fetch(`${config.url}${apiPath(route, input)}`, {
        method: apiMethod(route),
        headers: {
          authorization: `Bearer ${config.apiKey}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (err) {
      // undici says only `fetch failed`; the cause (ECONNREFUSED, ENOTFOUND, TLS…) says why.
      const unreachable = new PackagerError('api_error', `Cannot reach ${config.url}: ${describeCause(err)}`);
      unreachable.cause = err;
      throw unreachable;
    }
    if (!res.ok) throw withRetryHints(await apiErrorOf(res), res);
    // The one cast between the wire and the types: the routes declare their answers with `satisfies`.
    return (await res.json().catch(() => ({}))) as ApiAnswerTo<R, A[0]>;
  };
}

/** Prints rows as aligned columns. */
export function printTable<T extends object>(
  io: CliIo,
  rows: readonly T[],
  columns: (keyof T & string)[],
): void {
  if (rows.length === 0) {
    io.stdout.write('(none)\n');
    return;
  }
  const cell = (v: unknown) =>
    v === null || v === undefined ? '-' : Array.isArray(v) ? v.join(',') || '-' : String(v);
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (values: string[]) =>
    `${values
      .map((v, i) => v.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd()}\n`;
  io.stdout.write(line(columns));
  for (const r of rows) io.stdout.write(line(columns.map((c) => cell(r[c]))));
}

/** Prints a value as indented JSON. */
export function printJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
