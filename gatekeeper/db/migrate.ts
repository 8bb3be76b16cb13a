/** One migration file: its name orders it, its SQL holds statements split by drizzle-kit's breakpoint. */
export interface Migration {
  name: string;
  sql: string;
}

/** The minimal driver surface migrations need, so the same runner serves better-sqlite3 and D1. */
export interface MigrationTarget {
  exec(sql: string): Promise<void>;
  applied(): Promise<string[]>;
  record(name: string, at: number): Promise<void>;
  /** Runs `fn` atomically. */
  atomically(fn: () => Promise<void>): Promise<void>;
}

/** Applies, in name order, every migration not yet recorded in `_migrations`. Returns the names applied. */
export async function migrate(
  target: MigrationTarget,
  migrations: Migration[],
  now: number,
): Promise<string[]> {
  await target.exec(
    'CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)',
  );
  const done = new Set(await target.applied());
  const pending = [...migrations]
    .sort((a, b) => a.name.localeCompare(b.name))
    .filter((m) => !done.has(m.name));
  for (const m of pending) {
    await target.atomically(async () => {
      for (const stmt of m.sql.split('--> statement-breakpoint')) {
        if (stmt.trim()) await target.exec(stmt);
      }
      await target.record(m.name, now);
    });
  }
  return pending.map((m) => m.name);
}
