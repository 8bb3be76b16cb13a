import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningContentServer, startContentServer } from '../../gatekeeper/content/index.js';
import { createCourseOf } from '../../gatekeeper/courses/service.js';
import type { Course } from '../../gatekeeper/db/courses.js';
import type { Database } from '../../gatekeeper/db/database.js';
import type { Deployment } from '../../gatekeeper/db/deployments.js';
import { openSqlite } from '../../gatekeeper/db/open-sqlite.js';
import { seedDeployment } from '../../gatekeeper/demo/seed-deployment.js';
import { exportDeployment } from '../../gatekeeper/deployments/export.js';
import { deploymentKey } from '../../gatekeeper/deployments/keys.js';
import { PLAYER_FILE_NAMES } from '../../gatekeeper/deployments/player-files.js';
import { filesOf } from '../../gatekeeper/deployments/queries.js';
import { readPlayerFiles } from '../../gatekeeper/deployments/read-player-files.js';
import { verifyObject } from '../../gatekeeper/deployments/verify.js';
import { createOrgWithOwner } from '../../gatekeeper/orgs/service.js';
import { MIN_COMPRESS_BYTES } from '../../gatekeeper/storage/encodings.js';
import { createFsStorage } from '../../gatekeeper/storage/index.js';
import type { Storage } from '../../gatekeeper/storage/types.js';
import { ensureRuntimeBuild } from '../../scripts/ensure-runtime-build.ts';
import { ROOT } from '../helpers/paths.js';

/**
 * A deployment made the way the demo and the end-to-end tests make one (`seedDeployment`) is served
 * compressed, the player with the forms the build made once, while everything that reads a
 * deployment as course files (its file list, storage listings, verify, the portable export) sees
 * only the files themselves.
 */
const PLAYER = join(ROOT, 'dist/player');
const PAGE = Buffer.from(
  `<!doctype html><title>Course</title>${Array.from({ length: 200 }, (_, i) => `<p>Page ${i}: ${i * 31}</p>`).join('\n')}`,
);
const COURSE = { 'index.html': PAGE, 'media/logo.png': Buffer.from([137, 80, 78, 71, 1, 2, 3]) };

let dir: string;
let db: Database;
let storage: Storage;
let course: Course;
let deployment: Deployment;
let server: RunningContentServer;

function get(path: string, accept: string): Promise<{ headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}/${path}`, { headers: { 'accept-encoding': accept } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  ensureRuntimeBuild(ROOT);
  dir = mkdtempSync(join(tmpdir(), 'cg-compress-deploy-'));
  db = await openSqlite({ file: ':memory:' });
  storage = await createFsStorage({ root: dir });
  const services = { db, now: () => new Date() };
  const { org, owner } = await createOrgWithOwner(services, {
    name: 'Org',
    owner: { email: 'owner@org.test' },
    keyName: 'owner',
  });
  course = await createCourseOf(services, { orgId: org.id }, { slug: 'intro', title: 'Intro' });
  deployment = await seedDeployment({
    db,
    storage,
    orgId: org.id,
    memberId: owner.id,
    courseId: course.id,
    files: COURSE,
    entry: 'index.html',
    playerDir: PLAYER,
    now: Date.now(),
  });
  server = await startContentServer({ storage, host: '127.0.0.1', port: 0 });
}, 120_000);
afterAll(async () => {
  await server?.close();
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

const expectedPaths = [...Object.keys(COURSE), ...PLAYER_FILE_NAMES.map((n) => `_coursegate/${n}`)].sort();

describe('a seeded deployment, compressed', () => {
  it('serves the player with the brotli and gzip forms the build made, and course text compressed', async () => {
    for (const name of PLAYER_FILE_NAMES) {
      const path = deploymentKey(course.id, deployment.id, `_coursegate/${name}`);
      const built = readFileSync(join(PLAYER, name));
      const br = await get(path, 'gzip, br');
      if (built.length < MIN_COMPRESS_BYTES) {
        expect(br.headers['content-encoding'], name).toBeUndefined();
        expect(br.body.equals(built), name).toBe(true);
        continue;
      }
      expect(br.headers['content-encoding'], name).toBe('br');
      expect(br.body.equals(readFileSync(join(PLAYER, `${name}.br`))), name).toBe(true);
      expect(brotliDecompressSync(br.body).equals(built), name).toBe(true);
      const gz = await get(path, 'gzip');
      expect(gz.headers['content-encoding'], name).toBe('gzip');
      expect(gunzipSync(gz.body).equals(built), name).toBe(true);
    }
    const page = await get(deploymentKey(course.id, deployment.id, 'index.html'), 'gzip, deflate, br');
    expect(page.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(page.body).equals(PAGE)).toBe(true);
  });

  it('its file list, storage listing, verify and export see the files only, never a compressed form', async () => {
    expect(
      filesOf(deployment)
        .map((f) => f.path)
        .sort(),
    ).toEqual(expectedPaths);
    const root = deploymentKey(course.id, deployment.id, '');
    const { items } = await storage.list(root);
    expect(items.map((i) => i.key.slice(root.length)).sort()).toEqual(expectedPaths);
    for (const f of filesOf(deployment))
      expect(
        await verifyObject(storage, deploymentKey(course.id, deployment.id, f.path), f),
        f.path,
      ).toBeNull();
    const zip = unzipSync(
      new Uint8Array(
        await new Response(await exportDeployment(storage, course, deployment, 'scorm12')).arrayBuffer(),
      ),
    );
    expect(Object.keys(zip).sort()).toEqual([...Object.keys(COURSE), 'imsmanifest.xml'].sort());
    expect(Buffer.from(zip['index.html']!).equals(PAGE)).toBe(true);
  });

  it('the deploy flow gets the same forms: readPlayerFiles hands over what the build made', async () => {
    for (const f of await readPlayerFiles(PLAYER)) {
      if (f.body.byteLength < MIN_COMPRESS_BYTES) continue;
      expect(Object.keys(f.encoded ?? {}).sort(), f.path).toEqual(['br', 'gzip']);
      expect(Buffer.from(f.encoded!.br!).equals(readFileSync(join(PLAYER, `${f.path}.br`)))).toBe(true);
    }
  });
});
