import { recordSigningKeys, signingKeyRows } from '../db/signing-keys.js';
import { openFileKeyStore } from '../keys/file-key-store.js';
import { auditEveryOrg } from './audit-every-org.js';
import { withDatabase } from './with-database.js';

/** The audit action of a rotation, in every organisation's trail (docs/gatekeeper.md, "Audit"). */
export const ROTATE_KEY_ACTION = 'signing_key.rotate';

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
  const before = keys.list().find((k) => k.retiredAt === null);
  const at = input.now().getTime();
  const next = await keys.rotate(at);
  await withDatabase(input.dataDir, async (db) => {
    await recordSigningKeys(db, signingKeyRows(keys));
    // Subject: the new key; from: the key it replaces as the signer.
    await auditEveryOrg(db, {
      action: ROTATE_KEY_ACTION,
      subject: next.kid,
      fromValue: before?.kid ?? null,
      reason: '',
      at,
    });
  });
  return { kid: next.kid, retired: keys.list().length - 1 };
}
