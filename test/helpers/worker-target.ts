import { join } from 'node:path';
import type { D1Database, R2Bucket } from '@cloudflare/workers-types/latest/index.ts';
import { Miniflare } from 'miniflare';
import { migrateD1, openD1 } from '../../gatekeeper/db/d1.js';
import type { Database } from '../../gatekeeper/db/database.js';
import { readMigrations } from '../../gatekeeper/db/open-sqlite.js';
import {
  readCmi5LaunchScript,
  readPlayerFiles,
  readStubScript,
} from '../../gatekeeper/deployments/read-player-files.js';
import {
  STORED_CMI5_LAUNCH_KEY,
  STORED_PLAYER_PREFIX,
  STORED_STUB_KEY,
} from '../../gatekeeper/deployments/stored-player-files.js';
import { createMemoryKeyStore, type KeyStore } from '../../gatekeeper/keys/key-store.js';
import { TEST_CLOCK_HEADER } from '../../gatekeeper/worker-env.js';
import { ROOT } from './paths.js';
import { bundleWorker } from './worker-bundle.js';

/** Set by the `workers` vitest project: the API suites then run against the Worker under Miniflare. */
export const onWorker = process.env.COURSEGATE_TEST_TARGET === 'worker';

export const WORKER_COMPATIBILITY_DATE = '2026-04-01';

/** `COURSEGATE_FORWARDING_KEY` of the test Gatekeepers (32 bytes, base64), so LRS targets can be stored. */
export const TEST_FORWARDING_KEY = Buffer.alloc(32, 7).toString('base64');

export interface WorkerTarget {
  mf: Miniflare;
  /** Miniflare's D1 binding, reached from Node (seeding and assertions go through the same driver). */
  d1: D1Database;
  r2: R2Bucket;
  /** The data layer over `d1`. */
  db: Database;
  /** The keys the Worker was given as its `COURSEGATE_KEYS` secret, private halves included. */
  keys: KeyStore;
  /** `http://127.0.0.1:<port>` when started with `listen`. */
  url?: URL;
  /** A request to the Worker; `now` is sent as the test clock (the Worker honours it only with COURSEGATE_TEST_CLOCK=on). */
  fetch(path: string, init?: RequestInit, now?: Date): Promise<Response>;
  /** Empties every table, so each test starts from a fresh database without a new Miniflare. */
  reset(): Promise<void>;
}

export interface WorkerTargetOptions {
  publicUrl: string;
  contentUrl: string;
  /** `COURSEGATE_ORG_CONTENT_URL`; unset, orgs share `contentUrl`. */
  orgContentUrl?: string;
  /** Listen on a loopback port (browser tests); otherwise requests go through `dispatchFetch` only. */
  listen?: boolean;
  /** Extra vars, e.g. launch rates; an empty string unsets a default (e.g. the S3 settings, so uploads go to the Worker). */
  vars?: Record<string, string>;
  /** Honour the test clock header (default true); off runs the Worker exactly as in production (bench). */
  testClock?: boolean;
  /** The keys to give as `COURSEGATE_KEYS` (default: a fresh store with one key). */
  keys?: KeyStore;
}

/** Starts the bundled Worker under Miniflare with an in-memory D1 (migrated) and R2. */
export async function startWorkerTarget(options: WorkerTargetOptions): Promise<WorkerTarget> {
  const { code } = await bundleWorker();
  const keys = options.keys ?? (await createMemoryKeyStore());
  const state = { keys: keys.list(), sessionSecret: Buffer.from(keys.sessionSecret).toString('base64url') };
  const mf = new Miniflare({
    modules: [{ type: 'ESModule', path: 'worker.js', contents: code }],
    compatibilityDate: WORKER_COMPATIBILITY_DATE,
    compatibilityFlags: ['nodejs_compat'],
    d1Databases: { DB: 'gatekeeper' },
    r2Buckets: { CONTENT: 'content' },
    bindings: {
      COURSEGATE_KEYS: JSON.stringify(state),
      COURSEGATE_PUBLIC_URL: options.publicUrl,
      COURSEGATE_CONTENT_URL: options.contentUrl,
      ...(options.orgContentUrl ? { COURSEGATE_ORG_CONTENT_URL: options.orgContentUrl } : {}),
      COURSEGATE_LOG: 'off',
      COURSEGATE_FORWARDING_KEY: TEST_FORWARDING_KEY,
      // Deploy plans hand out presigned PUTs for R2's S3 API; signing needs no network, so loopback will do.
      COURSEGATE_S3_ENDPOINT: 'http://127.0.0.1:9',
      COURSEGATE_S3_BUCKET: 'coursegate-test',
      COURSEGATE_S3_ACCESS_KEY_ID: 'test',
      COURSEGATE_S3_SECRET_ACCESS_KEY: 'test',
      ...(options.testClock === false ? {} : { COURSEGATE_TEST_CLOCK: 'on' }),
      ...options.vars,
    },
    ...(options.listen ? { host: '127.0.0.1', port: 0 } : {}),
  });
  const url = await mf.ready;
  const d1 = (await mf.getD1Database('DB')) as unknown as D1Database;
  const r2 = (await mf.getR2Bucket('CONTENT')) as unknown as R2Bucket;
  await migrateD1(d1, readMigrations(), Date.now());
  // What a Workers deploy uploads next to the Worker (docs/deploy-cloudflare.md): the built player, stub and cmi5 launch page script.
  const runtimeDir = join(ROOT, 'dist/player');
  await r2.put(STORED_STUB_KEY, await readStubScript(runtimeDir), {
    httpMetadata: { contentType: 'text/javascript; charset=utf-8' },
  });
  await r2.put(STORED_CMI5_LAUNCH_KEY, await readCmi5LaunchScript(runtimeDir), {
    httpMetadata: { contentType: 'text/javascript; charset=utf-8' },
  });
  for (const p of await readPlayerFiles(runtimeDir))
    await r2.put(`${STORED_PLAYER_PREFIX}/${p.path}`, p.body, {
      httpMetadata: { contentType: p.contentType },
    });
  const tables = (
    await d1
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name NOT IN ('_migrations', 'signing_keys')",
      )
      .all<{ name: string }>()
  ).results.map((r) => r.name);
  return {
    mf,
    d1,
    r2,
    db: openD1(d1),
    keys,
    ...(options.listen ? { url } : {}),
    fetch(path, init = {}, now) {
      const headers = new Headers(init.headers);
      if (now) headers.set(TEST_CLOCK_HEADER, now.toISOString());
      return mf.dispatchFetch(new URL(path, options.publicUrl).href, {
        ...init,
        headers,
      } as never) as unknown as Promise<Response>;
    },
    async reset() {
      await d1.batch([
        // Rows go in any order: foreign keys are checked only at the end of the batch.
        d1.prepare('PRAGMA defer_foreign_keys = ON'),
        ...tables.map((t) => d1.prepare(`DELETE FROM "${t}"`)),
      ]);
    },
  };
}

let shared: Promise<WorkerTarget> | undefined;

/** The Miniflare of this test file, started on first use (one per file: vitest isolates files). */
export function sharedWorkerTarget(options: WorkerTargetOptions): Promise<WorkerTarget> {
  shared ??= startWorkerTarget(options);
  return shared;
}

export async function disposeWorkerTarget(): Promise<void> {
  const current = shared;
  shared = undefined;
  if (current) await (await current).mf.dispose();
}
