import type { KeyStore } from '../keys/key-store.js';
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

/** The rows `recordSigningKeys` takes for what a key store holds: public halves and status only. */
export function signingKeyRows(keys: KeyStore): SigningKeyRow[] {
  return keys.list().map((k) => ({
    kid: k.kid,
    alg: 'EdDSA',
    publicJwk: JSON.stringify(k.publicJwk),
    status: k.retiredAt === null ? ('active' as const) : ('retired' as const),
    createdAt: k.createdAt,
    retiredAt: k.retiredAt,
  }));
}
