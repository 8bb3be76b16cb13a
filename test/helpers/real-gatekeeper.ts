import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll } from 'vitest';
import { createCourseOf } from '../../gatekeeper/courses/service.js';
import type { Database } from '../../gatekeeper/db/database.js';
import { DATABASE_FILE } from '../../gatekeeper/db/database-file.js';
import { openSqlite } from '../../gatekeeper/db/open-sqlite.js';
import { seedDeployment } from '../../gatekeeper/demo/seed-deployment.js';
import { createOrgWithOwner } from '../../gatekeeper/orgs/service.js';
import { createStorage } from '../../gatekeeper/storage/factory.js';
import { type RecordedRequest, recording } from './fake-launch.js';
import { type GatedHarness, startGatedHarness } from './gated-lms.js';
import { startGatekeeper } from './gatekeeper.js';
import { ROOT } from './paths.js';
import type { Handler } from './serve.js';

const HOP_BY_HOP = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);

/**
 * The real Gatekeeper (`startGatekeeper`: fs storage, its own content listener on 127.0.0.1, each org's
 * content on `org-<uuid>.localhost`, which Chromium sends to 127.0.0.1) behind a
 * recording proxy: mount `handler` on the origin the browser calls (its URL is the Gatekeeper's public
 * URL), and every request the Gatekeeper receives — method, URL, headers, body — lands in `requests`.
 * Courses are deployed through the data layer and storage (`seedDeployment`); licenses, packages and
 * revocation go through the HTTP API with an owner key.
 */
