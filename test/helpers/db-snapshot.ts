import { getTableName, is, sql } from 'drizzle-orm';
import { getTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Database, Statement } from '../../gatekeeper/db/database.js';
import * as schema from '../../gatekeeper/db/schema.js';

/** The rows of every Gatekeeper table at one moment, to put back before each test of a file. */
export interface DbSnapshot {
  tables: { table: SQLiteTable; rows: Record<string, unknown>[] }[];
  /** Tables the triggers write to (per-day counts, queues, fan-out): put back once more, last. */
  derived: Set<string>;
  /** Of those, the ones no trigger fires on: their second restore changes nothing else. */
  leaves: Set<string>;
}

/** Signing keys live with the key store the app was given, which a snapshot does not cover. */
const SKIPPED = new Set(['signing_keys']);

/** Schema tables, parents before children, so inserts in this order satisfy every foreign key. */
function tablesInInsertOrder(): SQLiteTable[] {
  const tables = (Object.values(schema) as unknown[]).filter((t): t is SQLiteTable => is(t, SQLiteTable));
  const ordered: SQLiteTable[] = [];
  const visit = (t: SQLiteTable) => {
    if (ordered.includes(t)) return;
    for (const fk of getTableConfig(t).foreignKeys) {
      const parent = fk.reference().foreignTable;
      if (parent !== t) visit(parent);
    }
    ordered.push(t);
  };
  for (const t of tables) if (!SKIPPED.has(getTableName(t))) visit(t);
  return ordered;
}

/** `INSERT INTO`, `UPDATE` and `DELETE FROM` targets in a trigger's body. */
const TARGET = /\b(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)\s+[`"]?(\w+)/gi;

/**
 * Reads every table through drizzle, so restoring writes back exactly what the services wrote, and notes
 * which tables triggers keep (migrations 0012-0014): restoring a table with a trigger fires it again, so
 * those tables are put back a second time after everything else.
 */
export async function snapshotDb(db: Database): Promise<DbSnapshot> {
  const triggers = (await db.orm.all(
    sql`SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger'`,
  )) as { tbl_name: string; sql: string }[];
  const sources = new Set(triggers.map((t) => t.tbl_name));
  const derived = new Set<string>();
  for (const t of triggers)
    for (const m of t.sql.slice(t.sql.search(/\bBEGIN\b/i)).matchAll(TARGET)) derived.add(m[1] as string);
  const tables: DbSnapshot['tables'] = [];
  for (const table of tablesInInsertOrder()) {
    const rows = (await db.orm.select().from(table).all()) as Record<string, unknown>[];
    tables.push({ table, rows });
  }
  return { tables, derived, leaves: new Set([...derived].filter((name) => !sources.has(name))) };
}

/**
 * Puts the database back to `snapshot` in one batch (one round trip to D1): children emptied first,
 * then parents filled first. Ids, key hashes and tokens are those of the snapshot, so a fixture made
 * before it stays valid.
 */
export async function restoreDb(db: Database, snapshot: DbSnapshot): Promise<void> {
  const statements: Statement[] = [];
  for (const { table } of [...snapshot.tables].reverse()) statements.push(db.orm.delete(table));
  // One row per statement: D1 caps the bound parameters of one statement at 100.
  const put = (tables: DbSnapshot['tables']) => {
    for (const { table, rows } of tables)
      for (const row of rows) statements.push(db.orm.insert(table).values(row as never));
  };
  put(snapshot.tables.filter(({ table }) => !snapshot.derived.has(getTableName(table))));
  // Then what the triggers wrote while those rows went back is replaced by the snapshot's own rows: every
  // derived table (a fan-out source among them fires again), then the leaves once more.
  for (const pass of [snapshot.derived, snapshot.leaves]) {
    const again = snapshot.tables.filter(({ table }) => pass.has(getTableName(table)));
    for (const { table } of [...again].reverse()) statements.push(db.orm.delete(table));
    put(again);
  }
  await db.batch(statements);
}
