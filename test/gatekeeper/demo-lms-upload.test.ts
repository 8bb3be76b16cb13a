import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDemoLms } from '../../examples/demo-lms/app.js';
import { buildPackage } from '../../packager/index.js';
import { ROOT } from '../helpers/paths.js';
import { sharedFile } from '../helpers/shared.js';
import { makeCourseDir, removeDir, tempDir } from '../packager/fixtures.js';

/**
 * The demo LMS's package upload over its HTTP interface: what an admin uploading a zip sees (listing,
 * launch pages, refusals) and what lands on disk. The browser flows are in test/e2e/demo-lms-upload.test.ts.
 */
const ORIGIN = 'http://localhost:9';
const multiSco = sharedFile('fixtures/scorm/golf-scorm2004v3-multi-sco.zip');
const multiAu = sharedFile('fixtures/cmi5/catapult-multi-au-framed.zip');
let sandbox: string;
let dir: string;

beforeEach(() => {
  // The demo's folder sits inside a sandbox, so anything written beside it shows up.
  sandbox = tempDir('cg-demo-upload-');
  dir = join(sandbox, 'demo-lms');
});
afterEach(() => removeDir(sandbox));

const lms = (maxUploadBytes?: number) =>
  createDemoLms({
    origin: ORIGIN,
    apiUrl: 'http://127.0.0.1:9',
    apiKey: 'unused',
    licenseId: 'unused',
    scormAgainDir: join(ROOT, 'node_modules/scorm-again/dist'),
    uploadsDir: dir,
    ...(maxUploadBytes === undefined ? {} : { maxUploadBytes }),
  });

const listAll = (d: string) => (existsSync(d) ? readdirSync(d, { recursive: true, encoding: 'utf8' }) : []);

async function upload(
  app: ReturnType<typeof lms>,
  name: string,
  bytes: Uint8Array,
  json = true,
  headers: Record<string, string> = {},
) {
  const form = new FormData();
  form.append('package', new File([new Uint8Array(bytes)], name, { type: 'application/zip' }));
  return app.fetch(
    new Request(`${ORIGIN}/upload`, {
      method: 'POST',
      body: form,
      headers: { ...(json ? { accept: 'application/json' } : {}), ...headers },
    }),
  );
}

const get = (app: ReturnType<typeof lms>, path: string) => app.fetch(new Request(`${ORIGIN}${path}`));

async function portableScorm12(): Promise<Uint8Array> {
  const src = makeCourseDir({
    'pages/start.html': '<!doctype html><title>Start</title><p>Hello',
    'media/logo.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>',
  });
  const out = join(sandbox, 'portable.zip');
  await buildPackage({
    input: src,
    format: 'scorm12',
    output: out,
    course: {
      id: 'tiny',
      title: 'Tiny & <small>',
      version: '1.0.0',
      entry: 'pages/start.html',
      masteryScore: 0.8,
    },
  });
  removeDir(src);
  return readFileSync(out);
}

