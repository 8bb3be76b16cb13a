import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCmi5Structure } from '../../formats/inspect/cmi5.js';
import { readScormManifest } from '../../formats/inspect/scorm.js';
import { parseXml } from '../../formats/xml/parse.js';
import { createCourse, setLiveDeploymentStatement } from '../../gatekeeper/db/courses.js';
import { createDeployment } from '../../gatekeeper/db/deployments.js';
import { exportDeployment } from '../../gatekeeper/deployments/export.js';
import { runDeploy } from '../../packager/commands/deploy.js';
import { startDeployGatekeeper } from '../helpers/deploy-gatekeeper.js';
import { tempFsStorage } from '../helpers/fs-storage.js';
import { createTestApp } from '../helpers/gatekeeper.js';
import { loopbackFetch } from '../helpers/loopback-fetch.js';
import { validateXml } from '../helpers/xmllint.js';
import { removeDir, tempDir } from '../packager/fixtures.js';

const FORMATS = ['scorm12', 'scorm2004', 'cmi5'] as const;

const quiet = () =>
  new Writable({
    write(_c, _e, done) {
      done();
    },
  });

/** A third-party SCORM 1.2 manifest: one SCO resource per href, in order. */
function scorm12Manifest(hrefs: string[]): string {
  const items = hrefs
    .map((_, i) => `<item identifier="i${i}" identifierref="r${i}"><title>Partie ${i + 1}</title></item>`)
    .join('\n      ');
  const resources = hrefs
    .map(
      (href, i) =>
        `<resource identifier="r${i}" type="webcontent" adlcp:scormtype="sco" href="${href}"><file href="${href}"/></resource>`,
    )
    .join('\n    ');
  return `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="cours-accents" version="1"
  xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="o">
    <organization identifier="o"><title>Cours accentué</title>
      ${items}
    </organization>
  </organizations>
  <resources>
    ${resources}
  </resources>
</manifest>`;
}

/** The exported manifest of a format, read back the way an LMS would resolve its launch URLs. */
function launchUrlsOf(xml: string, format: (typeof FORMATS)[number]): string[] {
  const info = format === 'cmi5' ? readCmi5Structure(parseXml(xml)) : readScormManifest(parseXml(xml));
  return info.launchables.map((l) => l.launchUrl);
}

