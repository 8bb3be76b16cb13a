import { join } from 'node:path';
import type { Database } from '../db/database.js';
import { DATABASE_FILE } from '../db/database-file.js';
import { openSqlite } from '../db/open-sqlite.js';

/** Opens the data directory's database for one operation and closes it, whatever happens. */
export async function withDatabase<T>(dataDir: string, fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await openSqlite({ file: join(dataDir, DATABASE_FILE) });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}
