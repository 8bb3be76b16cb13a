import { readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { getRequestListener } from '@hono/node-server';
import { UPLOADS_PATH } from '../../gatekeeper/app.js';
import { startContentServer } from '../../gatekeeper/content/server.js';
import { createCourseOf } from '../../gatekeeper/courses/service.js';
import type { Database } from '../../gatekeeper/db/database.js';
import { DATABASE_FILE } from '../../gatekeeper/db/database-file.js';
import { openSqlite } from '../../gatekeeper/db/open-sqlite.js';
import { createOrgWithOwner } from '../../gatekeeper/orgs/service.js';
import { createFsStorage, createS3Storage, type Storage } from '../../gatekeeper/storage/index.js';
import { createR2Storage } from '../../gatekeeper/storage/r2.js';
import { apiClient } from '../../packager/commands/api-client.js';
import { processIo } from '../../packager/commands/cli-io.js';
import { tempDir } from '../packager/fixtures.js';
import { startGatekeeper } from './gatekeeper.js';
import { listDeployment } from './list-deployment.js';
import { startWorkerTarget } from './worker-target.js';

const require = createRequire(import.meta.url);
const S3rver = require('s3rver') as new (
  opts: Record<string, unknown>,
) => {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  on(
    event: 'event',
    fn: (e: { Records: { eventName: string; s3: { object: { key: string; size?: number } } }[] }) => void,
  ): void;
};

/**
 * Counts what reached storage as new bytes, seen from the storage side: on fs, objects whose inode is new
 * since `mark()` (an unchanged file is a hard link to an earlier object, a re-upload a new inode); on
 * s3, s3rver's `ObjectCreated:Put` events (copies are `ObjectCreated:Copy`); on r2, the PUTs the Worker's
 * upload endpoint accepted (its copies go through the binding, not that endpoint). The player under
 * `_coursegate/`, which the Gatekeeper writes itself, is not counted.
 */
export interface StorageMeter {
  mark(): void;
  uploaded(): { keys: string[]; bytes: number };
}

function fsMeter(root: string): StorageMeter {
  const objects = join(root, 'objects');
  // An inode with its mtime: a hard link keeps both, while an inode number the file system freed and
  // handed to a new upload comes with a new mtime.
  const walk = (dir: string, rel: string, out: Map<string, { id: string; size: number }>) => {
    let entries: string[] = [];
    try {
      entries = readdirSync(dir);
    } catch {
      return out;
    }
    for (const name of entries) {
      const st = statSync(join(dir, name));
      const key = rel ? `${rel}/${name}` : name;
      if (st.isDirectory()) walk(join(dir, name), key, out);
      else out.set(key, { id: `${st.ino}:${st.mtimeMs}`, size: st.size });
    }
    return out;
  };
  let seen = new Set<string>();
  return {
    mark() {
      seen = new Set([...walk(objects, '', new Map()).values()].map((v) => v.id));
    },
    uploaded() {
      const keys: string[] = [];
      let bytes = 0;
      for (const [key, v] of walk(objects, '', new Map())) {
        if (seen.has(v.id) || key.includes('/_coursegate/')) continue;
        keys.push(key);
        bytes += v.size;
      }
      return { keys: keys.sort(), bytes };
    },
  };
}

/** The running Gatekeeper as the deploy tests see it: its API origin and its content origin. */
interface DeployTarget {
  url: string;
  contentUrl: string;
  close(): Promise<void>;
}

/**
 * The Worker build under Miniflare (D1, R2) behind a loopback origin that counts the uploads reaching
 * its own upload endpoint (no S3 settings, so the Worker takes them and writes R2), as s3rver's Put
 * events count them for s3. Content is served from R2 by the content app on its own origin.
 */
async function startDeployWorker() {
  const puts: { key: string; size: number }[] = [];
  const r2: { storage?: Storage } = {};
  const lazy = new Proxy({} as Storage, { get: (_, k) => Reflect.get(r2.storage as Storage, k) });
  const content = await startContentServer({ storage: lazy, host: '127.0.0.4', port: 0 });
  let send: (req: Request) => Promise<Response> = async () => new Response(null, { status: 503 });
  const front = createServer(
    getRequestListener(async (req) => {
      const res = await send(req);
      const path = new URL(req.url).pathname;
      if (req.method === 'PUT' && path.startsWith(`${UPLOADS_PATH}/`) && res.ok)
        puts.push({
          key: decodeURIComponent(path.slice(UPLOADS_PATH.length + 1)),
          size: Number(req.headers.get('content-length')),
        });
      return res;
    }),
  );
  // `localhost`, as the Node server's API: another site than the content origin
  // (docs/storage.md, "The content origin").
  await new Promise<void>((done) => front.listen(0, 'localhost', done));
  const url = `http://localhost:${(front.address() as AddressInfo).port}`;
  const worker = await startWorkerTarget({
    publicUrl: url,
    contentUrl: content.url,
    // Production behaviour: the real clock and rate limits, uploads to the Worker itself.
    testClock: false,
    vars: {
      COURSEGATE_S3_ENDPOINT: '',
      COURSEGATE_S3_BUCKET: '',
      COURSEGATE_S3_ACCESS_KEY_ID: '',
      COURSEGATE_S3_SECRET_ACCESS_KEY: '',
    },
  });
  r2.storage = createR2Storage({ bucket: worker.r2 });
  send = async (req) => {
    const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : await req.arrayBuffer();
    const res = await worker.fetch(`${new URL(req.url).pathname}${new URL(req.url).search}`, {
      method: req.method,
      headers: req.headers,
      redirect: 'manual',
      ...(body ? { body } : {}),
    });
    // Node's fetch already decoded the body, so its length and encoding headers no longer apply.
    const headers = new Headers(res.headers);
    headers.delete('content-encoding');
    headers.delete('content-length');
    return new Response(res.body, { status: res.status, headers });
  };
  const gk: DeployTarget = {
    url,
    contentUrl: content.url,
    async close() {
      await new Promise((done) => front.close(done));
      await content.close();
      await worker.mf.dispose();
    },
  };
  return { gk, db: worker.db, storage: r2.storage, puts };
}

/**
 * A real Gatekeeper (fs, s3 against a real s3rver, or r2: the Worker build under Miniflare) with an organisation, an owner API key, a course
 * and a CLI API client for it, plus a storage handle of its own and a meter of uploaded bytes.
 */
export async function startDeployGatekeeper(driver: 'fs' | 's3' | 'r2', slug = 'course') {
  let s3: InstanceType<typeof S3rver> | undefined;
  let s3Options: Record<string, unknown> = {};
  let env: Record<string, string> = {};
  let puts: { key: string; size: number }[] = [];
  let storage: Storage;
  let gk: DeployTarget & { dataDir?: string };
  let workerDb: Database | undefined;
  if (driver === 'r2') {
    const w = await startDeployWorker();
    ({ gk, storage, puts } = w);
    workerDb = w.db;
  } else if (driver === 's3') {
    s3Options = {
      address: '127.0.0.1',
      port: 0,
      silent: true,
      directory: tempDir('cg-s3rver-'),
      configureBuckets: [{ name: 'content' }],
    };
    s3 = new S3rver(s3Options);
    const { port } = await s3.run();
    s3Options.port = port;
    s3.on('event', (e) => {
      for (const r of e.Records)
        if (r.eventName === 'ObjectCreated:Put')
          puts.push({ key: decodeURIComponent(r.s3.object.key), size: r.s3.object.size ?? 0 });
    });
    const endpoint = `http://127.0.0.1:${port}`;
    env = {
      COURSEGATE_STORAGE: 's3',
      COURSEGATE_S3_ENDPOINT: endpoint,
      COURSEGATE_S3_BUCKET: 'content',
      COURSEGATE_S3_REGION: 'us-east-1',
      COURSEGATE_S3_ACCESS_KEY_ID: 'S3RVER',
      COURSEGATE_S3_SECRET_ACCESS_KEY: 'S3RVER',
      COURSEGATE_S3_FORCE_PATH_STYLE: 'true',
      COURSEGATE_CONTENT_URL: `${endpoint}/content`,
    };
    gk = await startGatekeeper(env);
    storage = createS3Storage({
      endpoint,
      bucket: 'content',
      region: 'us-east-1',
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
      forcePathStyle: true,
    });
  } else {
    const node = await startGatekeeper();
    gk = node;
    storage = await createFsStorage({ root: join(node.dataDir, 'content') });
  }
  let from = 0;
  const meter: StorageMeter =
    driver === 'fs'
      ? fsMeter(join(gk.dataDir as string, 'content'))
      : {
          mark: () => {
            from = puts.length;
          },
          uploaded: () => {
            const fresh = puts.slice(from).filter((p) => !p.key.includes('/_coursegate/'));
            return {
              // Not deduplicated: a key put twice shows twice.
              keys: fresh.map((p) => p.key).sort(),
              bytes: fresh.reduce((n, p) => n + p.size, 0),
            };
          },
        };

  const db = workerDb ?? (await openSqlite({ file: join(gk.dataDir as string, DATABASE_FILE) }));
  const now = Date.now();
  const {
    org,
    owner: member,
    key,
  } = await createOrgWithOwner(
    { db, now: () => new Date(now) },
    { name: 'Deployers', owner: { email: 'author@deploy.test' }, keyName: 'ci' },
  );
  const course = await createCourseOf(
    { db, now: () => new Date(now) },
    { orgId: org.id },
    {
      slug,
      title: 'Deployed course',
    },
  );
  if (!workerDb) await db.close();

  return {
    gk,
    env,
    storage,
    meter,
    org,
    member,
    key,
    course,
    /** The environment of a user's `coursegate` process for this Gatekeeper: PATH, a HOME, URL and key. */
    cliEnv: (home: string) => ({
      PATH: process.env.PATH ?? '',
      HOME: home,
      COURSEGATE_URL: gk.url,
      COURSEGATE_API_KEY: key,
    }),
    api: apiClient(processIo(), { url: gk.url, apiKey: key }),
    /** One API request with the owner's key and a JSON body, answered as is (redirects not followed). */
    request: (method: string, path: string, body?: unknown) =>
      fetch(`${gk.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${key}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        redirect: 'manual',
      }),
    /** Every key stored under a deployment, relative to it. */
    listDeployment: (deploymentId: string) => listDeployment(storage, course.id, deploymentId),
    /**
     * s3 only: an outage of the store. `stop()` closes s3rver (connections are refused), `start()` runs
     * it again on the same port over the same data.
     */
    s3Outage: {
      async stop() {
        // Keep-alive connections would go on serving uploads after `close()`: an outage drops them too.
        const server = (s3 as unknown as { httpServer?: { closeAllConnections(): void } } | undefined)
          ?.httpServer;
        const closed = s3?.close();
        server?.closeAllConnections();
        await closed;
        s3 = undefined;
      },
      async start() {
        s3 = new S3rver(s3Options);
        await s3.run();
      },
    },
    async close() {
      await gk.close();
      await s3?.close();
    },
  };
}