describe('a deployed SCORM 1.2 zip whose SCO files have spaces and accents (real Gatekeeper, fs)', {
  timeout: 120_000,
}, () => {
  let env: Awaited<ReturnType<typeof startDeployGatekeeper>>;
  const dir = tempDir('cg-accents-');

  beforeAll(async () => {
    env = await startDeployGatekeeper('fs', 'accents');
  });
  afterAll(async () => {
    await env?.close();
    removeDir(dir);
  });

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await env.request(method, path, body);
    return { status: res.status, res };
  };

  /** Deploys the zip through the CLI's own code path, then makes it live. */
  const deployLive = async (name: string, files: Record<string, string>) => {
    const zip = join(dir, name);
    writeFileSync(zip, zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, strToU8(v)]))));
    const r = await runDeploy({ source: zip, course: 'accents', api: env.api, log: quiet(), out: quiet() });
    const shown = await call('GET', '/v1/courses/accents');
    const { liveDeploymentId } = (await shown.res.json()) as { liveDeploymentId: string | null };
    const promoted = await call('POST', '/v1/courses/accents/promote', {
      deployment: r.deploymentId,
      reason: name,
      expectedLive: liveDeploymentId,
    });
    expect(promoted.status).toBe(200);
    const d = await call('GET', `/v1/deployments/${r.deploymentId}`);
    return (await d.res.json()) as { entry: string; metadata: { items: { launchUrl: string }[] } };
  };

  const exportLive = async (format: string) => {
    const { status, res } = await call('GET', `/v1/courses/accents/export?format=${format}`);
    expect([format, status]).toEqual([format, 200]);
    return unzipSync(new Uint8Array(await res.arrayBuffer()));
  };

  for (const [label, href] of [
    ['written plainly', 'leçon 2.html'],
    ['percent-encoded', 'le%C3%A7on%202.html'],
  ] as const) {
    it(`two SCOs, the second's href ${label}: exports in every format, each manifest valid`, async () => {
      const d = await deployLive(`two-${label.replace(/\W/g, '-')}.zip`, {
        'imsmanifest.xml': scorm12Manifest(['index.html', href]),
        'index.html': '<!doctype html><title>un</title>',
        'leçon 2.html': '<!doctype html><title>deux</title>',
      });
      expect(d.entry).toBe('index.html');
      expect(d.metadata.items.map((i) => i.launchUrl)).toEqual(['index.html', 'leçon 2.html']);
      for (const format of FORMATS) {
        const files = await exportLive(format);
        const name = format === 'cmi5' ? 'cmi5.xml' : 'imsmanifest.xml';
        expect(Object.keys(files).sort()).toEqual([name, 'index.html', 'leçon 2.html'].sort());
        const xml = strFromU8(files[name]!);
        await validateXml({ xml }, format);
        // Encoded once in the manifest, as a URL: never the raw name, never `%25…` (encoded twice).
        expect(xml).toContain('le%C3%A7on%202.html');
        expect(xml).not.toContain('%25');
        expect(launchUrlsOf(xml, format)).toEqual(['index.html', 'leçon 2.html']);
      }
    });
  }

  it('one SCO named "lesson 1.html" deploys, launches at its encoded URL and exports', async () => {
    const d = await deployLive('one.zip', {
      'imsmanifest.xml': scorm12Manifest(['lesson 1.html']),
      'lesson 1.html': '<!doctype html><title>one</title>',
    });
    expect(d.entry).toBe('lesson 1.html');
    const lic = await call('POST', '/v1/licenses', { courseId: env.course.id, clientName: 'LMS' });
    const { token } = (await lic.res.json()) as { token: string };
    const launched = await fetch(`${env.gk.url}/v1/launch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token, standard: 'scorm12' }),
    });
    const { contentUrl } = (await launched.json()) as { contentUrl: string };
    expect(contentUrl).toMatch(/\/lesson%201\.html$/);
    expect(await (await loopbackFetch(contentUrl)).text()).toContain('<title>one</title>');
    for (const format of FORMATS) {
      const files = await exportLive(format);
      const xml = strFromU8(files[format === 'cmi5' ? 'cmi5.xml' : 'imsmanifest.xml']!);
      await validateXml({ xml }, format);
      expect(launchUrlsOf(xml, format)).toEqual(['lesson 1.html']);
    }
  });
});

describe('export of deployments recorded with other launch URLs (in-memory Gatekeeper)', () => {
  /** A live deployment of `files` with these recorded SCOs, its files in storage. */
  const seed = async (launchUrls: string[], files: string[]) => {
    const storage = await tempFsStorage();
    const t = await createTestApp({ storage, exportPackage: exportDeployment });
    const { org, owner } = await t.org('Exporters');
    const now = t.clock.now.getTime();
    const course = await createCourse(t.db, { orgId: org.id, slug: 'legacy', title: 'Legacy', now });
    const deployment = await createDeployment(t.db, {
      orgId: org.id,
      courseId: course.id,
      entry: files[0]!,
      files: files.map((path) => ({ path, sha256: '0'.repeat(64), size: 1 })),
      status: 'live',
      metadata: JSON.stringify({
        standard: 'scorm12',
        items: launchUrls.map((launchUrl, i) => ({ id: `i${i}`, title: `T${i}`, kind: 'sco', launchUrl })),
      }),
      now,
    });
    await t.db.batch([setLiveDeploymentStatement(t.db, course.id, deployment.id)]);
    for (const path of files) await storage.put(`courses/${course.id}/${deployment.id}/${path}`, 'x');
    return (format: string) =>
      t.call('GET', `/v1/courses/legacy/export?format=${format}`, { key: owner.key });
  };

  it('launch URLs recorded percent-encoded before the fix still export, encoded once', async () => {
    const exportAs = await seed(['index.html', 'le%C3%A7on%202.html?x=1'], ['index.html', 'leçon 2.html']);
    for (const format of FORMATS) {
      const res = await exportAs(format);
      expect([format, res.status]).toEqual([format, 200]);
      const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
      const xml = strFromU8(files[format === 'cmi5' ? 'cmi5.xml' : 'imsmanifest.xml']!);
      await validateXml({ xml }, format);
      expect(xml).not.toContain('%25');
      expect(launchUrlsOf(xml, format)).toEqual(['index.html', 'leçon 2.html?x=1']);
    }
  });

  it('a recorded page missing from the files is a 409 naming it, not a 500', async () => {
    const exportAs = await seed(['index.html', 'gone.html'], ['index.html']);
    const res = await exportAs('scorm12');
    expect(res.status).toBe(409);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('deployment_not_packageable');
    expect(body.error.message).toContain('entry page "gone.html" is not in the package');
  });
});
