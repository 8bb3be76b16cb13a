import type { Database } from './database.js';
import { readinessProbe } from './schema.js';

/**
 * Writes the one readiness row (committed, not rolled back: a full disk or a lock shows only on a real
 * write). Throws the driver's error when the database does not take it.
 */
export async function probeDatabaseWrite(db: Database, at: number): Promise<void> {
  await db.batch([
    db.orm
      .insert(readinessProbe)
      .values({ id: 1, checkedAt: at })
      .onConflictDoUpdate({ target: readinessProbe.id, set: { checkedAt: at } }),
  ]);
}
