import type { D1Database, D1PreparedStatement } from '@cloudflare/workers-types/latest/index.ts';
import { fillPlaceholders } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import type { Database, Orm } from './database.js';
import { d1Fault } from './faults.js';
import { type Migration, migrate } from './migrate.js';
import * as schema from './schema.js';

/** What drizzle's D1 `.prepare()` hands back: the statement compiled once plus its parameter slots. */
interface D1Prepared {
  stmt: D1PreparedStatement;
  query: { params: unknown[] };
}

/**
 * The driver seam over a Cloudflare D1 binding. Every query goes to the primary: no read replication
 * (`withSession`) and no cache, so a revoked license is refused on the very next launch.
 *
 * Migrations are applied by `wrangler d1 migrations apply` in production (see docs/deploy-cloudflare.md);
 * `migrateD1` applies the same files here for tests and local runs.
 *
 * @example
 * export default { fetch: (req, env) => createApp({ db: openD1(env.DB), ... }).fetch(req) };
 */
export function openD1(d1: D1Database): Database {
  const orm = drizzle(d1 as never, { schema });
  return {
    orm: orm as unknown as Orm,
    async batch(statements) {
      if (statements.length === 0) return [];
      // D1 runs a batch as one implicit transaction: all statements commit or none do.
      const results = (await orm.batch(statements as never)) as unknown as { meta?: { changes?: number } }[];
      return results.map((r) => r.meta?.changes ?? 0);
    },
    async batchPrepared(writes) {
      if (writes.length === 0) return;
      await d1.batch(
        writes.map(([write, values]) => {
          const p = write as unknown as D1Prepared;
          return p.stmt.bind(...fillPlaceholders(p.query.params, values));
        }),
      );
    },
    fault: d1Fault,
    // The binding belongs to the Workers runtime, which closes it.
    async close() {},
  };
}

/**
 * Applies pending SQL migrations to a D1 database with the same runner as SQLite. D1 has no
 * BEGIN/COMMIT, so each migration's statements and its `_migrations` row go in one batch.
 */
export async function migrateD1(d1: D1Database, migrations: Migration[], now: number): Promise<string[]> {
  let collecting: D1PreparedStatement[] | undefined;
  return migrate(
    {
      exec: async (sql) => {
        const stmt = d1.prepare(sql);
        if (collecting) collecting.push(stmt);
        else await stmt.run();
      },
      applied: async () =>
        (await d1.prepare('SELECT name FROM _migrations').all<{ name: string }>()).results.map((r) => r.name),
      record: async (name, at) => {
        const stmt = d1.prepare('INSERT INTO _migrations (name, applied_at) VALUES (?, ?)').bind(name, at);
        if (collecting) collecting.push(stmt);
        else await stmt.run();
      },
      atomically: async (fn) => {
        collecting = [];
        try {
          await fn();
          await d1.batch(collecting);
        } finally {
          collecting = undefined;
        }
      },
    },
    migrations,
    now,
  );
}
