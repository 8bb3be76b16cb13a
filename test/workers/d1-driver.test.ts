import type { D1Database } from '@cloudflare/workers-types/latest/index.ts';
import { sql } from 'drizzle-orm';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateD1, openD1 } from '../../gatekeeper/db/d1.js';
import { createMember } from '../../gatekeeper/db/members.js';
import { readMigrations } from '../../gatekeeper/db/open-sqlite.js';
import { createOrg } from '../../gatekeeper/db/orgs.js';
import { orgs } from '../../gatekeeper/db/schema.js';
import { getSession, prepareSessionInsert } from '../../gatekeeper/db/sessions.js';
import { WORKER_COMPATIBILITY_DATE } from '../helpers/worker-target.js';

let mf: Miniflare;
let d1: D1Database;
beforeAll(async () => {
  mf = new Miniflare({
    modules: true,
    script: 'export default { fetch: () => new Response(null, { status: 404 }) }',
    compatibilityDate: WORKER_COMPATIBILITY_DATE,
    d1Databases: { DB: 'd1-driver' },
  });
  d1 = (await mf.getD1Database('DB')) as unknown as D1Database;
});
afterAll(() => mf.dispose());

const session = (id: string) => ({
  id,
  orgId: 'o',
  licenseId: 'l',
  courseId: 'c',
  deploymentId: 'd',
  standard: 'scorm12',
  createdAt: 1,
  expiresAt: 2,
});

describe('D1 data layer', () => {
  it('applies each SQL migration once, the same files as SQLite, with foreign keys enforced', async () => {
    const names = readMigrations()
      .map((m) => m.name)
      .sort();
    expect(await migrateD1(d1, readMigrations(), 1)).toEqual(names);
    expect(await migrateD1(d1, readMigrations(), 2)).toEqual([]);
    const db = openD1(d1);
    const applied = await db.orm.all<{ name: string }>(sql`SELECT name FROM _migrations ORDER BY name`);
    expect(applied.map((r) => r.name)).toEqual(names);
    const err = await createMember(db, {
      orgId: 'org_missing',
      email: 'a@b.test',
      role: 'owner',
      now: 1,
    }).then(
      () => undefined,
      (e: Error) => e,
    );
    // drizzle wraps the driver's error; D1's own message is the cause.
    expect(String(err?.cause)).toMatch(/FOREIGN KEY/);
  });

  it('batch() is atomic: one failing statement leaves nothing behind', async () => {
    const db = openD1(d1);
    const org = await createOrg(db, { name: 'A', now: 1 });
    await expect(
      db.batch([
        db.orm.insert(orgs).values({ id: 'org_new', name: 'B', createdAt: 1 }),
        db.orm.insert(orgs).values({ id: org.id, name: 'duplicate', createdAt: 1 }),
      ]),
    ).rejects.toThrow();
    expect((await db.orm.select().from(orgs).all()).map((o) => o.name)).toEqual(['A']);
  });

  it('batchPrepared() runs prepared writes with their values, atomically', async () => {
    const db = openD1(d1);
    const insert = prepareSessionInsert(db);
    await db.batchPrepared([insert(session('taken')), insert(session('a'))]);
    await expect(db.batchPrepared([insert(session('b')), insert(session('taken'))])).rejects.toThrow();
    expect(await getSession(db, 'a')).toMatchObject({ licenseId: 'l', expiresAt: 2 });
    expect(await getSession(db, 'b')).toBeUndefined();
  });
});
