import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '../../gatekeeper/db/database.js';
import { DATABASE_FILE } from '../../gatekeeper/db/database-file.js';
import { openSqlite } from '../../gatekeeper/db/open-sqlite.js';
import { openFileKeyStore } from '../../gatekeeper/keys/file-key-store.js';
import type { KeyStore } from '../../gatekeeper/keys/key-store.js';
import { seedLicenses } from '../helpers/gatekeeper-process.js';
import { startWorkerTarget } from '../helpers/worker-target.js';
import { type Load, load, startServer } from './05-launch.bench.js';
import type { BenchRow } from './types.ts';

const ISSUER = 'http://gatekeeper.bench';
const SECONDS = 5;

/** One org, one live course, one license for `https://lms.example`; returns its signed token. */
async function seed(db: Database, keys: KeyStore): Promise<string> {
  const { tokens } = await seedLicenses(db, keys, ISSUER, {
    name: 'Bench',
    allowedOrigins: ['https://lms.example'],
    dated: true,
  });
  return tokens[0]!;
}

async function measure(dir: string, url: string, token: string): Promise<Load> {
  const body = JSON.stringify({ token, standard: 'scorm12' });
  await load(dir, { url: `${url}/v1/launch`, method: 'POST', bodies: [body], duration: 1 });
  return load(dir, { url: `${url}/v1/launch`, method: 'POST', bodies: [body], duration: SECONDS });
}

const fmt = (l: Load) =>
  `${Math.round(l.rps).toLocaleString('en-US')} req/s, p99 ${l.p99} ms${
    l.non2xx + l.errors + l.timeouts === 0
      ? ''
      : ` (non-2xx ${l.non2xx}, errors ${l.errors}, timeouts ${l.timeouts})`
  }`;

/**
 * Launch rate of the Worker build under Miniflare (workerd, D1, R2 on loopback) beside the Node server,
 * in the same run with the same load. Informational: Miniflare is not production; the ratio only shows
 * that the Worker path has no pathological slowdown.
 */
export async function bench(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'cg-bench-worker-'));
  let node: Awaited<ReturnType<typeof startServer>> | undefined;
  let worker: Awaited<ReturnType<typeof startWorkerTarget>> | undefined;
  try {
    node = await startServer(dir);
    const sqlite = await openSqlite({ file: join(dir, DATABASE_FILE) });
    const nodeToken = await seed(sqlite, await openFileKeyStore(dir));
    await sqlite.close();
    const onNode = await measure(dir, node.url, nodeToken);
    node.child.kill('SIGTERM');
    node = undefined;

    worker = await startWorkerTarget({
      publicUrl: ISSUER,
      contentUrl: 'http://content.bench',
      listen: true,
      testClock: false,
      // One load generator on one address: lift the limits as the Node run does.
      vars: {
        COURSEGATE_LAUNCH_RATE_PER_ADDRESS: '1000000000',
        COURSEGATE_LAUNCH_RATE_PER_LICENSE: '1000000000',
      },
    });
    const workerToken = await seed(worker.db, worker.keys);
    const workerUrl = (worker.url as URL).origin;
    const onWorker = await measure(dir, workerUrl, workerToken);
    // What Miniflare itself costs per request, to tell it apart from the launch check over D1.
    const bare = await load(dir, { url: `${workerUrl}/healthz`, method: 'GET', duration: SECONDS });
    return [
      { name: 'POST /v1/launch on Node (SQLite), hot path', value: fmt(onNode), budget: '' },
      {
        name: 'POST /v1/launch on the Worker under Miniflare (D1), hot path',
        value: fmt(onWorker),
        budget: '',
      },
      { name: 'Worker under Miniflare ÷ Node', value: (onWorker.rps / onNode.rps).toFixed(2), budget: '' },
      { name: 'bare route (GET /healthz) on the Worker under Miniflare', value: fmt(bare), budget: '' },
    ];
  } finally {
    node?.child.kill('SIGTERM');
    await worker?.mf.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}
