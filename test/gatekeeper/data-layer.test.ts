import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { eq, sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../gatekeeper/crypto.js';
import type { NowQueries } from '../../gatekeeper/db/database.js';
import { createMember } from '../../gatekeeper/db/members.js';
import { openSqlite, readMigrations } from '../../gatekeeper/db/open-sqlite.js';
import { createOrg } from '../../gatekeeper/db/orgs.js';
import { apiKeys, launchEvents, licenses, sessions } from '../../gatekeeper/db/schema.js';
import { createTokenBucket } from '../../gatekeeper/http/rate-limit.js';
import { KEYS_FILE, openFileKeyStore } from '../../gatekeeper/keys/file-key-store.js';
import { createMemoryKeyStore } from '../../gatekeeper/keys/key-store.js';
import { createTestApp } from '../helpers/gatekeeper.js';
import { seedLicenses } from '../helpers/gatekeeper-process.js';

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

describe('API keys', () => {
  it('are stored as their sha256 only, and the key still authenticates', async () => {
    const t = await createTestApp();
    const { owner, member } = await t.org('Acme');
    const rows = JSON.stringify(await t.db.orm.select().from(apiKeys).all());
    for (const { key } of [owner, member]) {
      expect(rows).not.toContain(key);
      expect(rows).toContain(createHash('sha256').update(key).digest('hex'));
    }
    expect((await t.call('GET', '/v1/courses', { key: owner.key })).status).toBe(200);
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

describe('grouped work (the launch path on SQLite)', () => {
  const session = (id: string, licenseId = 'l') => ({
    id,
    orgId: 'o',
    licenseId,
    courseId: 'c',
    deploymentId: 'd',
    standard: 'scorm12',
    createdAt: 1,
    expiresAt: 2,
  });

  it('runs each unit’s read-then-write atomically, in arrival order, seeing the earlier units’ writes', async () => {
    const db = await openSqlite({ file: ':memory:' });
    const { prepareSessionInsert } = await import('../../gatekeeper/db/sessions.js');
    const insert = prepareSessionInsert(db);
    const count = db.orm
      .select({ n: sql<number>`count(*)` })
      .from(sessions)
      .where(eq(sessions.licenseId, sql.placeholder('license')))
      .prepare();
    // Each unit writes only while fewer than two sessions exist: a read-then-write that would race if
    // the units did not see each other's writes.
    const unit = (id: string) =>
      db.grouped!((now) => {
        const seen = now.get<{ n: number }>(count, { license: 'l' })!.n;
        if (seen < 2) now.run(...insert(session(id)));
        return seen;
      });
    expect(await Promise.all([unit('a'), unit('b'), unit('c')])).toEqual([0, 1, 2]);
    expect((await db.orm.select().from(sessions)).map((s) => s.id)).toEqual(['a', 'b']);
  });

  it('runs a unit that throws again alone: the others commit, its own writes do not', async () => {
    const db = await openSqlite({ file: ':memory:' });
    const { prepareSessionInsert } = await import('../../gatekeeper/db/sessions.js');
    const insert = prepareSessionInsert(db);
    const results = await Promise.allSettled([
      db.grouped!((now) => now.run(...insert(session('a')))),
      db.grouped!((now) => {
        now.run(...insert(session('b')));
        throw new Error('judged wrong');
      }),
      db.grouped!((now) => now.run(...insert(session('c')))),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((await db.orm.select().from(sessions)).map((s) => s.id).sort()).toEqual(['a', 'c']);
  });

  it('waits for another process’s write lock instead of failing a launch with SQLITE_BUSY', async () => {
    const file = join(tempDir(), 'db.sqlite');
    const db = await openSqlite({ file });
    const { prepareSessionInsert } = await import('../../gatekeeper/db/sessions.js');
    const insert = prepareSessionInsert(db);
    const count = db.orm.select({ n: sql<number>`count(*)` }).from(sessions).prepare();
    // Another connection (the CLI's admin commands open the same file) holds the write lock for 300 ms;
    // a thread of its own, since this thread blocks while SQLite waits.
    const holder = new Worker(
      `const Sqlite = require(${JSON.stringify(createRequire(import.meta.url).resolve('better-sqlite3'))});
       const { parentPort, workerData } = require('node:worker_threads');
       const db = new Sqlite(workerData);
       db.exec('BEGIN IMMEDIATE');
       db.prepare("INSERT INTO sessions VALUES ('held', 'o', 'l', 'c', 'd', 'cmi5', 1, 2)").run();
       parentPort.postMessage('locked');
       Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
       db.exec('COMMIT');
       db.close();`,
      { eval: true, workerData: file },
    );
    await new Promise((resolve) => holder.once('message', resolve));
    // Reads first, then writes, as the launch check does.
    const seen = await db.grouped!((now) => {
      const n = now.get<{ n: number }>(count, {})!.n;
      now.run(...insert(session('after')));
      return n;
    });
    expect(seen).toBe(1);
    expect((await db.orm.select().from(sessions)).map((s) => s.id).sort()).toEqual(['after', 'held']);
    await holder.terminate();
    await db.close();
  });

  it('refuses work that awaits, and a write with a value missing, writing nothing of either', async () => {
    const db = await openSqlite({ file: ':memory:' });
    const { prepareSessionInsert } = await import('../../gatekeeper/db/sessions.js');
    const insert = prepareSessionInsert(db);
    const awaiting = (async (now: NowQueries) => {
      now.run(...insert(session('before-await')));
      await null;
    }) as never;
    await expect(db.grouped!(awaiting)).rejects.toThrow(/must be synchronous/);
    const { expiresAt: _, ...incomplete } = session('incomplete');
    await expect(db.grouped!((now) => now.run(insert(session('x'))[0], incomplete))).rejects.toThrow(
      'No value for placeholder "expiresAt" was provided',
    );
    expect(await db.orm.select().from(sessions)).toEqual([]);
  });

  it('reads and writes through the prepared statements exactly as drizzle does', async () => {
    const db = await openSqlite({ file: ':memory:' });
    const { prepareLaunchLookup } = await import('../../gatekeeper/db/licenses.js');
    const { prepareLaunchEventInsert } = await import('../../gatekeeper/db/launch-events.js');
    const keys = await createMemoryKeyStore();
    const { orgId, courseId } = await seedLicenses(db, keys, 'https://gk.test', {
      name: 'Rows',
      allowedOrigins: ['https://lms.test'],
      dated: true,
    });
    const [license] = await db.orm.select().from(licenses).where(eq(licenses.orgId, orgId));
    const lookup = prepareLaunchLookup(db);
    const viaDrizzle = await lookup.read(license!.id);
    // Nulls (no cap) and integers (dates) come back as drizzle gives them.
    expect(viaDrizzle).toMatchObject({ courseId, launchCap: null, startsAt: license!.startsAt });
    expect(await db.grouped!((now) => now.get(lookup.query, { id: license!.id }))).toEqual(viaDrizzle);
    expect(await db.grouped!((now) => now.get(lookup.query, { id: 'lic_none' }))).toBeUndefined();

    const event = prepareLaunchEventInsert(db);
    const row = {
      licenseId: license!.id,
      orgId,
      allowed: true,
      reason: 'ok',
      detail: null,
      origin: 'https://lms.test',
      standard: 'cmi5',
      sessionId: 'ses_1',
      at: 5,
    };
    await db.grouped!((now) => now.run(...event(row)));
    await db.batchPrepared([event({ ...row, allowed: false, sessionId: null })]);
    const stored = await db.orm.select().from(launchEvents).orderBy(launchEvents.id);
    expect(stored.map(({ id: _, ...r }) => r)).toEqual([row, { ...row, allowed: false, sessionId: null }]);
  });
});
