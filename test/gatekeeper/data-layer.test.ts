import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../gatekeeper/crypto.js';
import { createMember } from '../../gatekeeper/db/members.js';
import { openSqlite, readMigrations } from '../../gatekeeper/db/open-sqlite.js';
import { createOrg } from '../../gatekeeper/db/orgs.js';
import { KEYS_FILE, openFileKeyStore } from '../../gatekeeper/keys/file-key-store.js';
import { createTokenBucket } from '../../gatekeeper/rate-limit.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'cg-data-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('SQLite data layer', () => {
  it('opens in WAL mode with foreign keys on, and applies each migration once', async () => {
    const file = join(tempDir(), 'db.sqlite');
    const db = await openSqlite({ file });
    expect(db.orm.get<{ journal_mode: string }>(sql`PRAGMA journal_mode`)).toMatchObject({
      journal_mode: 'wal',
    });
    const fk = await db.orm.get<{ foreign_keys: number }>(sql`PRAGMA foreign_keys`);
    expect(fk?.foreign_keys).toBe(1);
    await expect(
      createMember(db, { orgId: 'org_missing', email: 'a@b.test', role: 'owner', now: 1 }),
    ).rejects.toThrow(/FOREIGN KEY/);
    await createOrg(db, { name: 'Kept', now: 1 });
    await db.close();
    const again = await openSqlite({ file });
    const applied = await again.orm.all<{ name: string }>(sql`SELECT name FROM _migrations`);
    expect(applied.map((r) => r.name)).toEqual(
      readMigrations()
        .map((m) => m.name)
        .sort(),
    );
    expect(await again.orm.all(sql`SELECT name FROM orgs`)).toEqual([{ name: 'Kept' }]);
    await again.close();
  });

  it('batch() is atomic: one failing statement leaves nothing behind', async () => {
    const db = await openSqlite({ file: ':memory:' });
    const org = await createOrg(db, { name: 'A', now: 1 });
    const { orgs } = await import('../../gatekeeper/db/schema.js');
    await expect(
      db.batch([
        db.orm.insert(orgs).values({ id: 'org_new', name: 'B', createdAt: 1 }),
        db.orm.insert(orgs).values({ id: org.id, name: 'duplicate', createdAt: 1 }),
      ]),
    ).rejects.toThrow();
    expect((await db.orm.select().from(orgs).all()).map((o) => o.name)).toEqual(['A']);
  });
});

describe('passwords', () => {
  it('are stored as scrypt hashes that verify only the right password', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(stored).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(stored).not.toContain('correct');
    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
    expect(await verifyPassword('wrong horse battery', stored)).toBe(false);
  });
});

describe('file key store', () => {
  it('creates an Ed25519 key on first start with 0600 permissions and keeps rotations across restarts', async () => {
    const dir = tempDir();
    const keys = await openFileKeyStore(dir);
    expect(statSync(join(dir, KEYS_FILE)).mode & 0o777).toBe(0o600);
    const [first] = keys.list();
    expect(first?.publicJwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519' });
    const second = await keys.rotate(2);
    const reopened = await openFileKeyStore(dir);
    expect(reopened.list().map((k) => [k.kid, k.retiredAt])).toEqual([
      [first?.kid, 2],
      [second.kid, null],
    ]);
    expect(Buffer.from(reopened.sessionSecret)).toEqual(Buffer.from(keys.sessionSecret));
    expect(statSync(join(dir, KEYS_FILE)).mode & 0o777).toBe(0o600);
    await expect(reopened.remove(second.kid)).rejects.toThrow(/active/);
  });
});

describe('token bucket', () => {
  it('allows a burst, refuses beyond it, and refills with time', () => {
    const bucket = createTokenBucket({ capacity: 3, refillPerSecond: 1 });
    expect([1, 2, 3, 4].map(() => bucket.take('k', 0))).toEqual([true, true, true, false]);
    expect(bucket.take('other', 0)).toBe(true);
    expect(bucket.take('k', 1000)).toBe(true);
    expect(bucket.take('k', 1000)).toBe(false);
  });
});

describe('group commit of prepared writes', () => {
  it('commits concurrent batches together, and one failing batch does not fail the others', async () => {
    const db = await openSqlite({ file: ':memory:' });
    const { prepareSessionInsert, getSession } = await import('../../gatekeeper/db/sessions.js');
    const insert = prepareSessionInsert(db);
    const row = (id: string) => ({
      id,
      orgId: 'o',
      licenseId: 'l',
      courseId: 'c',
      deploymentId: 'd',
      standard: 'scorm12',
      createdAt: 1,
      expiresAt: 2,
    });
    await db.batchPrepared([insert(row('taken'))]);
    const results = await Promise.allSettled([
      db.batchPrepared([insert(row('a'))]),
      db.batchPrepared([insert(row('b')), insert(row('taken'))]),
      db.batchPrepared([insert(row('c'))]),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await getSession(db, 'a')).toBeDefined();
    expect(await getSession(db, 'b')).toBeUndefined();
    expect(await getSession(db, 'c')).toBeDefined();
  });
});
