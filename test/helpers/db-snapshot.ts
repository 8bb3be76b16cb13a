import { getTableName, is, sql } from 'drizzle-orm';
import { getTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Database, Statement } from '../../gatekeeper/db/database.js';
import * as schema from '../../gatekeeper/db/schema.js';

/** The rows of every Gatekeeper table at one moment, to put back before each test of a file. */
export interface DbSnapshot {
  tables: { table: SQLiteTable; rows: Record<string, unknown>[] }[];
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

/**
 * Reads every table through drizzle, so restoring writes back exactly what the services wrote. Refuses
 * rows in a table with an insert trigger: putting them back would fire it a second time.
 */
export async function snapshotDb(db: Database): Promise<DbSnapshot> {
  const triggered = new Set(
    (
      (await db.orm.all(sql`SELECT tbl_name FROM sqlite_master WHERE type = 'trigger'`)) as {
        tbl_name: string;
      }[]
    ).map((r) => r.tbl_name),
  );
  const tables: DbSnapshot['tables'] = [];
  for (const table of tablesInInsertOrder()) {
    const rows = (await db.orm.select().from(table).all()) as Record<string, unknown>[];
    if (rows.length > 0 && triggered.has(getTableName(table)))
      throw new Error(`snapshotDb: ${getTableName(table)} has rows and an insert trigger`);
    tables.push({ table, rows });
  }
  return { tables };
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
  for (const { table, rows } of snapshot.tables)
    for (const row of rows) statements.push(db.orm.insert(table).values(row as never));
  await db.batch(statements);
}
