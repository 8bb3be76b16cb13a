import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiKeyFor } from '../../gatekeeper/api-keys/service.js';
import { type AppDeps, createApp } from '../../gatekeeper/app.js';
import { loadConfig } from '../../gatekeeper/config.js';
import { createCourseOf } from '../../gatekeeper/courses/service.js';
import { setLiveDeploymentStatement } from '../../gatekeeper/db/courses.js';
import { createDeployment } from '../../gatekeeper/db/deployments.js';
import type { Role } from '../../gatekeeper/db/members.js';
import { openSqlite } from '../../gatekeeper/db/open-sqlite.js';
import { readCmi5LaunchScript, readStubScript } from '../../gatekeeper/deployments/read-player-files.js';
import { importForwardingKey } from '../../gatekeeper/forwarding/credentials.js';
import { createMemoryKeyStore } from '../../gatekeeper/keys/key-store.js';
import { withStubScript } from '../../gatekeeper/licenses/gated-package.js';
import { addMember } from '../../gatekeeper/members/service.js';
import { createOrgWithOwner } from '../../gatekeeper/orgs/service.js';
import { startServer } from '../../gatekeeper/server.js';
import { createR2Storage } from '../../gatekeeper/storage/r2.js';
import { ROOT } from './paths.js';
import { onWorker, sharedWorkerTarget, TEST_FORWARDING_KEY } from './worker-target.js';

/**
 * Starts a real Gatekeeper on port 0 with a temporary data directory; `close()` stops it and removes the data.
 * `env` takes the same variables as `npm start`.
 */
export async function startGatekeeper(env: Record<string, string> = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'cg-gk-'));
  const config = loadConfig({
    COURSEGATE_PORT: '0',
    COURSEGATE_CONTENT_PORT: '0',
    COURSEGATE_DATA_DIR: dataDir,
    COURSEGATE_LOG: 'off',
    ...env,
  });
  const running = await startServer(config);
  return {
    ...running,
    dataDir,
    async close() {
      await running.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const TEST_PUBLIC_URL = 'http://localhost:8787';
export const TEST_CONTENT_URL = 'http://127.0.0.1:8788';
/** Each org's content origin in the in-memory app (and the Worker), as `loadConfig` derives it for fs. */
export const TEST_ORG_CONTENT_URL = 'http://{org}.localhost:8788';

/** An org's content origin under `TEST_ORG_CONTENT_URL`, spelled out as the docs do: `org_<uuid>` → `org-<uuid>`. */
export const testOrgOrigin = (orgId: string) => `http://${orgId.replace(/^org_/, 'org-')}.localhost:8788`;

/**
 * An in-memory Gatekeeper app (SQLite `:memory:`, keys in memory) with a settable clock, plus seeding
 * through the services: `org()` makes an organisation with an owner key and a member key.
 * In the `workers` vitest project (`onWorker`), `request` and `call` go to the Worker build under
 * Miniflare instead, over an emptied D1 that `db` also reaches; `app` then only serves introspection.
 */
export async function createTestApp(overrides: Partial<AppDeps> = {}) {
  const clock = { now: new Date('2026-03-01T12:00:00Z') };
  const worker = onWorker
    ? await sharedWorkerTarget({
        publicUrl: TEST_PUBLIC_URL,
        contentUrl: TEST_CONTENT_URL,
        orgContentUrl: TEST_ORG_CONTENT_URL,
      })
    : undefined;
  // On the Worker, overrides shape only the local app used for route introspection: the Worker builds its
  // own app from its bindings (D1, R2).
  await worker?.reset();
  // A test may pass a database of its own (a real file), which the seeding below then writes to as well.
  const db = worker ? worker.db : (overrides.db ?? (await openSqlite({ file: ':memory:' })));
  const keys = worker ? worker.keys : await createMemoryKeyStore();
  const deps: AppDeps = {
    db,
    keys,
    now: () => clock.now,
    config: { publicUrl: TEST_PUBLIC_URL, contentUrl: TEST_CONTENT_URL, orgContentUrl: TEST_ORG_CONTENT_URL },
    // As server.ts does on Node (the Worker reads the stub from its bucket instead).
    // As a server with COURSEGATE_FORWARDING_KEY set (the Worker target has the same key).
    forwardingKey: importForwardingKey(TEST_FORWARDING_KEY),
    gatedPackages: withStubScript(
      () => readStubScript(join(ROOT, 'dist/player')),
      () => readCmi5LaunchScript(join(ROOT, 'dist/player')),
    ),
    ...overrides,
  };
  const app = createApp(deps);
  const ms = () => clock.now.getTime();
  /** `app.request`, or the same request to the Worker with the test clock. */
  const request = (path: string, init?: RequestInit): Promise<Response> =>
    worker ? worker.fetch(path, init, clock.now) : Promise.resolve(app.request(path, init));

  /** A whole `Request` (e.g. from a Node server in front of the app for a third-party client), sent as `request`. */
  const fetchRequest = async (req: Request): Promise<Response> => {
    const url = new URL(req.url);
    const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : await req.arrayBuffer();
    return request(`${url.pathname}${url.search}`, {
      method: req.method,
      headers: req.headers,
      ...(body ? { body } : {}),
    });
  };

  // Seeded through the services, as the API and `coursegate admin init` make them.
  const services = { db, now: () => clock.now };

  async function keyFor(orgId: string, role: Role, email: string) {
    const member = await addMember(services, { orgId, memberId: 'cli' }, { email, role });
    const { key } = await createApiKeyFor(
      services,
      { orgId, memberId: 'cli' },
      { name: role, memberId: member.id },
    );
    return { member, key };
  }

  async function org(name: string) {
    const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
    const made = await createOrgWithOwner(services, {
      name,
      owner: { email: `owner@${slug}.test` },
      keyName: 'owner',
    });
    const member = await keyFor(made.org.id, 'member', `member@${slug}.test`);
    return { org: made.org, owner: { member: made.owner, key: made.key }, member };
  }

  /** A course with a deployment made live through the data layer (no promote route yet). */
  async function liveCourse(orgId: string, slug: string, entry = 'index.html') {
    const course = await createCourseOf(services, { orgId }, { slug, title: slug });
    const deployment = await createDeployment(db, {
      orgId,
      courseId: course.id,
      entry,
      files: [{ path: entry, sha256: '0'.repeat(64), size: 1 }],
      status: 'live',
      now: ms(),
    });
    await db.batch([setLiveDeploymentStatement(db, course.id, deployment.id)]);
    return { course, deployment };
  }

  /** A JSON request with an optional API key. */
  function call(
    method: string,
    path: string,
    options: { key?: string; body?: unknown; headers?: Record<string, string> } = {},
  ) {
    const headers: Record<string, string> = { ...options.headers };
    if (options.key) headers.authorization = `Bearer ${options.key}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    return request(path, {
      method,
      headers,
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
  }

  /** Content storage the app serves from: the Worker's R2 bucket on the Worker, else `overrides.storage`. */
  const storage = worker ? createR2Storage({ bucket: worker.r2 }) : deps.storage;

  return { app, db, keys, clock, deps, storage, org, keyFor, liveCourse, call, request, fetch: fetchRequest };
}

export type TestApp = Awaited<ReturnType<typeof createTestApp>>;
