import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCourse, setLiveDeploymentStatement } from '../../gatekeeper/db/courses.js';
import { createDeployment } from '../../gatekeeper/db/deployments.js';
import { listLaunchEvents } from '../../gatekeeper/db/launch-events.js';
import { seedDeployment } from '../../gatekeeper/demo/seed-deployment.js';
import { createStorage } from '../../gatekeeper/storage/factory.js';
import type { Storage } from '../../gatekeeper/storage/types.js';
import { inspectPackage } from '../../packager/inspect.js';
import { ensureRuntimeBuild } from '../../scripts/ensure-runtime-build.ts';
import { createTestApp, TEST_PUBLIC_URL, type TestApp, testOrgOrigin } from '../helpers/gatekeeper.js';
import { ROOT } from '../helpers/paths.js';
import { sharedFile } from '../helpers/shared.js';
import { validateXml } from '../helpers/xmllint.js';

const multi = sharedFile('fixtures/scorm/golf-scorm2004v3-multi-sco.zip');
let dir: string;
let t: TestApp;
const logged: unknown[] = [];
let owner: string;
let member: string;
let courseId: string;
let licenseId: string;
let token: string;
let content: string;
let storage: Storage;

beforeAll(async () => {
  ensureRuntimeBuild(ROOT);
  dir = mkdtempSync(join(tmpdir(), 'cg-gp-'));
  t = await createTestApp({
    storage: await createStorage({ driver: 'fs', root: dir }),
    logger: (e) => logged.push(e),
  });
  // The bucket the Worker serves from when the suite runs on it (the `workers` project), else the fs one.
  storage = t.storage!;
  const a = await t.org('Acme');
  content = testOrgOrigin(a.org.id);
  owner = a.owner.key;
  member = a.member.key;
  const course = await createCourse(t.db, { orgId: a.org.id, slug: 'golf', title: 'Golf', now: 1 });
  courseId = course.id;
  await seedDeployment({
    db: t.db,
    storage,
    orgId: a.org.id,
    memberId: a.owner.member.id,
    courseId,
    files: readFileSync(multi.path!),
    entry: 'shared/launchpage.html',
    playerDir: join(ROOT, 'dist/player'),
    // What `coursegate deploy` records of a package: its SCOs, which the export lists.
    metadata: { items: (await inspectPackage(multi.path!)).launchables },
    now: 1,
  });
  const res = await t.call('POST', '/v1/licenses', { key: owner, body: { courseId, clientName: 'LMS' } });
  const body = (await res.json()) as { license: { id: string }; token: string };
  licenseId = body.license.id;
  token = body.token;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function pkg(format: string, key = member) {
  const res = await t.call('GET', `/v1/licenses/${licenseId}/package?format=${format}`, { key });
  return { res, files: res.status === 200 ? unzipSync(new Uint8Array(await res.arrayBuffer())) : {} };
}

describe('GET /v1/licenses/:id/package', () => {
  it.skipIf(!multi.path)(
    'a gated SCORM 2004 zip is the deployment’s own manifest, byte for byte, and a stub page at each launched path',
    async () => {
      const { res, files } = await pkg('scorm2004');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/zip');
      const original = unzipSync(readFileSync(multi.path!))['imsmanifest.xml']!;
      expect(Buffer.from(files['imsmanifest.xml']!).equals(Buffer.from(original))).toBe(true);
      // No course content: the manifest, the stub and the pages the manifest launches, at their own paths.
      const pages = Object.keys(files).filter((f) => f.endsWith('.html'));
      expect(pages.length).toBeGreaterThan(1);
      expect(Object.keys(files).sort()).toEqual(['coursegate-stub.js', 'imsmanifest.xml', ...pages].sort());
      const page = strFromU8(files['Playing/Par.html']!);
      expect(page).toContain(`"gatekeeper":"${TEST_PUBLIC_URL}"`);
      expect(page).toContain(token);
      expect(page).toContain('"entry":"Playing/Par.html"');
      expect(page).toContain('"asset":true');
      expect(page).toContain('src="../coursegate-stub.js"');
    },
  );

  it.skipIf(!multi.path)('a gated SCORM 1.2 zip validates against the XSD', async () => {
    const { res, files } = await pkg('scorm12');
    expect(res.status).toBe(200);
    await validateXml({ xml: strFromU8(files['imsmanifest.xml']!) }, 'scorm12');
  });

  it.skipIf(!multi.path)(
    'a gated cmi5 zip of a SCORM deployment is the export’s cmi5.xml, its AU launching through the launch page on the content origin',
    async () => {
      const { res, files } = await pkg('cmi5');
      expect(res.status).toBe(200);
      expect(Object.keys(files)).toEqual(['cmi5.xml']);
      const xml = strFromU8(files['cmi5.xml']!);
      await validateXml({ xml }, 'cmi5');
      // On the org's own origin: a page holding a license token shares no origin with another org's courses.
      const page = `${content}/courses/${courseId}/_coursegate/cmi5-launch.html`;
      const urls = [...xml.matchAll(/<url>([^<]+)<\/url>/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
      // The export lists SCOs; every resource of this course is an asset, so it exports one AU launching
      // the entry, and that one AU follows the live entry (no `au`).
      expect(urls).toEqual([`${page}?t=${token}`]);
      expect(xml).not.toContain(TEST_PUBLIC_URL);
      // The page itself is in storage at the course-level key, pointing at this Gatekeeper.
      const got = await storage.get(`courses/${courseId}/_coursegate/cmi5-launch.html`);
      const stored = await new Response(got!.body).text();
      expect(stored).toContain(`"gatekeeper":"${TEST_PUBLIC_URL}"`);
    },
  );

  it('a course deployed from a folder keeps its mastery score in every format', async () => {
    const a = await t.org('Scored');
    const course = await createCourse(t.db, { orgId: a.org.id, slug: 'quiz', title: 'Quiz', now: 1 });
    const dep = await createDeployment(t.db, {
      orgId: a.org.id,
      courseId: course.id,
      entry: 'index.html',
      files: [{ path: 'index.html', sha256: '0'.repeat(64), size: 1 }],
      metadata: JSON.stringify({ masteryScore: 0.6 }),
      now: 1,
    });
    await t.db.batch([setLiveDeploymentStatement(t.db, course.id, dep.id)]);
    const created = await t.call('POST', '/v1/licenses', {
      key: a.owner.key,
      body: { courseId: course.id, clientName: 'LMS' },
    });
    const { license } = (await created.json()) as { license: { id: string } };
    const manifest = async (format: string, file: string) => {
      const res = await t.call('GET', `/v1/licenses/${license.id}/package?format=${format}`, {
        key: a.owner.key,
      });
      expect(res.status).toBe(200);
      return strFromU8(unzipSync(new Uint8Array(await res.arrayBuffer()))[file]!);
    };
    expect(await manifest('scorm12', 'imsmanifest.xml')).toContain(
      '<adlcp:masteryscore>60</adlcp:masteryscore>',
    );
    expect(await manifest('scorm2004', 'imsmanifest.xml')).toContain(
      '<imsss:minNormalizedMeasure>0.6</imsss:minNormalizedMeasure>',
    );
    expect(await manifest('cmi5', 'cmi5.xml')).toMatch(/moveOn="CompletedOrPassed" masteryScore="0.6"/);
  });

  it('refuses an unknown format', async () => {
    expect((await pkg('zip')).res.status).toBe(400);
  });
});

describe('POST /v1/launch on a seeded deployment', () => {
  it.skipIf(!multi.path)('answers contentBase, the deployment root every SCO entry hangs below', async () => {
    const res = await t.call('POST', '/v1/launch', { body: { token, standard: 'scorm2004' } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { contentUrl: string; contentBase: string };
    expect(body.contentBase).toMatch(new RegExp(`^${content}/courses/${courseId}/dep_[^/]+/$`));
    expect(body.contentUrl).toBe(`${body.contentBase}shared/launchpage.html`);
  });
});

describe('the former cmi5 redirect', () => {
  it.skipIf(!multi.path)('is gone: a URL with LMS parameters there reaches no launch check', async () => {
    const before = (await listLaunchEvents(t.db, licenseId)).length;
    const params = 'actor=%7B%22mbox%22%3A%22mailto%3Ajane%40example.com%22%7D&registration=r-1';
    const res = await t.request(`/v1/launch/cmi5/${token}?${params}`);
    expect(res.status).toBe(404);
    expect(await listLaunchEvents(t.db, licenseId)).toHaveLength(before);
  });
});
