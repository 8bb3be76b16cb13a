import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { initOrg } from '../../gatekeeper/admin/init-org.js';
import { loadConfig } from '../../gatekeeper/config.js';
import { DATABASE_FILE } from '../../gatekeeper/db/database-file.js';
import { KEYS_FILE, openFileKeyStore } from '../../gatekeeper/keys/file-key-store.js';
import { startServer } from '../../gatekeeper/server.js';

// Issue 23: the data dir holds password and key hashes and CSRF secrets. `stat` (coreutils) judges the
// modes, and the umask is opened wide so nothing passes merely because the usual 022/077 masked it.

let root: string;
let oldUmask: number;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'cg-modes-'));
  oldUmask = process.umask(0);
});
afterEach(() => {
  process.umask(oldUmask);
  rmSync(root, { recursive: true, force: true });
});

const modeOf = (path: string) => execFileSync('stat', ['-c', '%a', path], { encoding: 'utf8' }).trim();

function modes(dataDir: string) {
  const db = join(dataDir, DATABASE_FILE);
  const paths = [dataDir, db, `${db}-wal`, `${db}-shm`, join(dataDir, KEYS_FILE)];
  return Object.fromEntries(paths.filter(existsSync).map((p) => [p.slice(dataDir.length) || '/', modeOf(p)]));
}

const PRIVATE = {
  '/': '700',
  [`/${DATABASE_FILE}`]: '600',
  [`/${DATABASE_FILE}-wal`]: '600',
  [`/${DATABASE_FILE}-shm`]: '600',
  [`/${KEYS_FILE}`]: '600',
};

async function startOn(dataDir: string) {
  return startServer(
    loadConfig({
      COURSEGATE_PORT: '0',
      COURSEGATE_CONTENT_PORT: '0',
      COURSEGATE_DATA_DIR: dataDir,
      COURSEGATE_LOG: 'off',
    }),
  );
}

describe('data directory file modes', () => {
  it('a fresh start makes the data dir 0700 and the database, its WAL and SHM and the key file 0600', async () => {
    const dataDir = join(root, 'data');
    const server = await startOn(dataDir);
    try {
      expect(modes(dataDir)).toEqual(PRIVATE);
    } finally {
      await server.close();
    }
  });

  it('starting on a 0755 dir with a 0644 database, WAL, SHM and key file left by an older version makes them private', async () => {
    const dataDir = join(root, 'data');
    mkdirSync(dataDir, { mode: 0o755 });
    const db = join(dataDir, DATABASE_FILE);
    const old = new Sqlite(db);
    old.exec('CREATE TABLE left_by_old_version (x)');
    old.close();
    await openFileKeyStore(dataDir);
    // Empty companions, as a copy or a crash leaves them: SQLite reuses them as they are.
    writeFileSync(`${db}-wal`, '');
    writeFileSync(`${db}-shm`, '');
    for (const f of [db, `${db}-wal`, `${db}-shm`, join(dataDir, KEYS_FILE)]) chmodSync(f, 0o644);
    chmodSync(dataDir, 0o755);
    expect(Object.values(modes(dataDir))).toEqual(['755', '644', '644', '644', '644']);
    const server = await startOn(dataDir);
    try {
      expect(modes(dataDir)).toEqual(PRIVATE);
      // Nothing was lost: the old database was opened, not replaced.
      const check = new Sqlite(db, { readonly: true });
      const tables = check.prepare("SELECT name FROM sqlite_master WHERE name = 'left_by_old_version'").all();
      check.close();
      expect(tables).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it('`admin init` makes a new data dir 0700 and its database and key file 0600', async () => {
    const dataDir = join(root, 'init');
    await initOrg({
      dataDir,
      firstOnly: true,
      now: () => new Date(),
      name: 'Acme',
      owner: { email: 'owner@acme.test' },
      keyName: 'admin init',
    });
    const seen = modes(dataDir);
    expect(seen['/']).toBe('700');
    expect(seen[`/${DATABASE_FILE}`]).toBe('600');
    expect(seen[`/${KEYS_FILE}`]).toBe('600');
    for (const [path, mode] of Object.entries(seen)) if (path !== '/') expect(mode, path).toBe('600');
  });
});
