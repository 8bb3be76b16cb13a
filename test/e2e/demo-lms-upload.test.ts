import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHelloCourse } from '../../examples/hello-course/build.js';
import { loadConfig } from '../../gatekeeper/config.js';
import { createCourseOf } from '../../gatekeeper/courses/service.js';
import { DATABASE_FILE } from '../../gatekeeper/db/database-file.js';
import { findMemberByEmail } from '../../gatekeeper/db/members.js';
import { openSqlite } from '../../gatekeeper/db/open-sqlite.js';
import { DEMO_FILE, type DemoState } from '../../gatekeeper/demo/first-run.js';
import { seedDeployment } from '../../gatekeeper/demo/seed-deployment.js';
import { startDemo } from '../../gatekeeper/demo/start-demo.js';
import { createStorage } from '../../gatekeeper/storage/factory.js';
import { buildPackage, type PackageFormat } from '../../packager/index.js';
import { useBrowser } from '../helpers/browser.js';
import { startGatekeeper } from '../helpers/gatekeeper.js';
import { exitCourse, courseFrame as golfFrame } from '../helpers/golf-course.js';
import { helloFrame, takeHello } from '../helpers/hello-course.js';
import { ROOT } from '../helpers/paths.js';
import { sharedFile } from '../helpers/shared.js';
import { removeDir, tempDir } from '../packager/fixtures.js';

/**
 * The demo LMS as `npm start` serves it (startDemo beside a real Gatekeeper), used the way a person tries
 * it: upload a package through the form, launch it, take hello-course, read what the LMS recorded.
 */
const b = useBrowser();
const work = tempDir('cg-demo-upload-e2e-');
const multiSco = sharedFile('fixtures/scorm/golf-scorm2004v3-multi-sco.zip');
const golf12 = sharedFile('fixtures/scorm/golf-scorm12-basic-runtime.zip');
let gk: Awaited<ReturnType<typeof startGatekeeper>>;
let demo: Awaited<ReturnType<typeof startDemo>>;
let demoUrl = '';
let state: DemoState;

beforeAll(async () => {
  gk = await startGatekeeper();
  const config = loadConfig({
    COURSEGATE_PORT: '0',
    COURSEGATE_CONTENT_PORT: '0',
    COURSEGATE_DATA_DIR: gk.dataDir,
    COURSEGATE_LOG: 'off',
  });
  demo = await startDemo({ config, running: gk, port: 0 });
  demoUrl = /demo LMS: (http:\/\/\S+)\//.exec(demo.lines.join('\n'))![1]!;
  state = JSON.parse(readFileSync(join(gk.dataDir, DEMO_FILE), 'utf8')) as DemoState;
});

afterAll(async () => {
  await demo?.close();
  await gk?.close();
  removeDir(work);
});

/** The gated zip as the dashboard's download gives it: the license package route of the running Gatekeeper. */
async function gatedZip(format: 'scorm12' | 'scorm2004' | 'cmi5'): Promise<string> {
  const res = await fetch(`${gk.listenUrl}/v1/licenses/${state.licenseId}/package?format=${format}`, {
    headers: { authorization: `Bearer ${state.apiKey}` },
  });
  expect(res.status).toBe(200);
  const file = join(work, `hello-gated-${format}.zip`);
  writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  return file;
}

/** hello-course built and packaged portable with the packager, as `coursegate package` does. */
async function portableZip(format: PackageFormat): Promise<string> {
  const dir = join(work, `hello-${format}`);
  const config = buildHelloCourse(dir);
  const file = join(work, `hello-portable-${format}.zip`);
  await buildPackage({
    input: dir,
    format,
    output: file,
    course: {
      id: config.id,
      title: config.title,
      version: config.version,
      entry: config.entry,
      masteryScore: config.masteryScore,
    },
  });
  return file;
}

async function uploadThroughForm(page: Page, file: string) {
  await page.goto(`${demoUrl}/`);
  await page.getByLabel('Package zip').setInputFiles(file);
  await page.getByRole('button', { name: 'Upload' }).click();
}

/** Uploads, waits for the list, and returns the package's list item. */
async function upload(page: Page, file: string, shown: string) {
  await uploadThroughForm(page, file);
  await page
    .getByRole('status')
    .filter({ hasText: `Uploaded ${shown}.` })
    .waitFor({ timeout: 20_000 });
  return page.getByRole('listitem').filter({ hasText: file.slice(file.lastIndexOf('/') + 1) });
}

