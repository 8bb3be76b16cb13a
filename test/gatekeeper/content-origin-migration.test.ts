import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createHostAccess } from '../../gatekeeper/content/host-access.js';
import { createCourseOf } from '../../gatekeeper/courses/service.js';
import { DATABASE_FILE } from '../../gatekeeper/db/database-file.js';
import { createDeployment } from '../../gatekeeper/db/deployments.js';
import { openSqlite, readMigrations } from '../../gatekeeper/db/open-sqlite.js';
import { finalizeDeployment } from '../../gatekeeper/deployments/finalize.js';
import { deploymentKey } from '../../gatekeeper/deployments/keys.js';
import { PLAYER_DIR, PLAYER_FILE_NAMES } from '../../gatekeeper/deployments/player-files.js';
import { createFsStorage } from '../../gatekeeper/storage/index.js';

const dir = mkdtempSync(join(tmpdir(), 'cg-origin-mig-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SHARED = 'http://127.0.0.1:8788';
const ORG = 'org_00000000-0000-4000-8000-00000000000a';
const OLD = 'crs_old';

/** A database as the previous release left it: every migration before the split, one org with one course. */
function olderDatabase(file: string) {
  const sqlite = new Sqlite(file);
  sqlite.exec('CREATE TABLE _migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)');
  for (const m of readMigrations().filter((m) => m.name < '0005')) {
    for (const stmt of m.sql.split('--> statement-breakpoint')) if (stmt.trim()) sqlite.exec(stmt);
    sqlite.prepare('INSERT INTO _migrations VALUES (?, 1)').run(m.name);
  }
  sqlite.prepare("INSERT INTO orgs (id, name, created_at) VALUES (?, 'Old', 1)").run(ORG);
  sqlite
    .prepare("INSERT INTO courses (id, org_id, slug, title, created_at) VALUES (?, ?, 'old', 'Old', 1)")
    .run(OLD, ORG);
  sqlite.close();
}

describe('migration to one content origin per organisation', () => {
  it('keeps courses deployed before it on the shared origin until their next deployment; new ones never are', async () => {
    const file = join(dir, DATABASE_FILE);
    olderDatabase(file);
    const db = await openSqlite({ file });
    const storage = await createFsStorage({ root: join(dir, 'content') });
    const access = createHostAccess({
      db,
      origins: { shared: SHARED, template: 'http://{org}.localhost:8788' },
    });
    const orgHost = `${ORG.replace('org_', 'org-')}.localhost:8788`;
    const key = (course: string) => `courses/${course}/dep_x/index.html`;

    // Old URLs keep working, and the org's own origin serves the course too.
    expect(await access('127.0.0.1:8788', key(OLD))).toBe(true);
    expect(await access(orgHost, key(OLD))).toBe(true);
    // A course made after the migration is on its org's origin only.
    const now = () => new Date();
    const fresh = await createCourseOf({ db, now }, { orgId: ORG }, { slug: 'new', title: 'New' });
    expect(await access('127.0.0.1:8788', key(fresh.id))).toBe(false);
    expect(await access(orgHost, key(fresh.id))).toBe(true);

    // The old course's next deployment, once finalized, takes it off the shared origin.
    const bytes = new TextEncoder().encode('<title>v2</title>');
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const d = await createDeployment(db, {
      orgId: ORG,
      courseId: OLD,
      entry: 'index.html',
      files: [{ path: 'index.html', sha256, size: bytes.length }],
      status: 'uploading',
      now: Date.now(),
    });
    await storage.put(deploymentKey(OLD, d.id, 'index.html'), bytes, { contentType: 'text/html' });
    for (const name of PLAYER_FILE_NAMES)
      await storage.put(deploymentKey(OLD, d.id, `${PLAYER_DIR}/${name}`), bytes, {
        contentType: 'text/plain',
      });
    expect(await access('127.0.0.1:8788', key(OLD))).toBe(true);
    await finalizeDeployment({ db, storage, now }, ORG, d.id);
    expect(await access('127.0.0.1:8788', key(OLD))).toBe(false);
    expect(await access(orgHost, key(OLD))).toBe(true);
    await db.close();
  });
});