export function realGatekeeper() {
  const requests: RecordedRequest[] = [];
  let target = '';
  const handler: Handler = recording(requests, async (req, res) => {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      if (!HOP_BY_HOP.has(k) && typeof v === 'string') headers[k] = v;
    const body = (req as { bodyText?: string }).bodyText;
    const answer = await fetch(`${target}${req.url ?? '/'}`, {
      method: req.method ?? 'GET',
      headers,
      redirect: 'manual',
      ...(body ? { body } : {}),
    });
    const out: Record<string, string> = {};
    answer.headers.forEach((v, k) => {
      if (!HOP_BY_HOP.has(k) && k !== 'content-encoding') out[k] = v;
    });
    res.writeHead(answer.status, out);
    res.end(Buffer.from(await answer.arrayBuffer()));
    return true;
  });

  let running: Awaited<ReturnType<typeof startGatekeeper>> | undefined;
  let db: Database | undefined;

  /** An organisation's owner, acting through the HTTP API with its key. */
  interface Owner {
    orgId: string;
    ownerId: string;
    ownerKey: string;
  }

  async function api(owner: Owner, method: string, path: string, body?: unknown) {
    const res = await fetch(`${running!.listenUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${owner.ownerKey}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res;
  }

  async function makeOrg(name: string): Promise<Owner> {
    const now = Date.now();
    const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
    const made = await createOrgWithOwner(
      { db: db!, now: () => new Date(now) },
      { name, owner: { email: `author@${slug}.example.test` }, keyName: 'tests' },
    );
    return { orgId: made.org.id, ownerId: made.owner.id, ownerKey: made.key };
  }

  /** What a test does as one organisation: deploy, license, download gated packages, revoke. */
  function asOrg(owner: Owner) {
    return {
      orgId: owner.orgId,
      /** The content origin of the org's courses (its own: `org-<uuid>.localhost`). */
      get contentUrl() {
        return running!.orgContentUrl!.replace('{org}', owner.orgId.replace(/^org_/, 'org-'));
      },
      /** Deploys a zip (or files) as a new live course; returns its id. */
      async deploy(slug: string, files: string | Record<string, Uint8Array>, entry: string) {
        const course = await createCourseOf(
          { db: db!, now: () => new Date() },
          { orgId: owner.orgId },
          { slug, title: slug },
        );
        await this.redeploy(course.id, files, entry);
        return course.id;
      },
      /** Deploys a zip (or files) as a new live deployment of a course; returns the deployment's id. */
      async redeploy(courseId: string, files: string | Record<string, Uint8Array>, entry: string) {
        const storage = await createStorage({ driver: 'fs', root: join(running!.dataDir, 'content') });
        const deployment = await seedDeployment({
          db: db!,
          storage,
          orgId: owner.orgId,
          memberId: owner.ownerId,
          courseId,
          files: typeof files === 'string' ? readFileSync(files) : files,
          entry,
          playerDir: join(ROOT, 'dist/player'),
          now: Date.now(),
        });
        return deployment.id;
      },
      /** Any call of the HTTP API as the owner (`POST /v1/licenses/:id/follow`, channels, promote). */
      call: (method: string, path: string, body?: unknown) => api(owner, method, path, body),
      async license(
        courseId: string,
        extra: { allowedOrigins?: string[] } = {},
      ): Promise<{ id: string; token: string }> {
        const res = await api(owner, 'POST', '/v1/licenses', {
          courseId,
          clientName: 'Client LMS',
          ...extra,
        });
        const body = (await res.json()) as { license: { id: string }; token: string };
        return { id: body.license.id, token: body.token };
      },
      /** The gated package from `GET /v1/licenses/:id/package`, unzipped. */
      async gatedPackage(licenseId: string, format: 'scorm12' | 'scorm2004' | 'cmi5') {
        const res = await api(owner, 'GET', `/v1/licenses/${licenseId}/package?format=${format}`);
        return unzipSync(new Uint8Array(await res.arrayBuffer()));
      },
      async revoke(licenseId: string) {
        await api(owner, 'POST', `/v1/licenses/${licenseId}/revoke`, { reason: 'test' });
      },
    };
  }
  let first: (Owner & ReturnType<typeof asOrg>) | undefined;

  return {
    handler,
    requests,
    /** Starts the Gatekeeper with `publicUrl` = the proxy's origin; makes an org with an owner key. */
    async start(publicUrl: string) {
      running = await startGatekeeper({
        COURSEGATE_PUBLIC_URL: publicUrl,
        // Chromium sends `*.localhost` (each org's content origin) to 127.0.0.1, so the listener is there.
        COURSEGATE_HOST: '127.0.0.1',
        COURSEGATE_CONTENT_URL: 'http://127.0.0.1:0',
      });
      target = running.listenUrl;
      db = await openSqlite({ file: join(running.dataDir, DATABASE_FILE) });
      const owner = await makeOrg('Course Author');
      first = Object.assign(asOrg(owner), owner);
      return running;
    },
    /** Another organisation on the same Gatekeeper, with the same helpers as the first. */
    async org(name: string) {
      return asOrg(await makeOrg(name));
    },
    /** The content origin of the first org's courses (its own: `org-<uuid>.localhost`). */
    get contentUrl() {
      return first!.contentUrl;
    },
    /** The API as the CLI reaches it, and the owner's key. */
    get api() {
      return { url: running!.listenUrl, key: first!.ownerKey };
    },
    get dataDir() {
      return running!.dataDir;
    },
    /** The Gatekeeper's own SQLite file, opened beside it (WAL: both processes read and write it). */
    get db() {
      return db!;
    },
    /** The first org's owner, as the services take an actor. */
    get owner() {
      return { orgId: first!.orgId, memberId: first!.ownerId };
    },
    deploy: (slug: string, files: string | Record<string, Uint8Array>, entry: string) =>
      first!.deploy(slug, files, entry),
    license: (courseId: string, extra: { allowedOrigins?: string[] } = {}) => first!.license(courseId, extra),
    gatedPackage: (licenseId: string, format: 'scorm12' | 'scorm2004' | 'cmi5') =>
      first!.gatedPackage(licenseId, format),
    revoke: (licenseId: string) => first!.revoke(licenseId),
    redeploy: (courseId: string, files: string | Record<string, Uint8Array>, entry: string) =>
      first!.redeploy(courseId, files, entry),
    call: (method: string, path: string, body?: unknown) => first!.call(method, path, body),
    async close() {
      await db?.close();
      await running?.close();
    },
  };
}

export type RealGatekeeper = ReturnType<typeof realGatekeeper>;

/**
 * The gated LMS bench (test/helpers/gated-lms.ts) with the real Gatekeeper behind its Gatekeeper origin,
 * started in `beforeAll` and closed in `afterAll` of the calling file.
 * @example const bench = useRealGatedBench(); it('…', async () => { await bench.gk.deploy(…); });
 */
export function useRealGatedBench() {
  const bench = {} as { h: GatedHarness; gk: RealGatekeeper };
  beforeAll(async () => {
    bench.gk = realGatekeeper();
    bench.h = await startGatedHarness({ gatekeeper: bench.gk.handler });
    await bench.gk.start(bench.h.gate);
  });
  afterAll(async () => {
    await bench.h?.close();
    await bench.gk?.close();
  });
  return bench;
}
