import type { Database } from './database.js';
import { signingKeys } from './schema.js';

export type SigningKeyRow = typeof signingKeys.$inferSelect;

/** Mirrors the key store's public halves into the database, so the key history is queryable. */
export async function recordSigningKeys(db: Database, rows: SigningKeyRow[]): Promise<void> {
  await db.batch(
    rows.map((row) =>
      db.orm
        .insert(signingKeys)
        .values(row)
        .onConflictDoUpdate({
          target: signingKeys.kid,
          set: { status: row.status, retiredAt: row.retiredAt },
        }),
    ),
  );
}

export async function listSigningKeys(db: Database): Promise<SigningKeyRow[]> {
  return db.orm.select().from(signingKeys).all();
}
