import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';

/**
 * The data directory holds password and key hashes, dashboard CSRF secrets and signing keys: only the
 * server's own user may enter it (0700), and its secrets are 0600. Modes are set explicitly, never left to
 * the umask, and set again at every start so a directory or database made by an older version (0755 /
 * 0644) is fixed.
 */
export function makePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  restrict(dir, 0o700);
}

/**
 * Only a file's owner may change its mode: a directory or database another user owns and lets this one
 * write (a mounted volume) keeps the modes its owner chose rather than stopping the server.
 */
function restrict(path: string, mode: number): void {
  try {
    chmodSync(path, mode);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') throw err;
  }
}

/**
 * The SQLite file and its `-wal` / `-shm` companions at 0600. Called before SQLite opens the file, the
 * database is created here at 0600 (SQLite itself would create it 0644 minus the umask), and SQLite then
 * gives the WAL and SHM files it creates the database file's mode. Called again after opening, it fixes
 * companions an older version left readable.
 */
export function makePrivateDatabaseFiles(file: string): void {
  if (file === ':memory:' || file === '') return;
  if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
  for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) restrict(f, 0o600);
}
