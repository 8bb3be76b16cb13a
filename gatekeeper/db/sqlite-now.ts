import type { Statement as SqliteStatement } from 'better-sqlite3';
import { Column, is, Param, Placeholder, SQL } from 'drizzle-orm';
import type { NowQueries, PreparedRead, PreparedWrite } from './database.js';

/** The parts of drizzle's better-sqlite3 prepared query this module reads (as d1.ts does for D1). */
interface DrizzlePrepared {
  stmt: SqliteStatement;
  query: { params: unknown[] };
  fields?: { path: string[]; field: unknown }[];
  customResultMapper?: unknown;
  get(values: Record<string, unknown>): unknown;
}

interface Decoder {
  mapFromDriverValue(value: unknown): unknown;
}

interface Compiled {
  stmt: SqliteStatement;
  bind: (values: Record<string, unknown>) => unknown[];
  /** Flat selections only: the key and decoder of each column, in select order. */
  columns?: { name: string; decoder: Decoder }[];
}

/** drizzle's `fillPlaceholders`, with its per-parameter type tests done once instead of per call. */
function binder(params: unknown[]): (values: Record<string, unknown>) => unknown[] {
  // A missing value throws drizzle's own error rather than binding NULL.
  const named = (values: Record<string, unknown>, name: string) => {
    if (!(name in values)) throw new Error(`No value for placeholder "${name}" was provided`);
    return values[name];
  };
  const slots = params.map((p): ((values: Record<string, unknown>) => unknown) => {
    if (is(p, Placeholder)) return (values) => named(values, p.name);
    if (is(p, Param) && is(p.value, Placeholder)) {
      const name = p.value.name;
      return (values) => p.encoder.mapToDriverValue(named(values, name));
    }
    return () => p;
  });
  return (values) => {
    const out = new Array<unknown>(slots.length);
    for (let i = 0; i < slots.length; i++) out[i] = slots[i]!(values);
    return out;
  };
}

function decoderOf(field: unknown): Decoder | undefined {
  if (is(field, Column)) return field;
  // `decoder` is drizzle-internal; mapResultRow reads it the same way.
  if (is(field, SQL)) return (field as unknown as { decoder: Decoder }).decoder;
  return undefined;
}

function compile(prepared: DrizzlePrepared): Compiled {
  const compiled: Compiled = { stmt: prepared.stmt, bind: binder(prepared.query.params) };
  const { fields } = prepared;
  if (fields && !prepared.customResultMapper && fields.every((f) => f.path.length === 1)) {
    const columns = fields.map((f) => ({ name: f.path[0]!, decoder: decoderOf(f.field) }));
    if (columns.every((c) => c.decoder !== undefined))
      compiled.columns = columns as { name: string; decoder: Decoder }[];
  }
  return compiled;
}

/**
 * Runs drizzle-prepared statements on better-sqlite3 without drizzle's per-call work (type tests on
 * every parameter and every result column), which cost the launch path more than the statements
 * themselves. Same values bound, same rows back: nested selections fall back to drizzle.
 */
export function createNowQueries(): NowQueries {
  const cache = new WeakMap<object, Compiled>();
  const compiled = (p: object) => {
    let c = cache.get(p);
    if (!c) {
      c = compile(p as DrizzlePrepared);
      cache.set(p, c);
    }
    return c;
  };
  return {
    run(write: PreparedWrite, values: Record<string, unknown>) {
      const c = compiled(write);
      return c.stmt.run(...c.bind(values)).changes;
    },
    get<T>(read: PreparedRead, values: Record<string, unknown>): T | undefined {
      const c = compiled(read);
      if (!c.columns) return (read as unknown as DrizzlePrepared).get(values) as T | undefined;
      const row = c.stmt.raw(true).get(...c.bind(values)) as unknown[] | undefined;
      if (!row) return undefined;
      const out: Record<string, unknown> = {};
      for (let i = 0; i < c.columns.length; i++) {
        const { name, decoder } = c.columns[i]!;
        const value = row[i];
        out[name] = value === null ? null : decoder.mapFromDriverValue(value);
      }
      return out as T;
    },
  };
}
