import { readdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../gatekeeper/app.js';
import { createCourseOf } from '../../gatekeeper/courses/service.js';
import { setLiveDeploymentStatement } from '../../gatekeeper/db/courses.js';
import type { Database } from '../../gatekeeper/db/database.js';
import { createDeployment } from '../../gatekeeper/db/deployments.js';
import { openSqlite } from '../../gatekeeper/db/open-sqlite.js';
import { createTokenBucket } from '../../gatekeeper/http/rate-limit.js';
import { createMemoryKeyStore } from '../../gatekeeper/keys/key-store.js';
import { createOrgWithOwner } from '../../gatekeeper/orgs/service.js';
import { createFsStorage } from '../../gatekeeper/storage/fs.js';
import type { Storage } from '../../gatekeeper/storage/types.js';
import { type FillableDisk, fillableDisk } from '../helpers/full-disk.js';

/**
 * A full volume under the database and the fs storage (issue 22): every launch answered 500 and
 * `/healthz` stayed green. On a real tmpfs where the machine allows mounting one; otherwise SQLite's own
 * `SQLITE_FULL` and Node's `ENOSPC` are injected where the drivers raise them, and the test names say so.
 */
const disk: FillableDisk = fillableDisk(16);
const how = disk.real
  ? 'on a full tmpfs'
  : 'with ENOSPC injected at the driver seam (this machine does not allow mounting a tmpfs)';

const noSpace = (code: string) => Object.assign(new Error(`injected ${code}`), { code });

/** The database as the driver seam sees it, failing every write with `SQLITE_FULL` while `full.on`. */
function injectedFull(db: Database, full: { on: boolean }): Database {
  const guard = <A extends unknown[], R>(fn: (...args: A) => R) =>
    ((...args: A) => (full.on ? Promise.reject(noSpace('SQLITE_FULL')) : fn(...args))) as (...args: A) => R;
  return {
    ...db,
    batch: guard(db.batch),
    batchPrepared: guard(db.batchPrepared),
    ...(db.grouped ? { grouped: guard(db.grouped) as Database['grouped'] } : {}),
  };
}

interface Running {
  url: string;
  token: string;
  storage: Storage;
  fill(): void;
  free(): void;
  close(): Promise<void>;
}

async function start(): Promise<Running> {
  const injected = { on: false };
  const sqlite = await openSqlite({ file: join(disk.dir, 'gatekeeper.sqlite') });
  const db = disk.real ? sqlite : injectedFull(sqlite, injected);
  const storage = await createFsStorage({ root: join(disk.dir, 'content') });
  const now = () => new Date();
  const unlimited = () => createTokenBucket({ capacity: 1e6, refillPerSecond: 1e6 });
  const app = createApp({
    db,
    keys: await createMemoryKeyStore(),
    storage,
    now,
    config: { publicUrl: 'http://localhost:8787', contentUrl: 'http://127.0.0.1:8788' },
    limits: { perLicense: unlimited(), perAddress: unlimited(), perSession: unlimited() },
    logger: () => {},
  });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((done) => server.once('listening', done));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const made = await createOrgWithOwner(
    { db, now },
    { name: 'Acme', owner: { email: 'owner@acme.test' }, keyName: 'owner' },
  );
  const course = await createCourseOf({ db, now }, { orgId: made.org.id }, { slug: 'intro', title: 'Intro' });
  const deployment = await createDeployment(db, {
    orgId: made.org.id,
    courseId: course.id,
    entry: 'index.html',
    files: [{ path: 'index.html', sha256: '0'.repeat(64), size: 1 }],
    status: 'live',
    now: Date.now(),
  });
  await db.batch([setLiveDeploymentStatement(db, course.id, deployment.id)]);
  const issued = await fetch(`${url}/v1/licenses`, {
    method: 'POST',
    headers: { authorization: `Bearer ${made.key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ courseId: course.id, clientName: 'Client LMS' }),
  });
  const { token } = (await issued.json()) as { token: string };
  return {
    url,
    token,
    storage,
    fill: () => {
      disk.fill();
      injected.on = true;
    },
    free: () => {
      disk.free();
      injected.on = false;
    },
    async close() {
      await new Promise((done) => server.close(done));
      await sqlite.close();
    },
  };
}

interface Answer {
  status: number;
  code: string | undefined;
  retryAfter: string | null;
  body: { error?: { code: string; details?: Record<string, string> } };
}

async function answer(res: Response): Promise<Answer> {
  const body = (await res.json()) as Answer['body'];
  return { status: res.status, code: body.error?.code, retryAfter: res.headers.get('retry-after'), body };
}

/**
 * Sends `request` until it is refused, at most `limit` times: on a real full volume SQLite may still
 * fit a write or two in what its log file already holds. Every answer before the refusal must be a 200.
 */
async function untilRefused(request: () => Promise<Response>, limit = 200): Promise<Answer> {
  for (let i = 0; i < limit; i++) {
    const got = await answer(await request());
    if (got.status !== 200) return got;
  }
  throw new Error(`still answering 200 after ${limit} requests on a full disk`);
}

describe(`storage and database faults ${how}`, () => {
  let gk: Running;
  beforeAll(async () => {
    gk = await start();
  });
  afterAll(async () => {
    await gk?.close();
    disk.remove();
  });

  const launch = () =>
    fetch(`${gk.url}/v1/launch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://lms.example' },
      body: JSON.stringify({ token: gk.token, standard: 'scorm12' }),
    });
  const readyz = () => fetch(`${gk.url}/readyz`);

  it(`a launch ${how} answers 503 disk_full with Retry-After, /readyz names the database, /healthz stays live; both recover once space returns`, async () => {
    expect((await answer(await launch())).status).toBe(200);
    expect(await answer(await readyz())).toMatchObject({ status: 200 });

    gk.fill();
    const refused = await untilRefused(launch);
    expect(refused).toMatchObject({ status: 503, code: 'disk_full' });
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    // The stub on the LMS origin reads the code and the header cross-origin.
    const raw = await launch();
    expect(raw.headers.get('access-control-allow-origin')).toBe('*');
    expect(raw.headers.get('access-control-expose-headers')).toMatch(/retry-after/i);
    await raw.body?.cancel();

    const notReady = await untilRefused(readyz);
    expect(notReady).toMatchObject({ status: 503, code: 'disk_full' });
    expect(notReady.body.error?.details).toEqual({ database: 'disk_full', storage: 'ok' });
    expect(Number(notReady.retryAfter)).toBeGreaterThan(0);
    expect((await fetch(`${gk.url}/healthz`)).status).toBe(200);

    gk.free();
    expect((await answer(await launch())).status).toBe(200);
    expect(await answer(await readyz())).toMatchObject({
      status: 200,
      body: { database: 'ok', storage: 'ok' },
    });
  });

  it(`fs storage ${how}: a failed write is disk_full and leaves no temporary file behind`, async () => {
    const tmp = join(disk.dir, 'content', 'tmp');
    const big = new Uint8Array(4 << 20).fill(7);
    // Without a real volume to fill, the body itself fails the write with ENOSPC, half way through.
    const body = disk.real
      ? big
      : new ReadableStream<Uint8Array>({
          start(c) {
            c.enqueue(big.subarray(0, 1 << 20));
          },
          pull(c) {
            c.error(noSpace('ENOSPC'));
          },
        });
    gk.fill();
    try {
      await expect(gk.storage.put('courses/c/d/big.bin', body)).rejects.toMatchObject({
        code: 'disk_full',
        status: 503,
      });
      expect(readdirSync(tmp)).toEqual([]);
    } finally {
      gk.free();
    }
    await gk.storage.put('courses/c/d/big.bin', big);
    expect((await gk.storage.head('courses/c/d/big.bin'))?.size).toBe(big.byteLength);
    expect(readdirSync(tmp)).toEqual([]);
  });
});
