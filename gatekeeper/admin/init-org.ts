import { randomToken } from '../crypto.js';
import { countOrgs } from '../db/orgs.js';
import { makePrivateDir } from '../db/private-files.js';
import { GatekeeperError } from '../errors.js';
import { openFileKeyStore } from '../keys/file-key-store.js';
import { type CreatedOrg, createOrgWithOwner, type NewOrg } from '../orgs/service.js';
import { withDatabase } from './with-database.js';

export interface InitOrgInput extends NewOrg {
  dataDir: string;
  /** `admin init`: refuse a data directory that already has an organisation (`already_exists`). */
  firstOnly: boolean;
  now: () => Date;
}

/**
 * `coursegate admin init` / `add-org`: starts the data directory if needed (database and signing keys, so
 * the server started later signs with the same keys), then makes the org, its owner with a one-time
 * dashboard password, and an API key through the org service.
 *
 * @example
 * const { key, password } = await initOrg({ dataDir: './data', firstOnly: true, now: () => new Date(),
 *   name: 'Acme', owner: { email: 'owner@acme.test' }, keyName: 'admin init' });
 */
export async function initOrg(input: InitOrgInput): Promise<CreatedOrg & { password: string }> {
  const { dataDir, firstOnly, now, ...org } = input;
  makePrivateDir(dataDir);
  await openFileKeyStore(dataDir, now().getTime());
  return withDatabase(dataDir, async (db) => {
    if (firstOnly && (await countOrgs(db)) > 0)
      throw new GatekeeperError('already_exists', `${dataDir} already has an organisation`);
    const password = org.owner.password ?? randomToken(12);
    const made = await createOrgWithOwner({ db, now }, { ...org, owner: { ...org.owner, password } });
    return { ...made, password };
  });
}
