import type { XapiResult } from '../../protocol/xapi.js';
import { GatekeeperError } from '../errors.js';

/**
 * The xAPI statement (1.0.3 / 2.0.0) as the ingest accepts it, checked by hand: this runs for every
 * statement on the ingest's hot path, where zod cost about a millisecond per batch of 100. The rules
 * are those of the zod schema in `statement-openapi.ts` (which documents the route), kept equal by
 * test/gatekeeper/ingest-statement-schema.test.ts: strict objects where the ingest relies on a value,
 * passthrough for activity definitions, records kept as sent. The result is a new object with known
 * keys in schema order, so one statement always serialises to the same body.
 */
export interface IngestAgent {
  objectType?: 'Agent';
  account: { homePage: string; name: string };
}

export interface IngestActivity {
  objectType?: 'Activity';
  id: string;
  definition?: Record<string, unknown>;
}

export interface IngestStatementRef {
  objectType: 'StatementRef';
  id: string;
}

export type IngestResult = XapiResult;

export interface IngestStatement {
  id?: string;
  actor: IngestAgent;
  verb: { id: string; display?: Record<string, string> };
  object: IngestActivity | IngestStatementRef;
  result?: IngestResult;
  context?: Record<string, unknown>;
  timestamp?: string;
  version?: string;
}

/** Most statements one request may carry. */
export const MAX_BATCH = 1000;

const IRI = /^[a-z][a-z0-9+.-]*:\S+$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DURATION =
  /^P(?!$)(\d+(\.\d+)?Y)?(\d+(\.\d+)?M)?(\d+(\.\d+)?W)?(\d+(\.\d+)?D)?(T(?=\d)(\d+(\.\d+)?H)?(\d+(\.\d+)?M)?(\d+(\.\d+)?S)?)?$/;
const VERSION = /^(1\.0\.\d+|2\.0\.\d+)$/;

type Json = Record<string, unknown>;

function fail(path: string, message: string): never {
  throw new GatekeeperError('invalid_request', `${path || 'statement'}: ${message}`);
}

function object(v: unknown, path: string): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path, 'expected an object');
  return v as Json;
}

/** Refuses keys outside `known` (zod's `.strict()`). */
function strict(v: Json, known: ReadonlySet<string>, path: string): void {
  for (const k in v) if (!known.has(k)) fail(path, `Unrecognized key: "${k}"`);
}

function string(v: unknown, path: string): string {
  if (typeof v !== 'string') fail(path, 'expected a string');
  return v;
}

function matching(v: unknown, pattern: RegExp, what: string, path: string): string {
  const s = string(v, path);
  if (!pattern.test(s)) fail(path, what);
  return s;
}

function iri(v: unknown, path: string): string {
  const s = string(v, path);
  if (s.length < 1 || s.length > 2048 || !IRI.test(s)) fail(path, 'an IRI');
  return s;
}

function number(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(path, 'expected a number');
  return v;
}

function boolean(v: unknown, path: string): boolean {
  if (typeof v !== 'boolean') fail(path, 'expected a boolean');
  return v;
}

function languageMap(v: unknown, path: string): Record<string, string> {
  const map = object(v, path);
  for (const k in map) string(map[k], `${path}.${k}`);
  return map as Record<string, string>;
}

function record(v: unknown, path: string): Json {
  return object(v, path);
}

/** Sets `key` on `out` only when `value` is there, as zod's output leaves absent optionals out. */
function put(out: Json, key: string, value: unknown): void {
  if (value !== undefined) out[key] = value;
}

const AGENT = new Set(['objectType', 'account']);
const ACCOUNT = new Set(['homePage', 'name']);

function agent(v: unknown, path: string): IngestAgent {
  const a = object(v, path);
  strict(a, AGENT, path);
  if (a.objectType !== undefined && a.objectType !== 'Agent') fail(`${path}.objectType`, 'expected "Agent"');
  const account = object(a.account, `${path}.account`);
  strict(account, ACCOUNT, `${path}.account`);
  const homePage = iri(account.homePage, `${path}.account.homePage`);
  const name = string(account.name, `${path}.account.name`);
  if (name.length < 1 || name.length > 200) fail(`${path}.account.name`, 'expected 1 to 200 characters');
  const out: Json = {};
  put(out, 'objectType', a.objectType);
  out.account = { homePage, name };
  return out as unknown as IngestAgent;
}

