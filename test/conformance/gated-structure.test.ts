import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHelloCourse } from '../../examples/hello-course/build.js';
import { runDeploy } from '../../packager/commands/deploy.js';
import { startDeployGatekeeper } from '../helpers/deploy-gatekeeper.js';
import { manifestLaunchPaths } from '../helpers/manifest-launch-paths.js';
import { ROOT } from '../helpers/paths.js';
import { sharedFile } from '../helpers/shared.js';
import { parseXmlDocument, xmlDifferences } from '../helpers/xml-diff.js';
import { validateXml } from '../helpers/xmllint.js';
import { removeDir, tempDir } from '../packager/fixtures.js';

/**
 * Issue 19: a gated package is the original package with only the launch rewired. Every SCORM and cmi5
 * fixture and examples/hello-course is deployed to a real Gatekeeper, its gated package downloaded from
 * `GET /v1/licenses/:id/package`, and its manifest compared with the original by @xmldom/xmldom, node by
 * node. The original is the fixture's own manifest when the format is its own, else (a folder deployment,
 * or another format) the manifest `GET /v1/courses/:id/export` writes. Expectations come from the
 * original, read with xmldom and the URL parser, never from the code under test.
 */
type Format = 'scorm12' | 'scorm2004' | 'cmi5';
const STUB = 'coursegate-stub.js';
const quiet = new Writable({ write: (_c, _e, done) => done() });

const SCORM = [
  'golf-scorm12-basic-runtime',
  'golf-scorm12-single-sco',
  'golf-scorm2004v3-advanced-runtime',
  'golf-scorm2004v3-basic-runtime',
  'golf-scorm2004v3-multi-sco',
  'golf-scorm2004v4-sequencing',
];
const CMI5 = [
  'catapult-masteryscore-responsive',
  'catapult-multi-au-framed',
  'catapult-single-au-basic-responsive',
];
const zips = new Map<string, ReturnType<typeof sharedFile>>([
  ...SCORM.map((n) => [n, sharedFile(`fixtures/scorm/${n}.zip`)] as const),
  ...CMI5.map((n) => [n, sharedFile(`fixtures/cmi5/${n}.zip`)] as const),
]);

const fileOf = (zip: Uint8Array, name: string) => {
  const got = unzipSync(zip, { filter: (f) => f.name === name })[name];
  if (!got) throw new Error(`no ${name} in the zip`);
  return got;
};
/** A SCORM manifest's standard from its own schemaversion, read with xmldom. */
const scormFormat = (manifest: string): Format =>
  parseXmlDocument(manifest).getElementsByTagNameNS('*', 'schemaversion')[0]?.textContent?.trim() === '1.2'
    ? 'scorm12'
    : 'scorm2004';

interface Case {
  name: string;
  source: string;
  format: Format;
  /** The fixture's own manifest, or the export's (a folder deployment, another format). */
  original: 'package' | 'export';
}
const cases: Case[] = [
  ...SCORM.map((name) => ({
    name,
    source: name,
    format: zips.get(name)!.path
      ? scormFormat(strFromU8(fileOf(readFileSync(zips.get(name)!.path!), 'imsmanifest.xml')))
      : ('scorm12' as Format),
    original: 'package' as const,
  })),
  ...CMI5.map((name) => ({ name, source: name, format: 'cmi5' as const, original: 'package' as const })),
  ...(['scorm12', 'scorm2004', 'cmi5'] as const).map((format) => ({
    name: `hello-course ${format}`,
    source: 'hello-course',
    format,
    original: 'export' as const,
  })),
  // Another format than the deployment's: the export's manifest, rewired.
  {
    name: 'golf 2004 4th ed. as scorm12',
    source: 'golf-scorm2004v4-sequencing',
    format: 'scorm12',
    original: 'export',
  },
  { name: 'golf 1.2 as cmi5', source: 'golf-scorm12-basic-runtime', format: 'cmi5', original: 'export' },
  {
    name: 'catapult multi-AU as scorm2004',
    source: 'catapult-multi-au-framed',
    format: 'scorm2004',
    original: 'export',
  },
];

let env: Awaited<ReturnType<typeof startDeployGatekeeper>>;
const courses = new Map<
  string,
  { id: string; slug: string; entry: string; license: string; token: string }
>();
const work = tempDir('cg-gated-structure-');

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await env.request(method, path, body);
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}
async function download(path: string): Promise<Uint8Array> {
  const res = await env.request('GET', path);
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  return new Uint8Array(await res.arrayBuffer());
}

async function deploy(source: string, dir: string) {
  const slug = source.replace(/[^a-z0-9-]/g, '-');
  const course = await api<{ id: string }>('POST', '/v1/courses', { slug, title: source });
  const r = await runDeploy({ source: dir, course: slug, api: env.api, log: quiet, out: quiet });
  await api('POST', `/v1/courses/${slug}/promote`, {
    deployment: r.deploymentId,
    reason: 'release',
    expectedLive: null,
  });
  const { deployments } = await api<{ deployments: { id: string; entry: string }[] }>(
    'GET',
    `/v1/courses/${slug}/deployments`,
  );
  const { license, token } = await api<{ license: { id: string }; token: string }>('POST', '/v1/licenses', {
    courseId: course.id,
    clientName: 'Client LMS',
  });
  const entry = deployments.find((d) => d.id === r.deploymentId)!.entry;
  courses.set(source, { id: course.id, slug, entry, license: license.id, token });
}

