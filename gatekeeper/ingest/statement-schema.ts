import type { XapiResult } from '../../protocol/xapi.js';
import { GatekeeperError } from '../errors.js';
import {
  attachments,
  boolean,
  duration,
  extensions,
  fail,
  interaction,
  iri,
  type Json,
  languageMap,
  languageTag,
  matching,
  number,
  object,
  put,
  strict,
  string,
  timestamp,
  uuid,
} from './statement-check.js';
import { canonicalVersion, VERSION, VOIDED } from './xapi-formats.js';

/**
 * The xAPI statement (1.0.3 / 2.0.0) as the ingest accepts it, checked by hand: this runs for every
 * statement on the ingest's hot path, where zod cost about a millisecond per batch of 100. The rules
 * are those of the zod schema in `statement-openapi.ts` (which documents the route), kept equal by
 * test/gatekeeper/ingest-statement-schema.test.ts: strict objects where the ingest relies on a value,
 * passthrough for activity definitions, records kept as sent, and every xAPI 1.0.3 rule an LRS must
 * enforce on write (docs/telemetry.md, "xAPI rules enforced"). The result is a new object with known keys
 * in schema order, contextActivities as arrays and `1.0` as `1.0.0`, so one statement always serialises
 * to the same body.
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
  attachments?: Json[];
}

/** Most statements one request may carry. */
export const MAX_BATCH = 1000;

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
const DEFINITION = new Set([
  'name',
  'description',
  'type',
  'moreInfo',
  'extensions',
  'interactionType',
  'correctResponsesPattern',
  'choices',
  'scale',
  'source',
  'target',
  'steps',
]);

function definition(v: unknown, path: string): Json {
  const d = object(v, path);
  const out: Json = {};
  if (d.name !== undefined) out.name = languageMap(d.name, `${path}.name`);
  if (d.description !== undefined) out.description = languageMap(d.description, `${path}.description`);
  if (d.type !== undefined) out.type = iri(d.type, `${path}.type`);
  if (d.moreInfo !== undefined) out.moreInfo = iri(d.moreInfo, `${path}.moreInfo`);
  if (d.extensions !== undefined) out.extensions = extensions(d.extensions, `${path}.extensions`);
  interaction(d, out, path);
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
  return { objectType: 'StatementRef', id: uuid(r.id, `${path}.id`) };
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
  if (r.duration !== undefined) out.duration = duration(r.duration, `${path}.duration`);
  if (r.extensions !== undefined) out.extensions = extensions(r.extensions, `${path}.extensions`);
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
    // xAPI allows one Activity or an array: stored as an array either way.
    out[key] = Array.isArray(list)
      ? list.map((a, i) => activity(a, `${path}.${key}.${i}`))
      : [activity(list, `${path}.${key}`)];
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
  if (c.registration !== undefined) out.registration = uuid(c.registration, `${path}.registration`);
  if (c.revision !== undefined) out.revision = string(c.revision, `${path}.revision`);
  if (c.platform !== undefined) out.platform = string(c.platform, `${path}.platform`);
  if (c.language !== undefined) out.language = languageTag(c.language, `${path}.language`);
  if (c.statement !== undefined) out.statement = statementRef(c.statement, `${path}.statement`);
  if (c.contextActivities !== undefined)
    out.contextActivities = contextActivities(c.contextActivities, `${path}.contextActivities`);
  if (c.extensions !== undefined) out.extensions = extensions(c.extensions, `${path}.extensions`);
  return out;
}

const STATEMENT = new Set([
  'id',
  'actor',
  'verb',
  'object',
  'result',
  'context',
  'timestamp',
  'version',
  'attachments',
]);

/** The rules that join two parts of a statement (xAPI 1.0.3, 2.3.2 and 2.4.6). */
function crossChecks(out: IngestStatement, at: string): void {
  const ref = out.object.objectType === 'StatementRef';
  if (out.verb.id === VOIDED && !ref) fail(`${at}object`, 'a voiding statement’s object is a StatementRef');
  if (ref && out.context && ('revision' in out.context || 'platform' in out.context))
    fail(`${at}context`, 'revision and platform only go with an Activity object');
}

/** One statement, checked; `path` prefixes the message of the first problem found. */
export function parseStatement(v: unknown, path = ''): IngestStatement {
  const s = object(v, path);
  strict(s, STATEMENT, path);
  const at = path ? `${path}.` : '';
  const out: Json = {};
  if (s.id !== undefined) out.id = uuid(s.id, `${at}id`);
  out.actor = agent(s.actor, `${at}actor`);
  out.verb = verb(s.verb, `${at}verb`);
  const o = object(s.object, `${at}object`);
  if (o.objectType === 'SubStatement')
    throw new GatekeeperError('construct_not_accepted', `${at}object: a SubStatement is not accepted`, {
      path: `${at}object`,
    });
  out.object = o.objectType === 'StatementRef' ? statementRef(o, `${at}object`) : activity(o, `${at}object`);
  if (s.result !== undefined) out.result = result(s.result, `${at}result`);
  if (s.context !== undefined) out.context = context(s.context, `${at}context`);
  if (s.timestamp !== undefined) out.timestamp = timestamp(s.timestamp, `${at}timestamp`);
  if (s.version !== undefined)
    out.version = canonicalVersion(matching(s.version, VERSION, 'an xAPI version', `${at}version`));
  if (s.attachments !== undefined) out.attachments = attachments(s.attachments, `${at}attachments`);
  const statement = out as unknown as IngestStatement;
  crossChecks(statement, at);
  return statement;
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
