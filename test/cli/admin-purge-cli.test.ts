import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../gatekeeper/db/database-file.js';
import { ingestSetup, postStatements, statement } from '../gatekeeper/ingest-setup.js';
import { createTestApp } from '../helpers/gatekeeper.js';
import { runCoursegate } from '../packager/run-cli.js';

const DAY = 86_400_000;

/** `coursegate` in this process, with only PATH, a private HOME and `env` in its environment. */
function coursegate(args: string[], env: Record<string, string> = {}) {
  return runCoursegate(args, { env: { HOME: dir, ...env }, isolated: true });
}

const dir = mkdtempSync(join(tmpdir(), 'cg-purge-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A data dir whose database holds one session 100 days old and one from today, each with a statement:
 * seeded through the in-memory test app, then written out whole with `VACUUM INTO`.
 */
async function seed() {
  const t = await createTestApp();
  t.clock.now = new Date(Date.now() - 100 * DAY);
  const s = await ingestSetup(t);
  const old = await s.launch();
  expect((await postStatements(t, old.token, [statement(old.id)])).status).toBe(200);
  t.clock.now = new Date();
  const recent = await s.launch();
  expect((await postStatements(t, recent.token, [statement(recent.id)])).status).toBe(200);
  await t.db.orm.run(sql`VACUUM INTO ${join(dir, DATABASE_FILE)}`);
  await t.db.close();
  return { old, recent };
}

function rows(sql: string): Record<string, unknown>[] {
  const db = new Sqlite(join(dir, DATABASE_FILE), { readonly: true });
  try {
    return db.prepare(sql).all() as Record<string, unknown>[];
  } finally {
    db.close();
  }
}

describe('coursegate admin purge', { timeout: 120_000 }, () => {
  it('--dry-run counts, then the purge removes only what is older than --days, and says so', async () => {
    const { old, recent } = await seed();
    const dry = await coursegate(['admin', 'purge', '--data-dir', dir, '--days', '30', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/^Would remove records older than 30 days/);
    expect(dry.stdout).toMatch(/\b1 {2}xAPI statements/);
    expect(dry.stdout).toMatch(/\b1 {2}completion records/);
    expect(dry.stdout).toMatch(/\b1 {2}launch events/);
    expect(rows('SELECT session_id FROM statements')).toHaveLength(2);

    const purge = await coursegate(['admin', 'purge', '--data-dir', dir, '--days', '30']);
    expect(purge.code, purge.stderr).toBe(0);
    expect(purge.stdout).toMatch(/^Removed records older than 30 days/);
    expect(purge.stdout).toMatch(/\b1 {2}xAPI statements/);
    expect(rows('SELECT session_id FROM statements')).toEqual([{ session_id: recent.id }]);
    expect(rows('SELECT session_id FROM completions')).toEqual([{ session_id: recent.id }]);
    expect(rows('SELECT session_id FROM launch_events').map((r) => r.session_id)).not.toContain(old.id);

    // Nothing left that old: a second run removes nothing.
    const again = await coursegate(['admin', 'purge', '--data-dir', dir, '--days', '30']);
    expect(again.stdout).toMatch(/\b0 {2}xAPI statements/);
    // The default is the server's own setting.
    const env = await coursegate(['admin', 'purge', '--data-dir', dir, '--dry-run'], {
      COURSEGATE_RETENTION_DAYS: '7',
    });
    expect(env.stdout).toMatch(/older than 7 days/);
  });

  it('refuses a bad --days and a directory with no Gatekeeper database', async () => {
    const zero = await coursegate(['admin', 'purge', '--data-dir', dir, '--days', '0']);
    expect([zero.code, zero.stderr]).toEqual([
      1,
      expect.stringMatching(/--days must be a positive integer up to 36500 \[invalid_config\]/),
    ]);
    const empty = mkdtempSync(join(tmpdir(), 'cg-purge-empty-'));
    const none = await coursegate(['admin', 'purge', '--data-dir', empty]);
    rmSync(empty, { recursive: true, force: true });
    expect([none.code, none.stderr]).toEqual([1, expect.stringMatching(/No Gatekeeper database/)]);
  });
});
