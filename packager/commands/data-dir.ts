import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PackagerError } from '../errors.js';

/** The Gatekeeper's operator module, loaded only by `coursegate admin …`: nothing else opens SQLite. */
export type Admin = typeof import('../../gatekeeper/admin/index.js');

/** Loads the Gatekeeper's operator module. */
export function loadAdmin(): Promise<Admin> {
  return import('../../gatekeeper/admin/index.js');
}

/**
 * Refuses a data directory without a Gatekeeper database, before a command that changes one opens it:
 * opening SQLite there would quietly start a new, empty database in the wrong place.
 */
export function checkExistingDatabase(admin: Admin, dataDir: string): void {
  const file = join(dataDir, admin.DATABASE_FILE);
  if (!existsSync(file))
    throw new PackagerError('invalid_config', `No Gatekeeper database at ${file}; check --data-dir`);
}
