import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../gatekeeper/db/database-file.js';
import { removeDir, tempDir } from '../packager/fixtures.js';
import { runCoursegate } from '../packager/run-cli.js';

const base = tempDir('cg-admin-');
afterAll(() => removeDir(base));

function coursegate(args: string[]) {
  return runCoursegate(args, { env: { HOME: base }, cwd: base, isolated: true });
}

const oneLine = (stderr: string, pattern: RegExp) => {
  expect(stderr.split('\n').filter(Boolean)).toHaveLength(1);
  expect(stderr).toMatch(pattern);
};

// Each step is a fresh `coursegate` process (tsx start-up included).
describe('coursegate admin on a data directory', { timeout: 120_000 }, () => {
  it('init and add-org create a data directory that does not exist yet', async () => {
    const dataDir = join(base, 'new/data');
    const init = await coursegate([
      'admin',
      'init',
      '--org',
      'Acme',
      '--email',
      'a@acme.test',
      '--data-dir',
      dataDir,
    ]);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toMatch(/API key:\s+cg_/);
    expect(readdirSync(dataDir)).toEqual(expect.arrayContaining([DATABASE_FILE, 'signing-keys.json']));

    const other = join(base, 'other/data');
    const add = await coursegate([
      'admin',
      'add-org',
      '--org',
      'Beta',
      '--email',
      'b@beta.test',
      '--data-dir',
      other,
    ]);
    expect(add.code, add.stderr).toBe(0);
    expect(existsSync(join(other, DATABASE_FILE))).toBe(true);

    // On the directory init made, the commands that need one work.
    const rotate = await coursegate(['admin', 'rotate-signing-key', '--data-dir', dataDir]);
    expect(rotate.code, rotate.stderr).toBe(0);
    expect(rotate.stdout).toMatch(/^New signing key \S+; 1 retired key\(s\) kept\.\n$/);
    const password = await coursegate([
      'admin',
      'set-password',
      '--email',
      'a@acme.test',
      '--data-dir',
      dataDir,
    ]);
    expect(password.code, password.stderr).toBe(0);
    expect(password.stdout).toMatch(/^Password for a@acme\.test: /);

    // An owner email that already belongs to a member is refused by the orgs service, as the API refuses it.
    const taken = await coursegate([
      'admin',
      'add-org',
      '--org',
      'Gamma',
      '--email',
      'a@acme.test',
      '--data-dir',
      dataDir,
    ]);
    expect(taken.code).toBe(1);
    oneLine(
      taken.stderr,
      /^coursegate: --email a@acme\.test already belongs to a member \[invalid_config\]\n$/,
    );
  });

  it('rotate-signing-key and set-password refuse a directory with no Gatekeeper database, creating nothing', async () => {
    const missing = join(base, 'nodir');
    const rotate = await coursegate(['admin', 'rotate-signing-key', '--data-dir', missing]);
    expect(rotate.code).toBe(1);
    oneLine(
      rotate.stderr,
      /^coursegate: No Gatekeeper database at .*nodir.*; check --data-dir \[invalid_config\]\n$/,
    );
    expect(existsSync(missing)).toBe(false);

    // A typo'd but existing folder must not get a new, empty database.
    const typo = join(base, 'typo');
    mkdirSync(typo);
    for (const args of [
      ['admin', 'set-password', '--email', 'a@acme.test', '--data-dir', typo],
      ['admin', 'rotate-signing-key', '--data-dir', typo],
    ]) {
      const r = await coursegate(args);
      expect(r.code).toBe(1);
      oneLine(
        r.stderr,
        /^coursegate: No Gatekeeper database at .*typo.*; check --data-dir \[invalid_config\]\n$/,
      );
    }
    expect(readdirSync(typo)).toEqual([]);
  });

  it.each([
    [['--org', '', '--email', 'o@acme.test'], /^coursegate: --org must not be empty \[invalid_config\]\n$/],
    [
      ['--org', '   ', '--email', 'o@acme.test'],
      /^coursegate: --org must not be empty \[invalid_config\]\n$/,
    ],
    [
      ['--org', 'Acme', '--email', 'not an email'],
      /^coursegate: --email "not an email" is not an email address \[invalid_config\]\n$/,
    ],
  ])('init and add-org refuse %j before touching the data directory', async (args, message) => {
    const dataDir = join(base, 'refused');
    for (const command of ['init', 'add-org']) {
      const r = await coursegate(['admin', command, ...args, '--data-dir', dataDir]);
      expect(r.code).toBe(1);
      oneLine(r.stderr, message);
    }
    expect(existsSync(dataDir)).toBe(false);
  });
});