/** A multi-SCO course deployed live in the demo org, licensed, and its gated SCORM 2004 zip downloaded. */
async function gatedMultiScoZip(): Promise<string> {
  const db = await openSqlite({ file: join(gk.dataDir, DATABASE_FILE) });
  const now = Date.now();
  const course = await createCourseOf(
    { db, now: () => new Date(now) },
    { orgId: state.orgId },
    { slug: 'golf-multi', title: 'Golf' },
  );
  const owner = await findMemberByEmail(db, state.ownerEmail);
  await seedDeployment({
    db,
    storage: await createStorage({ driver: 'fs', root: join(gk.dataDir, 'content') }),
    orgId: state.orgId,
    memberId: owner!.id,
    courseId: course.id,
    files: readFileSync(multiSco.path!),
    entry: 'Playing/Playing.html',
    playerDir: join(ROOT, 'dist/player'),
    now,
  });
  await db.close();
  const res = await fetch(`${gk.listenUrl}/v1/licenses`, {
    method: 'POST',
    headers: { authorization: `Bearer ${state.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ courseId: course.id, clientName: 'Demo LMS' }),
  });
  expect(res.status).toBe(201);
  const { license } = (await res.json()) as { license: { id: string } };
  const pkg = await fetch(`${gk.listenUrl}/v1/licenses/${license.id}/package?format=scorm2004`, {
    headers: { authorization: `Bearer ${state.apiKey}` },
  });
  const file = join(work, 'golf-gated-scorm2004.zip');
  writeFileSync(file, Buffer.from(await pkg.arrayBuffer()));
  return file;
}

async function contentPage(page: Page, url: RegExp): Promise<Frame> {
  await expect.poll(() => page.frames().some((f) => url.test(f.url())), { timeout: 30_000 }).toBe(true);
  const frame = page.frames().find((f) => url.test(f.url()))!;
  await frame.waitForLoadState('load');
  return frame;
}

const GATED_CONTENT = /\/courses\/[^/]+\/[^/]+\/index\.html$/;
const UPLOADED = /\/uploads\/[0-9a-f-]+\/files\/index\.html(\?|$)/;

describe('the demo LMS launches uploaded SCORM packages in scorm-again', () => {
  const cases = [
    {
      name: 'a gated SCORM 1.2 package from the Gatekeeper',
      zip: () => gatedZip('scorm12'),
      frame: GATED_CONTENT,
    },
    {
      name: 'a portable SCORM 2004 package from the packager',
      zip: () => portableZip('scorm2004'),
      frame: UPLOADED,
    },
  ];
  for (const { name, zip, frame } of cases)
    it(`${name}: hello-course completes and the recorded status shows`, async () => {
      const scorm12 = name.includes('1.2');
      const page = await b.page();
      const item = await upload(
        page,
        await zip(),
        `Hello, Coursegate (SCORM ${scorm12 ? '1.2' : '2004 4th edition'})`,
      );
      await item.getByRole('link', { name: /^Launch / }).click();
      await takeHello(await helloFrame(page, frame));
      const status = scorm12 ? /"lesson_status": "passed"/ : /"success_status": "passed"/;
      await expect.poll(() => page.textContent('#recorded'), { timeout: 15_000 }).toMatch(status);
      await page.getByRole('button', { name: 'Finish the session' }).click();
      await expect.poll(() => page.textContent('#state')).toBe('Session finished.');
      expect(page.errors).toEqual([]);
    });
});

describe('the demo LMS launches uploaded cmi5 packages through its cmi5 LMS + LRS', () => {
  const cases = [
    { name: 'a gated cmi5 package from the Gatekeeper', zip: () => gatedZip('cmi5') },
    { name: 'a portable cmi5 package from the packager', zip: () => portableZip('cmi5') },
  ];
  for (const { name, zip } of cases)
    it(`${name}: hello-course passes and the recorded statements show`, async () => {
      const page = await b.page();
      const item = await upload(page, await zip(), 'Hello, Coursegate (cmi5)');
      await item.getByRole('link', { name: /^Launch / }).click();
      await page.locator('html[data-ready]').waitFor({ state: 'attached' });
      const registration = new URL(page.url()).searchParams.get('registration');
      expect(registration).toBeTruthy();
      await takeHello(page);
      await expect
        .poll(
          async () => {
            await page.goto(`${demoUrl}/cmi5/done?registration=${registration}`);
            return page.textContent('#recorded');
          },
          { timeout: 15_000 },
        )
        .toMatch(/passed/);
      expect(await page.textContent('#recorded')).toMatch(/initialized/);
    });
});

describe('the demo LMS lists and launches each item of a multi-SCO package', () => {
  it.skipIf(!multiSco.path)(
    'a gated multi-SCO package: the original manifest, every item has a launch link; one runs through the Gatekeeper',
    async () => {
      const page = await b.page();
      const item = await upload(
        page,
        await gatedMultiScoZip(),
        'Golf Explained - CP One File Per SCO (SCORM 2004 3rd edition)',
      );
      const links = item.getByRole('link', { name: /^Launch / });
      expect(await links.count()).toBe(18);
      // The gated manifest is the original: its items launch assets, as in the portable package below.
      expect(await item.textContent()).toContain('(18 assets)');
      await item.getByRole('link', { name: 'Launch Par' }).click();
      // The stub page sits at the item's own path; an asset's content comes straight from the content
      // origin (no player, no LMS session).
      const content = await contentPage(page, /\/courses\/[^/]+\/[^/]+\/Playing\/Par\.html$/);
      expect(await content.textContent('h1')).toBe('Par');
      expect(await page.textContent('#state')).toMatch(/asset: it does not talk to the LMS/);
    },
  );

  it.skipIf(!multiSco.path)('a portable one: each asset launches its own page from the package', async () => {
    const page = await b.page();
    const item = await upload(
      page,
      multiSco.path!,
      'Golf Explained - CP One File Per SCO (SCORM 2004 3rd edition)',
    );
    expect(await item.textContent()).toContain('(18 assets)');
    await item.getByRole('link', { name: 'Launch Keeping Score' }).click();
    const content = await contentPage(page, /\/uploads\/[0-9a-f-]+\/files\/Playing\/Scoring\.html$/);
    expect(await content.textContent('h1')).toBe('Scoring');
    expect(await page.textContent('#state')).toMatch(/asset: it does not talk to the LMS/);
  });
});

describe('the upload form', () => {
  it.skipIf(!golf12.path)(
    'shows the upload progress of a third-party package, which then runs and records',
    async () => {
      const page = await b.page();
      page.on('dialog', (d) => void d.accept());
      await page.goto(`${demoUrl}/`);
      // A slow uplink, so the progress of a 350 KB upload is there to see.
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: 0,
        downloadThroughput: -1,
        uploadThroughput: 100 * 1024,
      });
      await page.getByLabel('Package zip').setInputFiles(golf12.path!);
      await page.getByRole('button', { name: 'Upload' }).click();
      expect(await page.locator('#upload-status').textContent()).toBe(
        'Uploading golf-scorm12-basic-runtime.zip…',
      );
      expect(await page.getByRole('button', { name: 'Upload' }).isDisabled()).toBe(true);
      await expect
        .poll(() =>
          page
            .getByRole('progressbar', { name: 'Upload progress' })
            .evaluate((e) => (e as HTMLProgressElement).value),
        )
        .toBeGreaterThan(0);
      await page
        .getByRole('status')
        .filter({ hasText: 'Uploaded Golf Explained - Run-time Basic Calls (SCORM 1.2).' })
        .waitFor({ timeout: 30_000 });
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: 0,
        downloadThroughput: -1,
        uploadThroughput: -1,
      });

      const item = page.getByRole('listitem').filter({ hasText: 'golf-scorm12-basic-runtime.zip' });
      await item.getByRole('link', { name: /^Launch / }).click();
      const course = await golfFrame(page);
      await exitCourse(course);
      await expect.poll(() => page.textContent('#state')).toBe('Session finished.');
      const recorded = JSON.parse((await page.textContent('#recorded')) ?? '{}').cmi.core;
      expect(recorded).toMatchObject({
        student_name: 'Jane Doe',
        lesson_status: 'incomplete',
        exit: 'suspend',
      });
    },
  );
});

describe('the demo LMS refuses a hostile zip', () => {
  it('a zip-slip upload shows a clear error and nothing is written', async () => {
    const evil = join(work, 'evil.zip');
    writeFileSync(
      evil,
      zipSync({
        'imsmanifest.xml': new TextEncoder().encode('<manifest/>'),
        '../../evil.txt': new TextEncoder().encode('pwned'),
      }),
    );
    const packagesBefore = listed(join(gk.dataDir, 'demo-lms', 'packages'));
    const page = await b.page();
    await uploadThroughForm(page, evil);
    await expect
      .poll(() => page.getByRole('alert').textContent(), { timeout: 15_000 })
      .toMatch(/The zip has a file whose path leads outside the package: .*\.\.\/\.\.\/evil\.txt/);
    expect(await page.locator('#upload-progress').isHidden()).toBe(true);
    expect(listed(join(gk.dataDir, 'demo-lms', 'packages'))).toEqual(packagesBefore);
    expect(existsSync(join(gk.dataDir, 'evil.txt'))).toBe(false);
    expect(existsSync(join(gk.dataDir, 'demo-lms', 'evil.txt'))).toBe(false);
    expect(page.errors).toEqual([]);
  });

  it('a file that is not a package is refused with a message', async () => {
    const junk = join(work, 'notes.zip');
    writeFileSync(junk, 'just some notes');
    const page = await b.page();
    await uploadThroughForm(page, junk);
    await expect
      .poll(() => page.getByRole('alert').textContent(), { timeout: 15_000 })
      .toMatch(/^This is not a SCORM or cmi5 package: /);
  });
});

function listed(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

describe('npm start on a data dir that already has the demo', () => {
  it('says where the demo API key is and how to reset the password, and prints no secret again', async () => {
    const config = loadConfig({
      COURSEGATE_PORT: '0',
      COURSEGATE_CONTENT_PORT: '0',
      COURSEGATE_DATA_DIR: gk.dataDir,
      COURSEGATE_LOG: 'off',
    });
    const again = await startDemo({ config, running: gk, port: 0 });
    try {
      const text = again.lines.join('\n');
      expect(text).toContain(`its API key is in ${join(gk.dataDir, DEMO_FILE)}`);
      expect(text).toContain(`admin set-password --email ${state.ownerEmail}`);
      expect(text).not.toContain(state.apiKey);
      expect(text).not.toContain('shown once');
    } finally {
      await again.close();
    }
  });
});
