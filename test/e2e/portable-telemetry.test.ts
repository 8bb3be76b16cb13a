import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { build } from 'esbuild';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCourse } from '../../gatekeeper/db/courses.js';
import { DATABASE_FILE } from '../../gatekeeper/db/database-file.js';
import { openSqlite } from '../../gatekeeper/db/open-sqlite.js';
import { createOrgWithOwner } from '../../gatekeeper/orgs/service.js';
import { buildPackage, type Course, extractPackage, inspectPackage } from '../../packager/index.js';
import { ensureRuntimeBuild } from '../../scripts/ensure-runtime-build.js';
import { useBrowser } from '../helpers/browser.js';
import { startGatekeeper } from '../helpers/gatekeeper.js';
import { ROOT } from '../helpers/paths.js';
import { portableLmsPage, servePortableLms } from '../helpers/portable-lms.js';
import { makeCourseDir, removeDir, tempDir } from '../packager/fixtures.js';

/**
 * A portable SCORM 1.2 package built with a telemetry endpoint and a per-course ingest key, unpacked
 * and launched under a scorm-again LMS page in Chromium, sending to a real Gatekeeper on loopback (its
 * own origin: CORS for an LMS origin). The same package built without them sends nothing.
 *
 * The course uses the runtime as shipped, with the call docs/telemetry.md documents: the IIFE
 * (`@coursegate/runtime/iife`, global `Coursegate`) in a page, and an ESM course importing
 * `@coursegate/runtime` and `@coursegate/runtime/telemetry`, bundled by esbuild through package.json
 * `exports` from a project that has `coursegate` installed (a symlink to this repository).
 */
