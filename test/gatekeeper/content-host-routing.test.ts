import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCourseOf } from '../../gatekeeper/courses/service.js';
import type { Database } from '../../gatekeeper/db/database.js';
import { DATABASE_FILE } from '../../gatekeeper/db/database-file.js';
import { openSqlite } from '../../gatekeeper/db/open-sqlite.js';
import { courses, orgs } from '../../gatekeeper/db/schema.js';
import { createOrgWithOwner } from '../../gatekeeper/orgs/service.js';
import { createFsStorage } from '../../gatekeeper/storage/index.js';
import { startGatekeeper } from '../helpers/gatekeeper.js';
import { loopbackFetch } from '../helpers/loopback-fetch.js';

/**
 * The fs content listener of a real Gatekeeper, reached over HTTP on loopback with the `Host` a browser
 * sends for each origin: a course's files answer only on its own org's host.
 */
describe('content listener: one origin per organisation, routed by Host', () => {
  let gk: Awaited<ReturnType<typeof startGatekeeper>>;
  let db: Database;
  const port = () => new URL(gk.contentUrl).port;
  const orgHost = (orgId: string) => `http://${orgId.replace(/^org_/, 'org-')}.localhost:${port()}`;
  const course: Record<'a' | 'b', { org: string; id: string; path: string }> = {} as never;

  beforeAll(async () => {
    gk = await startGatekeeper();
    db = await openSqlite({ file: join(gk.dataDir, DATABASE_FILE) });
    const storage = await createFsStorage({ root: join(gk.dataDir, 'content') });
    const services = { db, now: () => new Date() };
    for (const name of ['a', 'b'] as const) {
      const made = await createOrgWithOwner(services, {
        name,
        owner: { email: `${name}@example.test` },
        keyName: 'k',
      });
      const c = await createCourseOf(services, { orgId: made.org.id }, { slug: 'intro', title: name });
      const path = `/courses/${c.id}/dep_1/index.html`;
      await storage.put(path.slice(1), new TextEncoder().encode(`<title>${name}</title>`), {
        contentType: 'text/html',
      });
      course[name] = { org: made.org.id, id: c.id, path };
    }
  });
  afterAll(async () => {
    await db?.close();
    await gk?.close();
  });

  it("serves a course on its org's host, and 404 on another org's, on the shared host and on unknown hosts", async () => {
    const { a, b } = course;
    const status = async (base: string, path: string) => (await loopbackFetch(`${base}${path}`)).status;
    expect(await (await loopbackFetch(`${orgHost(a.org)}${a.path}`)).text()).toBe('<title>a</title>');
    expect(await status(orgHost(b.org), b.path)).toBe(200);
    expect(await status(orgHost(b.org), a.path)).toBe(404);
    expect(await status(orgHost(a.org), b.path)).toBe(404);
    expect(await status(gk.contentUrl, a.path)).toBe(404);
    expect(await status(`http://org-00000000-0000-4000-8000-000000000000.localhost:${port()}`, a.path)).toBe(
      404,
    );
    expect(await status(`http://evil.localhost:${port()}`, a.path)).toBe(404);
    // HEAD answers as GET does: nothing tells another org's file from a missing one.
    expect((await loopbackFetch(`${orgHost(b.org)}${a.path}`, { method: 'HEAD' })).status).toBe(404);
  });

  it('serves on the host of a content URL the operator set for the org, and only that org’s courses', async () => {
    const { a, b } = course;
    await db.orm
      .update(orgs)
      .set({ contentUrl: `http://acme.localhost:${port()}`, contentHost: `acme.localhost:${port()}` })
      .where(eq(orgs.id, a.org));
    expect((await loopbackFetch(`http://acme.localhost:${port()}${a.path}`)).status).toBe(200);
    expect((await loopbackFetch(`http://acme.localhost:${port()}${b.path}`)).status).toBe(404);
  });

  it('the shared host keeps serving a course deployed before the split, until its next deployment', async () => {
    const { a, b } = course;
    await db.orm.update(courses).set({ sharedOrigin: 1 }).where(eq(courses.id, a.id));
    expect((await loopbackFetch(`${gk.contentUrl}${a.path}`)).status).toBe(200);
    expect((await loopbackFetch(`${gk.contentUrl}${b.path}`)).status).toBe(404);
    // …and on its org's own host as well: the launch now sends learners there.
    expect((await loopbackFetch(`${orgHost(a.org)}${a.path}`)).status).toBe(200);
  });
});
