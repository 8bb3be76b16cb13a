import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DATABASE_FILE } from '../../gatekeeper/server.js';
import { PackagerError } from '../errors.js';

/**
 * The database file of an existing Gatekeeper data directory. Commands that change one refuse a
 * directory without it: opening SQLite there would quietly start a new, empty database in the wrong place.
 */
export function existingDatabase(dataDir: string): string {
  const file = join(dataDir, DATABASE_FILE);
  if (!existsSync(file))
    throw new PackagerError('invalid_config', `No Gatekeeper database at ${file}; check --data-dir`);
  return file;
}