const b = useBrowser();
const work = tempDir('cg-portable-telemetry-');
const COURSE_ID = 'portable-telemetry';
const LEARNER = { id: 'learner-7', name: 'Doe, Jane' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let gk: Awaited<ReturnType<typeof startGatekeeper>>;
let lms: Awaited<ReturnType<typeof servePortableLms>>;
let ownerKey = '';
let gkCourseId = '';
let ingestKeyId = '';
const pages: Record<string, string> = {};

// The course as an author writes it: the runtime, started with whatever telemetry the launch or package carries.
const COURSE = `(async () => {
    const options = { flushDelayMs: 0 };
    const telemetry = telemetryFromFragment(options) ?? telemetryFromPackage(options);
    window.configured = Boolean(telemetry);
    const course = await start({ telemetry, commitDelayMs: 0 });
    course.progress(0.5);
    course.score(8, { min: 0, max: 10 });
    course.pass();
    course.complete();
    await course.exit();
    window.finished = true;
  })();`;
const coursePage = (script: string) => `<!doctype html><html><head><meta charset="utf-8"><title>course</title>
</head><body>${script}</body></html>`;

/** A plain-script course on the shipped `coursegate.iife.js`. */
function iifeCourse(): Record<string, string> {
  const iife = createRequire(import.meta.url).resolve('@coursegate/runtime/iife');
  expect(relative(ROOT, iife)).toBe(join('runtime', 'dist', 'coursegate.iife.js'));
  return {
    'index.html': coursePage(`<script src="coursegate.iife.js"></script>
<script>const { start, telemetryFromFragment, telemetryFromPackage } = Coursegate;
  ${COURSE}</script>`),
    'coursegate.iife.js': readFileSync(iife, 'utf8'),
  };
}

/** An ESM course, bundled from an author's project where `@coursegate/runtime` is installed; only `runtime/dist` goes in. */
async function esmCourse(): Promise<Record<string, string>> {
  const project = join(work, 'author');
  mkdirSync(join(project, 'node_modules/@coursegate'), { recursive: true });
  symlinkSync(join(ROOT, 'runtime'), join(project, 'node_modules/@coursegate/runtime'), 'dir');
  writeFileSync(
    join(project, 'course.js'),
    `import { start } from '@coursegate/runtime';
import { telemetryFromFragment, telemetryFromPackage } from '@coursegate/runtime/telemetry';
${COURSE}`,
  );
  const out = await build({
    entryPoints: [join(project, 'course.js')],
    absWorkingDir: project,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    metafile: true,
    write: false,
  });
  // Everything but the author's file came from the shipped build, resolved through `exports`.
  const runtime = Object.keys(out.metafile.inputs)
    .filter((i) => i !== 'course.js')
    .map((i) => relative(join(ROOT, 'runtime', 'dist'), join(project, i)));
  expect(runtime).toContain('index.js');
  expect(runtime).toContain('telemetry.js');
  expect(runtime.filter((i) => i.startsWith('..'))).toEqual([]);
  return {
    'index.html': coursePage('<script type="module" src="course.js"></script>'),
    'course.js': out.outputFiles[0]?.text ?? '',
  };
}

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${gk.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${ownerKey}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(res.status, await res.clone().text()).toBeLessThan(300);
  return (await res.json()) as T;
}

async function packageAs(
  name: string,
  files: Record<string, string>,
  telemetry?: { endpoint: string; ingestKey: string },
) {
  const course: Course = {
    id: COURSE_ID,
    title: 'Portable telemetry',
    version: '1.0.0',
    entry: 'index.html',
  };
  const src = makeCourseDir(files);
  const zip = join(work, `${name}.zip`);
  await buildPackage({
    input: src,
    course,
    format: 'scorm12',
    output: zip,
    ...(telemetry ? { telemetry } : {}),
  });
  removeDir(src);
  const info = await inspectPackage(zip);
  await extractPackage(zip, join(work, name));
  pages[`/lms-${name}.html`] = portableLmsPage(
    'scorm12',
    `/${name}/${info.launchables[0]?.launchUrl}`,
    undefined,
    LEARNER,
  );
}

beforeAll(async () => {
  gk = await startGatekeeper();
  // Seeded through the data layer as `coursegate admin init` would; the ingest key through the API.
  const db = await openSqlite({ file: join(gk.dataDir, DATABASE_FILE) });
  const now = Date.now();
  const made = await createOrgWithOwner(
    { db, now: () => new Date(now) },
    { name: 'Author', owner: { email: 'owner@author.test' }, keyName: 'test' },
  );
  const { org } = made;
  ownerKey = made.key;
  gkCourseId = (await createCourse(db, { orgId: org.id, slug: COURSE_ID, title: 'Portable', now })).id;
  await db.close();
  const { key, ingestKey } = await api<{ key: string; ingestKey: { id: string } }>(
    'POST',
    `/v1/courses/${gkCourseId}/ingest-keys`,
    { name: 'portable build' },
  );
  ingestKeyId = ingestKey.id;
  ensureRuntimeBuild(ROOT);
  await packageAs('with', iifeCourse(), { endpoint: gk.url, ingestKey: key });
  await packageAs('esm', await esmCourse(), { endpoint: gk.url, ingestKey: key });
  await packageAs('without', iifeCourse());
  lms = await servePortableLms(work, pages);
}, 120_000);

afterAll(async () => {
  await lms?.close();
  await gk?.close();
  removeDir(work);
});

/** Opens the LMS page and waits until the course has exited; returns the course frame. */
async function run(page: Page, name: string) {
  await page.goto(`${lms.origins[0]}/lms-${name}.html`);
  const frame = page.frames().find((f) => f.url().includes(`/${name}/`));
  if (!frame) throw new Error('no course frame');
  await frame.waitForFunction(() => (window as unknown as { finished?: boolean }).finished, null, {
    timeout: 20_000,
  });
  return frame;
}

type Stored = { actor: unknown; verb: { id: string } };

describe('portable package telemetry with a per-course ingest key', () => {
  it.each([
    ['with', 'the IIFE'],
    ['esm', 'the ESM entries'],
  ])(
    '%s: on %s, sends the course’s statements for an anonymous browser-drawn session, nothing about the learner',
    async (name) => {
      const page = await b.page();
      const frame = await run(page, name);
      expect(await frame.evaluate(() => (window as unknown as { configured: boolean }).configured)).toBe(
        true,
      );
      const sessionId = await frame.evaluate((c) => localStorage.getItem(`cg:anon:${c}`), COURSE_ID);
      expect(sessionId).toMatch(UUID);

      const read = () =>
        api<{ statements: Stored[] }>(
          'GET',
          `/xapi/statements?course=${gkCourseId}&session=${sessionId}&ascending=true`,
        );
      await expect
        .poll(async () => (await read()).statements.map((s) => s.verb.id.split('/').pop()), {
          timeout: 20_000,
        })
        .toEqual(['launched', 'initialized', 'progressed', 'passed', 'completed', 'terminated']);
      const { statements } = await read();
      for (const s of statements)
        expect(s.actor).toEqual({ objectType: 'Agent', account: { homePage: gk.url, name: sessionId } });
      const text = JSON.stringify(statements);
      expect(text).not.toContain('Jane');
      expect(text).not.toContain(LEARNER.id);
      const { completions } = await api<{ completions: Record<string, unknown>[] }>(
        'GET',
        `/v1/courses/${gkCourseId}/completions`,
      );
      expect(completions.filter((c) => c.sessionId === sessionId)).toMatchObject([
        { sessionId, completed: true, success: true },
      ]);
      // The LMS got its SCORM data as usual.
      const status = await page.evaluate(
        () =>
          (window as unknown as { API: { cmi: { core: { lesson_status: string } } } }).API.cmi.core
            .lesson_status,
      );
      expect(['passed', 'completed']).toContain(status);
      expect(page.errors).toEqual([]);
    },
  );

  it('built without endpoint and key, makes no request at all to the Gatekeeper', async () => {
    const page = await b.page();
    const requests: string[] = [];
    page.on('request', (r) => {
      if (r.url().startsWith(gk.url)) requests.push(r.url());
    });
    const frame = await run(page, 'without');
    expect(await frame.evaluate(() => (window as unknown as { configured: boolean }).configured)).toBe(false);
    expect(await frame.evaluate((c) => localStorage.getItem(`cg:anon:${c}`), COURSE_ID)).toBeNull();
    expect(requests).toEqual([]);
    expect(page.errors).toEqual([]);
  });

  it('once the key is revoked, the course still runs in the LMS and nothing more is stored', async () => {
    await api('DELETE', `/v1/courses/${gkCourseId}/ingest-keys/${ingestKeyId}`);
    const before = await api<{ statements: unknown[] }>('GET', `/xapi/statements?course=${gkCourseId}`);
    const page = await b.page();
    const refused: number[] = [];
    page.on('response', (r) => {
      if (r.url().startsWith(gk.url) && r.request().method() === 'POST') refused.push(r.status());
    });
    await run(page, 'with');
    await expect.poll(() => refused.length, { timeout: 20_000 }).toBeGreaterThan(0);
    expect(new Set(refused)).toEqual(new Set([401]));
    const after = await api<{ statements: unknown[] }>('GET', `/xapi/statements?course=${gkCourseId}`);
    expect(after.statements).toHaveLength(before.statements.length);
    expect(page.errors).toEqual([]);
  });
});