describe('uploading a package into the demo LMS', () => {
  it('a portable SCORM 1.2 zip is unpacked, listed and launches in scorm-again with its mastery score', async () => {
    const app = lms();
    const res = await upload(app, 'tiny-scorm12.zip', await portableScorm12());
    expect(res.status).toBe(201);
    const { package: pkg } = (await res.json()) as { package: { id: string; title: string } };
    expect(pkg.title).toBe('Tiny & <small>');

    const home = await (await get(app, `/?uploaded=${pkg.id}`)).text();
    expect(home).toContain('Uploaded Tiny &#38; &#60;small&#62; (SCORM 1.2).');
    expect(home).toContain('tiny-scorm12.zip');
    expect(home).toContain(`href="/uploads/${pkg.id}/launch/0"`);

    const launch = await (await get(app, `/uploads/${pkg.id}/launch/0`)).text();
    expect(launch).toContain(`src="/uploads/${pkg.id}/files/pages/start.html"`);
    expect(launch).toContain('"cmi.student_data.mastery_score":"80"');
    expect(launch).toContain('new window.Scorm12API');

    const file = await get(app, `/uploads/${pkg.id}/files/pages/start.html`);
    expect(file.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await file.text()).toContain('<p>Hello');
    expect((await get(app, `/uploads/${pkg.id}/files/media/logo.svg`)).headers.get('content-type')).toBe(
      'image/svg+xml',
    );
  });

  it.skipIf(!multiSco.path)('a multi-SCO package lists and launches every SCO', async () => {
    const app = lms();
    const res = await upload(app, 'golf-multi.zip', readFileSync(multiSco.path!));
    const { package: pkg } = (await res.json()) as { package: { id: string; launchables: unknown[] } };
    expect(pkg.launchables.length).toBeGreaterThan(1);
    const home = await (await get(app, '/')).text();
    for (let i = 0; i < pkg.launchables.length; i++) {
      expect(home).toContain(`href="/uploads/${pkg.id}/launch/${i}"`);
      const page = await (await get(app, `/uploads/${pkg.id}/launch/${i}`)).text();
      const src = /<iframe id="sco" title="[^"]*" src="([^"]+)"/.exec(page)?.[1]?.replace(/&#38;/g, '&');
      expect(src).toMatch(new RegExp(`^/uploads/${pkg.id}/files/`));
      expect((await get(app, src!.split('?')[0]!)).status).toBe(200);
    }
  });

  it.skipIf(!multiAu.path)('a multi-AU cmi5 package launches each AU through the cmi5 LMS', async () => {
    const app = lms();
    const res = await upload(app, 'geology.zip', readFileSync(multiAu.path!));
    const { package: pkg } = (await res.json()) as { package: { id: string; launchables: unknown[] } };
    expect(pkg.launchables).toHaveLength(8);
    expect(await (await get(app, '/')).text()).toContain('(8 AUs)');
    const launch = await get(app, `/uploads/${pkg.id}/launch/1`);
    expect(launch.status).toBe(302);
    const url = new URL(launch.headers.get('location')!);
    expect(url.origin + url.pathname).toBe(`${ORIGIN}/uploads/${pkg.id}/files/index.html`);
    expect(url.searchParams.get('pages')).toBe('2');
    expect(url.searchParams.get('endpoint')).toBe(`${ORIGIN}/xapi/`);
    expect(url.searchParams.get('fetch')).toMatch(new RegExp(`^${ORIGIN}/fetch/`));
    expect(JSON.parse(url.searchParams.get('actor')!).name).toBe('Jane Doe');
  });

  it('a zip of the course folder itself (manifest one level down) launches from that folder', async () => {
    const app = lms();
    const zip = zipSync({
      'course/imsmanifest.xml': new TextEncoder().encode(readManifest()),
      'course/index.html': new TextEncoder().encode('<!doctype html><title>In a folder</title>'),
    });
    const { package: pkg } = (await (await upload(app, 'folder.zip', zip)).json()) as {
      package: { id: string };
    };
    const launch = await (await get(app, `/uploads/${pkg.id}/launch/0`)).text();
    expect(launch).toContain(`src="/uploads/${pkg.id}/files/course/index.html"`);
    expect(await (await get(app, `/uploads/${pkg.id}/files/course/index.html`)).text()).toContain(
      'In a folder',
    );
  });

  it('a form post without scripts redirects to the list, where the package stays after a restart', async () => {
    const res = await upload(lms(), 'tiny.zip', await portableScorm12(), false);
    expect(res.status).toBe(303);
    const id = /uploaded=([0-9a-f-]+)/.exec(res.headers.get('location') ?? '')?.[1];
    expect(id).toBeDefined();
    const again = await (await get(lms(), '/')).text();
    expect(again).toContain(`href="/uploads/${id}/launch/0"`);
  });

  it('files are served only from inside the package', async () => {
    const app = lms();
    const { package: pkg } = (await (await upload(app, 'tiny.zip', await portableScorm12())).json()) as {
      package: { id: string };
    };
    for (const path of [
      `/uploads/${pkg.id}/files/..%2F..%2Fmeta%2F${pkg.id}.json`,
      `/uploads/${pkg.id}/files/%2e%2e/%2e%2e/meta/${pkg.id}.json`,
      `/uploads/${pkg.id}/files/pages%5C..%5C..%5Cimsmanifest.xml`,
      `/uploads/${pkg.id}/files/pages`,
      `/uploads/not-an-id/files/imsmanifest.xml`,
    ])
      expect((await get(app, path)).status, path).toBe(404);
  });
});

describe('the demo LMS refuses bad uploads with a clear message and writes nothing', () => {
  const manifest = new TextEncoder().encode(readManifest());
  const cases: Array<[string, Uint8Array, RegExp]> = [
    [
      'zip-slip',
      zipSync({ 'imsmanifest.xml': manifest, '../evil.txt': new TextEncoder().encode('pwned') }),
      /path leads outside the package/,
    ],
    ['not a zip', new TextEncoder().encode('this is not a zip at all'), /not a SCORM or cmi5 package/],
    [
      'a zip without a manifest',
      zipSync({ 'index.html': new TextEncoder().encode('<p>hi') }),
      /no imsmanifest\.xml or cmi5\.xml/,
    ],
    [
      'a manifest with nothing to launch',
      zipSync({
        'imsmanifest.xml': new TextEncoder().encode(readManifest().replace(' identifierref="r"', '')),
      }),
      /^The package has nothing an LMS can launch: /,
    ],
    [
      'a zip bomb',
      zipSync({ 'imsmanifest.xml': manifest, 'big.bin': new Uint8Array(64 * 1024 * 1024) }, { level: 9 }),
      /expands too much/,
    ],
  ];

  it.each(cases)('%s', async (_name, bytes, message) => {
    const app = lms();
    const before = listAll(sandbox);
    const res = await upload(app, 'bad.zip', bytes);
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { message: string } };
    expect(error.message).toMatch(message);
    expect(listAll(join(dir, 'packages'))).toEqual([]);
    expect(listAll(join(dir, 'meta'))).toEqual([]);
    expect(listAll(sandbox).filter((p) => !p.startsWith('demo-lms'))).toEqual(before);
    expect(await (await get(app, '/')).text()).toContain('None yet.');
  });

  it('without scripts the refusal is a page with an alert', async () => {
    const res = await upload(lms(), 'bad.zip', new TextEncoder().encode('nope'), false);
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/<p role="alert">This is not a SCORM or cmi5 package/);
  });

  it('a package over the size limit is refused before it is read', async () => {
    const app = lms(1024);
    const res = await upload(app, 'big.zip', await portableScorm12());
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
      'The package is larger than the 1 KB the demo LMS accepts.',
    );
    expect(listAll(dir)).toEqual([]);
  });

  it('a post from another site is refused', async () => {
    const foreign = { host: 'localhost:9', origin: 'http://evil.example' };
    const res = await upload(lms(), 'tiny.zip', await portableScorm12(), true, foreign);
    expect(res.status).toBe(403);
    const same = await upload(lms(), 'tiny.zip', await portableScorm12(), true, {
      host: 'localhost:9',
      origin: ORIGIN,
    });
    expect(same.status).toBe(201);
  });

  it('no file chosen', async () => {
    const res = await lms().fetch(
      new Request(`${ORIGIN}/upload`, {
        method: 'POST',
        body: new FormData(),
        headers: { accept: 'application/json' },
      }),
    );
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
      'Choose a zip file to upload.',
    );
  });
});

function readManifest(): string {
  return `<?xml version="1.0"?><manifest identifier="m" version="1" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
 xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"><metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
<organizations default="o"><organization identifier="o"><title>T</title><item identifier="i" identifierref="r"><title>T</title></item></organization></organizations>
<resources><resource identifier="r" type="webcontent" adlcp:scormtype="sco" href="index.html"><file href="index.html"/></resource></resources></manifest>`;
}