const VERB = new Set(['id', 'display']);

function verb(v: unknown, path: string): IngestStatement['verb'] {
  const b = object(v, path);
  strict(b, VERB, path);
  const out: Json = { id: iri(b.id, `${path}.id`) };
  if (b.display !== undefined) out.display = languageMap(b.display, `${path}.display`);
  return out as IngestStatement['verb'];
}

const ACTIVITY = new Set(['objectType', 'id', 'definition']);
const DEFINITION_KEYS = ['name', 'description', 'type', 'moreInfo', 'extensions'];
const DEFINITION = new Set(DEFINITION_KEYS);

function definition(v: unknown, path: string): Json {
  const d = object(v, path);
  const out: Json = {};
  if (d.name !== undefined) out.name = languageMap(d.name, `${path}.name`);
  if (d.description !== undefined) out.description = languageMap(d.description, `${path}.description`);
  if (d.type !== undefined) out.type = iri(d.type, `${path}.type`);
  if (d.moreInfo !== undefined) out.moreInfo = iri(d.moreInfo, `${path}.moreInfo`);
  if (d.extensions !== undefined) out.extensions = record(d.extensions, `${path}.extensions`);
  // Passthrough: what the course defines beyond xAPI's fields survives, after them.
  for (const k in d) if (!DEFINITION.has(k)) out[k] = d[k];
  return out;
}

function activity(v: unknown, path: string): IngestActivity {
  const a = object(v, path);
  strict(a, ACTIVITY, path);
  if (a.objectType !== undefined && a.objectType !== 'Activity')
    fail(`${path}.objectType`, 'expected "Activity"');
  const out: Json = {};
  put(out, 'objectType', a.objectType);
  out.id = iri(a.id, `${path}.id`);
  if (a.definition !== undefined) out.definition = definition(a.definition, `${path}.definition`);
  return out as unknown as IngestActivity;
}

const STATEMENT_REF = new Set(['objectType', 'id']);

function statementRef(v: unknown, path: string): IngestStatementRef {
  const r = object(v, path);
  strict(r, STATEMENT_REF, path);
  if (r.objectType !== 'StatementRef') fail(`${path}.objectType`, 'expected "StatementRef"');
  return { objectType: 'StatementRef', id: matching(r.id, UUID, 'a UUID', `${path}.id`) };
}

const SCORE = new Set(['scaled', 'raw', 'min', 'max']);

function score(v: unknown, path: string): NonNullable<IngestResult['score']> {
  const s = object(v, path);
  strict(s, SCORE, path);
  const out: NonNullable<IngestResult['score']> = {};
  if (s.scaled !== undefined) {
    out.scaled = number(s.scaled, `${path}.scaled`);
    if (out.scaled < -1 || out.scaled > 1) fail(`${path}.scaled`, 'expected -1 to 1');
  }
  if (s.raw !== undefined) out.raw = number(s.raw, `${path}.raw`);
  if (s.min !== undefined) out.min = number(s.min, `${path}.min`);
  if (s.max !== undefined) out.max = number(s.max, `${path}.max`);
  const { raw, min, max } = out;
  if (min !== undefined && max !== undefined && min > max) fail(path, 'score min above max');
  if (raw !== undefined && ((min !== undefined && raw < min) || (max !== undefined && raw > max)))
    fail(path, 'raw score outside min..max');
  return out;
}

const RESULT = new Set(['score', 'success', 'completion', 'response', 'duration', 'extensions']);

