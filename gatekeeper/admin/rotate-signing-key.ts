import { recordSigningKeys, signingKeyRows } from '../db/signing-keys.js';
import { openFileKeyStore } from '../keys/file-key-store.js';
import { withDatabase } from './with-database.js';

/**
 * `coursegate admin rotate-signing-key`: a new signing key; the old ones keep verifying the tokens they
 * signed. The server picks it up when restarted.
 * @example const { kid, retired } = await rotateSigningKey({ dataDir: './data', now: () => new Date() });
 */
export async function rotateSigningKey(input: {
  dataDir: string;
  now: () => Date;
}): Promise<{ kid: string; retired: number }> {
  const keys = await openFileKeyStore(input.dataDir);
  const next = await keys.rotate(input.now().getTime());
  await withDatabase(input.dataDir, (db) => recordSigningKeys(db, signingKeyRows(keys)));
  return { kid: next.kid, retired: keys.list().length - 1 };
}
