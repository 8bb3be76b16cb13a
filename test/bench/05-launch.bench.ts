import { type ChildProcess, execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { DATABASE_FILE } from '../../gatekeeper/db/database-file.js';
import { createDeployment } from '../../gatekeeper/db/deployments.js';
import { openSqlite } from '../../gatekeeper/db/open-sqlite.js';
import { channels, licenses } from '../../gatekeeper/db/schema.js';
import { openFileKeyStore } from '../../gatekeeper/keys/file-key-store.js';
import { seedLicenses, spawnGatekeeper } from '../helpers/gatekeeper-process.js';
import { ROOT } from '../helpers/paths.js';
import type { BenchRow } from './types.ts';

const ISSUER = 'http://gatekeeper.bench';
const SECONDS = 4;
/** Bare and launch runs alternate this many times; the figures are medians, the p99 the worst round. */
const ROUNDS = 5;
/**
 * Enough concurrent launches that the server, not the round trip, sets the rate: launches arriving in one
 * turn of the event loop share one transaction (docs/gatekeeper.md, "Launch"), so the figure depends on how
 * many are in flight. The same count for the bare route; one round at `FEW_CONNECTIONS` is printed beside it.
 */
const CONNECTIONS = 50;
const FEW_CONNECTIONS = 10;
const COLD_TOKENS = 8000;
/** Hot tokens, sent round-robin: 5 follow a channel, 1 is pinned, 4 follow live (`seed`). */
const HOT_TOKENS = 10;

export interface Load {
  rps: number;
  total: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

/** The Gatekeeper exactly as `npm start` runs it (gatekeeper/main.ts), in its own process. */
export function startServer(
  dataDir: string,
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; url: string }> {
  return spawnGatekeeper(dataDir, {
    ...env,
    COURSEGATE_PUBLIC_URL: ISSUER,
    // One load generator on one address with a handful of tokens: lift the limits so the bench
    // measures the check itself; the buckets still run on every request.
    COURSEGATE_LAUNCH_RATE_PER_ADDRESS: '1000000000',
    COURSEGATE_LAUNCH_RATE_PER_LICENSE: '1000000000',
  });
}

export async function load(dir: string, job: Record<string, unknown>): Promise<Load> {
  const file = join(dir, `job-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify({ connections: CONNECTIONS, ...job }));
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', 'test/bench/launch-load.ts', file],
    { cwd: ROOT, maxBuffer: 1 << 20 },
  );
  return JSON.parse(stdout.trim().split('\n').pop()!) as Load;
}

/**
 * `HOT_TOKENS` hot tokens, then `COLD_TOKENS` more, each for its own license allowing
 * `https://lms.example`. As operators use release channels (docs/deployments.md, "Channels"), half the
 * licenses follow a named channel, a tenth are pinned to a deployment and the rest follow live; the hot
 * ones in the same shares (by rowid: odd on the channel, every tenth pinned).
 */
export async function seed(dataDir: string): Promise<string[]> {
  const db = await openSqlite({ file: join(dataDir, DATABASE_FILE) });
  const seeded = await seedLicenses(db, await openFileKeyStore(dataDir), ISSUER, {
    name: 'Bench',
    count: COLD_TOKENS + HOT_TOKENS,
    allowedOrigins: ['https://lms.example'],
    dated: true,
  });
  const { orgId, courseId } = seeded;
  const beta = await createDeployment(db, {
    orgId,
    courseId,
    entry: 'index.html',
    files: [],
    now: Date.now(),
  });
  const channel = 'chn_bench';
  await db.batch([
    db.orm.insert(channels).values({
      id: channel,
      orgId,
      courseId,
      name: 'beta',
      deploymentId: beta.id,
      createdBy: 'bench',
      createdAt: Date.now(),
    }),
    db.orm.update(licenses).set({ channelId: channel }).where(sql`rowid % 2 = 1`),
    db.orm
      .update(licenses)
      .set({ channelId: null, pinnedDeploymentId: seeded.deploymentId })
      .where(sql`rowid % 10 = 0`),
  ]);
  await db.close();
  return seeded.tokens;
}

export const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
export const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
};
/** The per-round figures, e.g. " (rounds 8,100, 8,300, 7,900)". */
const each = <T>(xs: T[], show: (x: T) => string) => ` (rounds ${xs.map(show).join(', ')})`;
const clean = (l: Load) => l.non2xx === 0 && l.errors === 0 && l.timeouts === 0;
const failures = (l: Load) =>
  clean(l) ? '' : ` (non-2xx ${l.non2xx}, errors ${l.errors}, timeouts ${l.timeouts})`;

/**
 * `POST /v1/launch` against a real server on loopback (budgets: docs/architecture.md, "Benchmarks"): hot path
 * (a token already seen, so its signature check is memoized; the license row is still read and the launch
 * written every time), a bare Hono route on the same server in the same run, and the cold path (every token
 * new). The machine is shared, so hot and bare alternate over a few rounds and the load average is printed.
 */
export async function bench(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'cg-bench-launch-'));
  let server: ChildProcess | undefined;
  try {
    // The server creates the signing keys on first start; seed once it has.
    const first = await startServer(dir);
    const tokens = await seed(dir);
    server = first.child;
    const launchUrl = `${first.url}/v1/launch`;
    const body = (token: string) => JSON.stringify({ token, standard: 'scorm12' });
    const hot = tokens.slice(0, HOT_TOKENS).map(body);
    const cold = tokens.slice(HOT_TOKENS).map(body);

    const bareJob = { url: `${first.url}/healthz`, method: 'GET', duration: SECONDS };
    const launchJob = { url: launchUrl, method: 'POST', bodies: hot, duration: SECONDS };
    const loadBefore = loadavg()[0]!;
    await load(dir, { ...bareJob, duration: 2 });
    await load(dir, { ...launchJob, duration: 2 });
    const rounds: { bare: Load; launch: Load }[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      // Alternate which side goes first, so a burst of other work on the machine does not always
      // land on the same side of the ratio.
      if (i % 2 === 0) {
        const bare = await load(dir, bareJob);
        rounds.push({ bare, launch: await load(dir, launchJob) });
      } else {
        const launch = await load(dir, launchJob);
        rounds.push({ bare: await load(dir, bareJob), launch });
      }
    }
    const fewBare = await load(dir, { ...bareJob, connections: FEW_CONNECTIONS });
    const fewLaunch = await load(dir, { ...launchJob, connections: FEW_CONNECTIONS });
    const coldRun = await load(dir, { url: launchUrl, method: 'POST', bodies: cold, amount: cold.length });
    const loadAfter = loadavg()[0]!;

    const launches = rounds.map((r) => r.launch);
    const bares = rounds.map((r) => r.bare);
    const ratios = rounds.map((r) => r.launch.rps / r.bare.rps);
    const ratio = median(ratios);
    const launchClean = launches.every(clean);
    const launchP99 = Math.max(...launches.map((l) => l.p99));
    const launchRps = median(launches.map((l) => l.rps));
    const bareRps = median(bares.map((l) => l.rps));
    return [
      {
        name: `POST /v1/launch, ${HOT_TOKENS} valid tokens (hot path: half on a channel, a tenth pinned), ${CONNECTIONS} connections`,
        value: `${fmt(launchRps)} req/s${each(launches, (l) => fmt(l.rps))}, p99 ${launchP99} ms${launches.map(failures).join('')}`,
        budget: '≥ 5,000 req/s, p99 ≤ 20 ms',
        ok: launchClean && launchRps >= 5000 && launchP99 <= 20,
      },
      {
        name: 'bare Hono route (GET /healthz), same server, same run',
        value: `${fmt(bareRps)} req/s${each(bares, (l) => fmt(l.rps))}, p99 ${Math.max(...bares.map((l) => l.p99))} ms${bares.map(failures).join('')}`,
        budget: '',
      },
      {
        name: 'POST /v1/launch ÷ bare route',
        value: `${ratio.toFixed(2)}${each(ratios, (r) => r.toFixed(2))}`,
        budget: '≥ 0.40',
        ok: launchClean && ratio >= 0.4,
      },
      {
        name: `the same at ${FEW_CONNECTIONS} connections, one round (launch, bare, ratio)`,
        value: `${fmt(fewLaunch.rps)} req/s p99 ${fewLaunch.p99} ms, ${fmt(fewBare.rps)} req/s, ${(fewLaunch.rps / fewBare.rps).toFixed(2)}${failures(fewLaunch)}`,
        budget: '',
      },
      {
        name: `POST /v1/launch, cold path (${fmt(cold.length)} tokens never seen before)`,
        value: `${fmt(coldRun.rps)} req/s, p99 ${coldRun.p99} ms${failures(coldRun)}`,
        budget: '',
      },
      {
        name: 'machine load average (1 min), before / after the launch runs',
        value: `${loadBefore.toFixed(2)} / ${loadAfter.toFixed(2)} on ${availableParallelism()} cores`,
        budget: '',
      },
    ];
  } finally {
    server?.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}