function result(v: unknown, path: string): IngestResult {
  const r = object(v, path);
  strict(r, RESULT, path);
  const out: IngestResult = {};
  if (r.score !== undefined) out.score = score(r.score, `${path}.score`);
  if (r.success !== undefined) out.success = boolean(r.success, `${path}.success`);
  if (r.completion !== undefined) out.completion = boolean(r.completion, `${path}.completion`);
  if (r.response !== undefined) {
    out.response = string(r.response, `${path}.response`);
    if (out.response.length > 10_000) fail(`${path}.response`, 'expected at most 10000 characters');
  }
  if (r.duration !== undefined)
    out.duration = matching(r.duration, DURATION, 'an ISO 8601 duration', `${path}.duration`);
  if (r.extensions !== undefined) out.extensions = record(r.extensions, `${path}.extensions`);
  return out;
}

const CONTEXT_ACTIVITY_KEYS = ['parent', 'grouping', 'category', 'other'];
const CONTEXT_ACTIVITIES = new Set(CONTEXT_ACTIVITY_KEYS);

function contextActivities(v: unknown, path: string): Json {
  const c = object(v, path);
  strict(c, CONTEXT_ACTIVITIES, path);
  const out: Json = {};
  for (const key of CONTEXT_ACTIVITY_KEYS) {
    const list = c[key];
    if (list === undefined) continue;
    if (!Array.isArray(list)) fail(`${path}.${key}`, 'expected an array');
    out[key] = list.map((a, i) => activity(a, `${path}.${key}.${i}`));
  }
  return out;
}

const CONTEXT = new Set([
  'registration',
  'revision',
  'platform',
  'language',
  'statement',
  'contextActivities',
  'extensions',
]);

function context(v: unknown, path: string): Json {
  const c = object(v, path);
  strict(c, CONTEXT, path);
  const out: Json = {};
  if (c.registration !== undefined)
    out.registration = matching(c.registration, UUID, 'a UUID', `${path}.registration`);
  if (c.revision !== undefined) out.revision = string(c.revision, `${path}.revision`);
  if (c.platform !== undefined) out.platform = string(c.platform, `${path}.platform`);
  if (c.language !== undefined) out.language = string(c.language, `${path}.language`);
  if (c.statement !== undefined) out.statement = statementRef(c.statement, `${path}.statement`);
  if (c.contextActivities !== undefined)
    out.contextActivities = contextActivities(c.contextActivities, `${path}.contextActivities`);
  if (c.extensions !== undefined) out.extensions = record(c.extensions, `${path}.extensions`);
  return out;
}

const STATEMENT = new Set(['id', 'actor', 'verb', 'object', 'result', 'context', 'timestamp', 'version']);

/** One statement, checked; `path` prefixes the message of the first problem found. */
export function parseStatement(v: unknown, path = ''): IngestStatement {
  const s = object(v, path);
  strict(s, STATEMENT, path);
  const at = path ? `${path}.` : '';
  const out: Json = {};
  if (s.id !== undefined) out.id = matching(s.id, UUID, 'a UUID', `${at}id`);
  out.actor = agent(s.actor, `${at}actor`);
  out.verb = verb(s.verb, `${at}verb`);
  const o = object(s.object, `${at}object`);
  out.object = o.objectType === 'StatementRef' ? statementRef(o, `${at}object`) : activity(o, `${at}object`);
  if (s.result !== undefined) out.result = result(s.result, `${at}result`);
  if (s.context !== undefined) out.context = context(s.context, `${at}context`);
  if (s.timestamp !== undefined) {
    const t = string(s.timestamp, `${at}timestamp`);
    if (Number.isNaN(Date.parse(t))) fail(`${at}timestamp`, 'an ISO 8601 timestamp');
    out.timestamp = t;
  }
  if (s.version !== undefined) out.version = matching(s.version, VERSION, 'an xAPI version', `${at}version`);
  return out as unknown as IngestStatement;
}

/**
 * A request's statements (1 to `MAX_BATCH`), each checked, or `400 invalid_request` naming the first
 * problem as `<index>.<path>: <what>`.
 *
 * @example
 * const batch = parseStatementBatch(Array.isArray(body) ? body : [body]);
 */
export function parseStatementBatch(raw: readonly unknown[]): IngestStatement[] {
  if (raw.length < 1 || raw.length > MAX_BATCH)
    fail('statements', `send 1 to ${MAX_BATCH} statements in one request`);
  const out = new Array<IngestStatement>(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = parseStatement(raw[i], String(i));
  return out;
}
