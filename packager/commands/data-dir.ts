import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PackagerError } from '../errors.js';

/** The Gatekeeper's operator module, loaded only by `coursegate admin …`: nothing else opens SQLite. */
export type Admin = typeof import('../../gatekeeper/admin/index.js');

/**
 * Loads the Gatekeeper's operator module: the `@coursegate/gatekeeper` package once published (the
 * package build points this import there), an optional peer that authors who only package never install.
 */
export async function loadAdmin(): Promise<Admin> {
  try {
    return await import('../../gatekeeper/admin/index.js');
  } catch (err) {
    if ((err as { code?: unknown }).code !== 'ERR_MODULE_NOT_FOUND') throw err;
    throw new PackagerError(
      'not_configured',
      'coursegate admin runs on the Gatekeeper’s own machine and needs its package: npm install @coursegate/gatekeeper',
    );
  }
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
