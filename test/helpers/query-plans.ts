import type Sqlite from 'better-sqlite3';
import type { Database } from '../../gatekeeper/db/database.js';

/**
 * Every distinct statement drizzle prepares on `db` (better-sqlite3) while `run` runs, with SQLite's own query
 * plan of it (`EXPLAIN QUERY PLAN`, parameters bound to placeholders): which index each read uses, and
 * whether it sorts (`USE TEMP B-TREE`) or scans a table.
 */
export async function plansOf(db: Database, run: () => Promise<unknown>, table?: RegExp) {
  const client = (db.orm as unknown as { $client: Sqlite.Database }).$client;
  const prepare = client.prepare.bind(client);
  const seen: string[] = [];
  client.prepare = ((source: string) => {
    seen.push(source);
    return prepare(source);
  }) as typeof client.prepare;
  try {
    await run();
  } finally {
    client.prepare = prepare;
  }
  return [...new Set(seen)]
    .filter((q) => /^\s*select/i.test(q) && (!table || table.test(q)))
    .map((q) => {
      const params = (q.match(/\?/g) ?? []).map(() => 'x');
      const plan = (prepare(`EXPLAIN QUERY PLAN ${q}`).all(...params) as { detail: string }[]).map(
        (r) => r.detail,
      );
      return { q, plan };
    });
}