beforeAll(async () => {
  env = await startDeployGatekeeper('fs', 'unused');
  for (const [name, zip] of zips) if (zip.path) await deploy(name, zip.path);
  const hello = join(work, 'hello');
  buildHelloCourse(hello);
  writeFileSync(
    join(hello, 'coursegate.json'),
    readFileSync(join(ROOT, 'examples/hello-course/coursegate.json')),
  );
  await deploy('hello-course', hello);
}, 240_000);
afterAll(async () => {
  await env?.close();
  removeDir(work);
});

/** The text of each AU's `<url>`, in document order, read with xmldom. */
const auUrls = (xml: string) =>
  Array.from(parseXmlDocument(xml).getElementsByTagNameNS('*', 'au')).map(
    (au) =>
      Array.from(au.childNodes)
        .find((n) => (n as Element).localName === 'url')
        ?.textContent?.trim() ?? '',
  );

describe('gated packages keep the whole course (structure)', () => {
  for (const c of cases) {
    const fixture = zips.get(c.source);
    it.skipIf(fixture !== undefined && !fixture.path)(
      `${c.name}: only the documented differences`,
      async () => {
        const course = courses.get(c.source)!;
        const name = c.format === 'cmi5' ? 'cmi5.xml' : 'imsmanifest.xml';
        const originalBytes =
          c.original === 'package'
            ? fileOf(readFileSync(fixture!.path!), name)
            : fileOf(await download(`/v1/courses/${course.slug}/export?format=${c.format}`), name);
        const files = unzipSync(await download(`/v1/licenses/${course.license}/package?format=${c.format}`));
        const original = strFromU8(originalBytes);
        const gated = strFromU8(files[name]!);
        await validateXml({ xml: gated }, c.format);
        const diffs = xmlDifferences(original, gated);

        if (c.format !== 'cmi5') {
          // SCORM: no difference at all, to the byte.
          expect(diffs).toEqual([]);
          expect(Buffer.from(files[name]!).equals(Buffer.from(originalBytes))).toBe(true);
          const launches = manifestLaunchPaths(original);
          expect(launches.size).toBeGreaterThan(0);
          expect(Object.keys(files).sort()).toEqual([name, STUB, ...launches.keys()].sort());
          expect(files[STUB]!.length).toBeGreaterThan(1000);
          for (const [path, { asset, query }] of launches) {
            const html = strFromU8(files[path]!);
            const config = JSON.parse(
              /<script type="application\/json" id="coursegate-config">([^<]*)<\/script>/.exec(html)![1]!,
            );
            expect(config, path).toEqual({
              gatekeeper: env.gk.url,
              token: course.token,
              standard: c.format,
              entry: path,
              ...(asset ? { asset: true } : {}),
              ...(query.length ? { query } : {}),
            });
            const src = /<script src="([^"]+)"><\/script>/.exec(html)![1]!;
            expect(new URL(src, `http://lms.test/pkg/${path}`).href, path).toBe(
              `http://lms.test/pkg/${STUB}`,
            );
          }
          return;
        }

        // cmi5: only the text of AU urls differs, each relative one now the course's launch page.
        expect(Object.keys(files)).toEqual([name]);
        for (const d of diffs)
          expect(d.path, JSON.stringify(d)).toMatch(
            /^\/courseStructure\[1\](\/block\[\d+\])*\/au\[\d+\]\/url\[1\]\/(text|cdata)\(\)\[\d+\]$/,
          );
        const before = auUrls(original);
        const after = auUrls(gated);
        expect(after).toHaveLength(before.length);
        // The org's own content origin, by the documented default (docs/storage.md, "The content origin"):
        // `org_<uuid>` is the host label `org-<uuid>`, under `localhost` when the content host is an address.
        const orgOrigin = `http://${env.org.id.replace('_', '-')}.localhost:${new URL(env.gk.contentUrl).port}`;
        const page = `${orgOrigin}/courses/${course.id}/_coursegate/cmi5-launch.html`;
        for (const [i, url] of before.entries()) {
          if (/^[a-z][a-z0-9+.-]*:/i.test(url)) {
            expect(after[i]).toBe(url);
            continue;
          }
          const gatedUrl = new URL(after[i]!);
          expect(gatedUrl.origin + gatedUrl.pathname).toBe(page);
          expect(gatedUrl.searchParams.get('t')).toBe(course.token);
          const au = gatedUrl.searchParams.get('au');
          if (au === null) {
            // The one documented exception: a course's only AU launching the live entry follows the entry.
            expect(before).toHaveLength(1);
            expect(url).toBe(course.entry);
          } else expect(au).toBe(url);
        }
        expect(diffs.length).toBeGreaterThan(0);
      },
    );
  }
});
