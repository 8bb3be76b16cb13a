import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCourseOf } from '../../gatekeeper/courses/service.js';
import { listAuditEvents } from '../../gatekeeper/db/audit-events.js';
import type { Database } from '../../gatekeeper/db/database.js';
import { DATABASE_FILE } from '../../gatekeeper/db/database-file.js';
import { openSqlite } from '../../gatekeeper/db/open-sqlite.js';
import { seedDeployment } from '../../gatekeeper/demo/seed-deployment.js';
import { createOrgWithOwner } from '../../gatekeeper/orgs/service.js';
import { createFsStorage } from '../../gatekeeper/storage/index.js';
import { startGatekeeper } from '../helpers/gatekeeper.js';
import { loopbackFetch } from '../helpers/loopback-fetch.js';
import { ROOT } from '../helpers/paths.js';
import { runCoursegate } from '../packager/run-cli.js';

/**
 * `coursegate admin set-content-url` on a running Gatekeeper's data dir: the next launch answers the new
 * origin, the content listener serves the org's courses on that host (and no other org's), all without a
 * restart; the change is in the org's audit trail.
 */
describe('coursegate admin set-content-url', { timeout: 120_000 }, () => {
  let gk: Awaited<ReturnType<typeof startGatekeeper>>;
  let db: Database;
  const orgs: { id: string; token: string; path: string }[] = [];

  beforeAll(async () => {
    gk = await startGatekeeper();
    db = await openSqlite({ file: join(gk.dataDir, DATABASE_FILE) });
    const storage = await createFsStorage({ root: join(gk.dataDir, 'content') });
    const services = { db, now: () => new Date() };
    for (const name of ['acme', 'beta']) {
      const made = await createOrgWithOwner(services, {
        name,
        owner: { email: `${name}@example.test` },
        keyName: 'k',
      });
      const course = await createCourseOf(services, { orgId: made.org.id }, { slug: name, title: name });
      const d = await seedDeployment({
        db,
        storage,
        orgId: made.org.id,
        memberId: made.owner.id,
        courseId: course.id,
        files: { 'index.html': new TextEncoder().encode(`<title>${name}</title>`) },
        entry: 'index.html',
        playerDir: join(ROOT, 'dist/player'),
        now: Date.now(),
      });
      const res = await fetch(`${gk.listenUrl}/v1/licenses`, {
        method: 'POST',
        headers: { authorization: `Bearer ${made.key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ courseId: course.id, clientName: 'LMS' }),
      });
      const { token } = (await res.json()) as { token: string };
      orgs.push({ id: made.org.id, token, path: `/courses/${course.id}/${d.id}/index.html` });
    }
  });
  afterAll(async () => {
    await db?.close();
    await gk?.close();
  });

  const launch = async (token: string) => {
    const res = await fetch(`${gk.listenUrl}/v1/launch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token, standard: 'scorm12' }),
    });
    return ((await res.json()) as { contentUrl: string }).contentUrl;
  };
  const admin = (args: string[]) =>
    runCoursegate(['admin', 'set-content-url', ...args, '--data-dir', gk.dataDir], { isolated: true });

  it('moves an org to its own host at the next launch, and back with --clear; audited', async () => {
    const [acme, beta] = orgs as [(typeof orgs)[0], (typeof orgs)[0]];
    const port = new URL(gk.contentUrl).port;
    const own = `http://courses.acme.localhost:${port}`;
    const set = await admin([acme.id, `${own}/`, '--reason', 'custom domain']);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain(`served from ${own} from its next launch`);
    expect(await launch(acme.token)).toBe(`${own}${acme.path}`);
    expect((await loopbackFetch(`${own}${acme.path}`)).status).toBe(200);
    expect((await loopbackFetch(`${own}${beta.path}`)).status).toBe(404);
    expect(new URL(await launch(beta.token)).host).toBe(
      `${beta.id.replace('org_', 'org-')}.localhost:${port}`,
    );

    const taken = await admin([beta.id, own]);
    expect(taken.code).not.toBe(0);
    expect(taken.stderr).toContain('already serves another organisation');
    const bad = await admin([acme.id, 'ftp://x.example']);
    expect(bad.code).not.toBe(0);

    const cleared = await admin([acme.id, '--clear']);
    expect(cleared.code, cleared.stderr).toBe(0);
    expect(new URL(await launch(acme.token)).host).toBe(
      `${acme.id.replace('org_', 'org-')}.localhost:${port}`,
    );
    expect((await loopbackFetch(`${own}${acme.path}`)).status).toBe(404);
    const trail = (await listAuditEvents(db, acme.id)).filter((e) => e.action === 'org.content_url');
    expect(trail.map((e) => [e.fromValue, e.toValue, e.actor])).toEqual([
      [own, null, 'cli'],
      [null, own, 'cli'],
    ]);
    expect(trail[1]!.reason).toBe('custom domain');
  });
});
