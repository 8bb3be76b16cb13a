import { GatekeeperError } from '../errors.js';
import {
  COMPONENT_LISTS,
  DURATION,
  INTERACTION_COMPONENTS,
  IRI,
  LANGUAGE_TAG,
  TIMESTAMP,
  UUID,
} from './xapi-formats.js';

/**
 * The checks the hand-written statement parser (`statement-schema.ts`) is made of: each takes a value
 * as sent and its JSON path, and returns the value to store or throws `400 invalid_request` naming the
 * path. Split out so each file stays one concept: these are the field-level rules, the parser the shape.
 */
export type Json = Record<string, unknown>;

export function fail(path: string, message: string): never {
  throw new GatekeeperError('invalid_request', `${path || 'statement'}: ${message}`);
}

export function object(v: unknown, path: string): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path, 'expected an object');
  return v as Json;
}

/** Refuses keys outside `known` (zod's `.strict()`). */
export function strict(v: Json, known: ReadonlySet<string>, path: string): void {
  for (const k in v) if (!known.has(k)) fail(path, `Unrecognized key: "${k}"`);
}

export function string(v: unknown, path: string): string {
  if (typeof v !== 'string') fail(path, 'expected a string');
  return v;
}

export function matching(v: unknown, pattern: RegExp, what: string, path: string): string {
  const s = string(v, path);
  if (!pattern.test(s)) fail(path, what);
  return s;
}

export function iri(v: unknown, path: string): string {
  const s = string(v, path);
  if (s.length < 1 || s.length > 2048 || !IRI.test(s)) fail(path, 'an IRI');
  return s;
}

export const uuid = (v: unknown, path: string) => matching(v, UUID, 'a UUID', path);
export const timestamp = (v: unknown, path: string) => matching(v, TIMESTAMP, 'an ISO 8601 timestamp', path);
export const duration = (v: unknown, path: string) => matching(v, DURATION, 'an ISO 8601 duration', path);
export const languageTag = (v: unknown, path: string) =>
  matching(v, LANGUAGE_TAG, 'an RFC 5646 language tag', path);

export function number(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(path, 'expected a number');
  return v;
}

export function boolean(v: unknown, path: string): boolean {
  if (typeof v !== 'boolean') fail(path, 'expected a boolean');
  return v;
}

/** A language map: RFC 5646 tags to strings, kept as sent. */
export function languageMap(v: unknown, path: string): Record<string, string> {
  const map = object(v, path);
  for (const k in map) {
    if (!LANGUAGE_TAG.test(k)) fail(`${path}.${k}`, 'an RFC 5646 language tag');
    string(map[k], `${path}.${k}`);
  }
  return map as Record<string, string>;
}

/** Extensions: IRI keys, any values, kept as sent. */
export function extensions(v: unknown, path: string): Json {
  const map = object(v, path);
  for (const k in map) if (k.length > 2048 || !IRI.test(k)) fail(`${path}.${k}`, 'an IRI');
  return map;
}

/** Sets `key` on `out` only when `value` is there, as zod's output leaves absent optionals out. */
export function put(out: Json, key: string, value: unknown): void {
  if (value !== undefined) out[key] = value;
}

const COMPONENT = new Set(['id', 'description']);

function components(v: unknown, path: string): Json[] {
  if (!Array.isArray(v)) fail(path, 'expected an array');
  return v.map((c, i) => {
    const at = `${path}.${i}`;
    const o = object(c, at);
    strict(o, COMPONENT, at);
    const out: Json = { id: string(o.id, `${at}.id`) };
    if (o.description !== undefined) out.description = languageMap(o.description, `${at}.description`);
    return out;
  });
}

/** The interaction properties of a definition (`interactionType` and what goes with it), onto `out`. */
export function interaction(d: Json, out: Json, path: string): void {
  const type = d.interactionType;
  const lists = type === undefined ? undefined : INTERACTION_COMPONENTS[type as string];
  if (type !== undefined) {
    if (typeof type !== 'string' || lists === undefined)
      fail(`${path}.interactionType`, 'an xAPI interaction type');
    out.interactionType = type;
  }
  if (d.correctResponsesPattern !== undefined) {
    const at = `${path}.correctResponsesPattern`;
    if (type === undefined) fail(at, 'needs an interactionType');
    if (!Array.isArray(d.correctResponsesPattern)) fail(at, 'expected an array');
    out.correctResponsesPattern = d.correctResponsesPattern.map((p, i) => string(p, `${at}.${i}`));
  }
  for (const key of COMPONENT_LISTS) {
    if (d[key] === undefined) continue;
    if (!lists?.includes(key)) fail(`${path}.${key}`, 'not a component list of this interactionType');
    out[key] = components(d[key], `${path}.${key}`);
  }
}

const ATTACHMENT = new Set([
  'usageType',
  'display',
  'description',
  'contentType',
  'length',
  'sha2',
  'fileUrl',
]);

/**
 * One attachment sent as JSON: its metadata is stored, with the `fileUrl` where its content lives. The
 * content itself (an attachment without `fileUrl`, sent as multipart/mixed) is not taken.
 */
function attachment(v: unknown, path: string): Json {
  const a = object(v, path);
  strict(a, ATTACHMENT, path);
  const out: Json = { usageType: iri(a.usageType, `${path}.usageType`) };
  out.display = languageMap(a.display, `${path}.display`);
  if (a.description !== undefined) out.description = languageMap(a.description, `${path}.description`);
  out.contentType = string(a.contentType, `${path}.contentType`);
  const length = number(a.length, `${path}.length`);
  if (!Number.isInteger(length) || length < 0) fail(`${path}.length`, 'expected a non-negative integer');
  out.length = length;
  out.sha2 = string(a.sha2, `${path}.sha2`);
  if (a.fileUrl === undefined) fail(`${path}.fileUrl`, 'required: attachment content is not accepted');
  out.fileUrl = iri(a.fileUrl, `${path}.fileUrl`);
  return out;
}

export function attachments(v: unknown, path: string): Json[] {
  if (!Array.isArray(v)) fail(path, 'expected an array');
  return v.map((a, i) => attachment(a, `${path}.${i}`));
}
