import { recordSigningKeys, signingKeyRows } from '../db/signing-keys.js';
import { openFileKeyStore } from '../keys/file-key-store.js';
import { auditEveryOrg } from './audit-every-org.js';
import { withDatabase } from './with-database.js';

/** The audit action of a retirement, in every organisation's trail (docs/gatekeeper.md, "Tokens"). */
export const RETIRE_KEY_ACTION = 'signing_key.retire';

/**
 * `coursegate admin retire-signing-key <kid>`: launches of tokens the key signed are refused with
 * `signing_key_retired` once the server restarts. Refuses the active key and an unknown kid
 * (`KeyRetireError`). A key serves every organisation, so each one's audit trail records it.
 * @example await retireSigningKey({ dataDir: './data', kid, reason: 'leaked', now: () => new Date() });
 */
export async function retireSigningKey(input: {
  dataDir: string;
  kid: string;
  reason?: string | undefined;
  now: () => Date;
}): Promise<{ kid: string; already: boolean }> {
  const keys = await openFileKeyStore(input.dataDir);
  const before = keys.list().find((k) => k.kid === input.kid)?.revokedAt;
  const at = input.now().getTime();
  await keys.retire(input.kid, at);
  if (before) return { kid: input.kid, already: true };
  await withDatabase(input.dataDir, async (db) => {
    await recordSigningKeys(db, signingKeyRows(keys));
    await auditEveryOrg(db, {
      action: RETIRE_KEY_ACTION,
      subject: input.kid,
      fromValue: null,
      reason: input.reason?.trim() ?? '',
      at,
    });
  });
  return { kid: input.kid, already: false };
}
