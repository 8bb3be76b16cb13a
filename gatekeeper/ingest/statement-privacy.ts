import { GatekeeperError } from '../errors.js';
import { redactIdentifiers } from '../privacy/service.js';

/**
 * The ingest's privacy pass over one statement as sent, before the xAPI checks (docs/telemetry.md,
 * "Identifiers in stored text"): one walk that refuses every Agent or Group other than the actor, and any
 * personal property on the actor, with `400 pii_not_accepted` naming the JSON path (also as `details.path`); and replaces, in place,
 * the identifiers in every other string and object key (`redactIdentifiers`). The actor, statement id,
 * timestamp, version, registration, statement reference and duration are left to the xAPI checks.
 */

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Deepest nesting a statement may have (an extension 32 levels down is no course's data). */
const MAX_DEPTH = 32;
const PERSONAL = ['mbox', 'mbox_sha1sum', 'openid'] as const;
/** Places that only ever hold an agent or a group: the statement's, then its context's. */
const STATEMENT_AGENTS = ['authority'];
const CONTEXT_AGENTS = ['instructor', 'team'];
/** Values the xAPI checks own: identifiers by design (the session's account) or formats. */
const STATEMENT_KEPT = new Set(['id', 'actor', 'timestamp', 'version']);
const KEPT: Record<string, ReadonlySet<string>> = {
  context: new Set(['registration', 'statement']),
  result: new Set(['duration']),
};
/** An attachment's hash and size are data about a file, not text: a run of digits in a hash is no phone. */
const ATTACHMENT_KEPT: ReadonlySet<string> = new Set(['sha2', 'length']);

function refuse(path: string, what: string): never {
  throw new GatekeeperError('pii_not_accepted', `${path}: ${what}`, { path });
}

function looksLikeAgent(v: Json): boolean {
  if (v.objectType === 'Agent' || v.objectType === 'Group') return true;
  if (PERSONAL.some((k) => k in v)) return true;
  if (Array.isArray(v.member)) return true;
  return isObject(v.account) && ('homePage' in v.account || 'name' in v.account);
}

function checkActor(actor: unknown, path: string): void {
  if (!isObject(actor)) return;
  if (actor.objectType === 'Group' || 'member' in actor) refuse(path, 'a Group cannot be the actor');
  for (const k of [...PERSONAL, 'name'] as const)
    if (k in actor) refuse(`${path}.${k}`, 'the actor must be the session’s anonymous account only');
}

/**
 * Redacts strings and keys below `v`, found at `key` of `parent`, refusing agents; returns the value to
 * keep there. The path is only joined for objects and arrays: most values are strings.
 */
function walk(v: unknown, parent: string, key: string | number, depth: number): unknown {
  if (typeof v === 'string') return redactIdentifiers(v);
  if (typeof v !== 'object' || v === null) return v;
  const path = parent ? `${parent}.${key}` : String(key);
  if (depth > MAX_DEPTH) throw new GatekeeperError('invalid_request', `${path}: nested too deep`, { path });
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = walk(v[i], path, i, depth + 1);
    return v;
  }
  const o = v as Json;
  if (looksLikeAgent(o)) refuse(path, 'an Agent or Group other than the session’s anonymous actor');
  if (o.objectType === 'SubStatement') {
    statementPrivacy(o, path, depth + 1);
    return o;
  }
  return walkObject(o, path, depth, undefined);
}

function walkObject(o: Json, path: string, depth: number, kept: ReadonlySet<string> | undefined): Json {
  const renamed: [string, string][] = [];
  for (const k in o) {
    if (kept?.has(k)) continue;
    o[k] = walk(o[k], path, k, depth + 1);
    const key = redactIdentifiers(k);
    if (key !== k) renamed.push([k, key]);
  }
  // A key with an identifier (an extension IRI ending in an email) is rare: rebuild only then, in order.
  if (renamed.length === 0) return o;
  const names = new Map(renamed);
  const out: Json = {};
  for (const k in o) out[names.get(k) ?? k] = o[k];
  return out;
}

/**
 * Applies the privacy pass to `statement` in place (a sub-statement is walked the same way). `path` is the
 * statement's place in the request, `0` for the first.
 * @example
 * statementPrivacy(body[0], '0'); // throws 400 pii_not_accepted '0.context.instructor: …'
 */
export function statementPrivacy(statement: unknown, path: string, depth = 0): void {
  if (!isObject(statement)) return;
  const at = (k: string) => (path ? `${path}.${k}` : k);
  checkActor(statement.actor, at('actor'));
  for (const k of STATEMENT_AGENTS) if (k in statement) refuse(at(k), 'no agent other than the actor');
  const context = statement.context;
  if (isObject(context))
    for (const k of CONTEXT_AGENTS)
      if (k in context) refuse(at(`context.${k}`), 'no agent other than the actor');
  for (const k in statement) {
    if (STATEMENT_KEPT.has(k)) continue;
    const v = statement[k];
    const kept = KEPT[k];
    if (k === 'attachments' && Array.isArray(v))
      for (let i = 0; i < v.length; i++)
        v[i] = isObject(v[i]) ? walkObject(v[i], `${at(k)}.${i}`, depth + 2, ATTACHMENT_KEPT) : v[i];
    else
      statement[k] =
        kept && isObject(v) ? walkObject(v, at(k), depth + 1, kept) : walk(v, path, k, depth + 1);
  }
}
