import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, expect, it } from 'vitest';
import { createApp } from '../../gatekeeper/app.js';
import { openSqlite } from '../../gatekeeper/db/open-sqlite.js';
import { createMemoryKeyStore } from '../../gatekeeper/keys/key-store.js';
import { createOrgWithOwner } from '../../gatekeeper/orgs/service.js';

const dir = mkdtempSync(join(tmpdir(), 'cg-busy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Issue 22: a database that cannot take a write answered 500. Another process (an `admin` command, a
 * stuck backup) holding SQLite's write lock past `busy_timeout` (5 s) is real SQLITE_BUSY.
 */
it('a write refused with SQLITE_BUSY past busy_timeout answers 503 database_unavailable with Retry-After, then succeeds once the lock is gone', {
  timeout: 60_000,
}, async () => {
  const file = join(dir, 'gatekeeper.sqlite');
  const db = await openSqlite({ file });
  const now = () => new Date();
  const app = createApp({
    db,
    keys: await createMemoryKeyStore(),
    now,
    config: { publicUrl: 'http://localhost:8787', contentUrl: 'http://127.0.0.1:8788' },
    logger: () => {},
  });
  const { key } = await createOrgWithOwner(
    { db, now },
    { name: 'Acme', owner: { email: 'owner@acme.test' }, keyName: 'owner' },
  );
  const createCourse = (slug: string) =>
    app.request('/v1/courses', {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ slug, title: slug }),
    });

  // Its own thread: this one blocks while SQLite waits for the lock.
  const holder = new Worker(
    `const Sqlite = require(${JSON.stringify(createRequire(import.meta.url).resolve('better-sqlite3'))});
     const { parentPort, workerData } = require('node:worker_threads');
     const db = new Sqlite(workerData);
     db.exec('BEGIN IMMEDIATE');
     parentPort.postMessage('locked');
     parentPort.once('message', () => { db.exec('COMMIT'); db.close(); parentPort.postMessage('released'); });`,
    { eval: true, workerData: file },
  );
  try {
    await new Promise((resolve) => holder.once('message', resolve));
    const busy = await createCourse('while-locked');
    expect(busy.status).toBe(503);
    expect(Number(busy.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await busy.json()) as { error: { code: string } }).error.code).toBe('database_unavailable');

    holder.postMessage('release');
    await new Promise((resolve) => holder.once('message', resolve));
    expect((await createCourse('after')).status).toBe(201);
  } finally {
    await holder.terminate();
    await db.close();
  }
});
