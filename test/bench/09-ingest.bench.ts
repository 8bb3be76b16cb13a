import { type ChildProcess, execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Sqlite from 'better-sqlite3';
import { openSqlite } from '../../gatekeeper/db/open-sqlite.js';
import { launchSession, seedLicense, spawnGatekeeper } from '../helpers/gatekeeper-process.js';
import { ROOT } from '../helpers/paths.js';
import type { BenchRow } from './types.ts';

const ISSUER = 'http://gatekeeper.bench';
const SECONDS = 10;
const BATCH = 100;
const RAW_ROWS = 200_000;

interface Load {
  statements: number;
  seconds: number;
  rate: number;
  failed: number;
}

async function load(dir: string, job: Record<string, unknown>): Promise<Load> {
  const file = join(dir, `job-${randomUUID()}.json`);
  writeFileSync(file, JSON.stringify(job));
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', 'test/helpers/ingest-load.ts', file],
    { cwd: ROOT, maxBuffer: 1 << 20 },
  );
  return JSON.parse(stdout.trim().split('\n').pop() as string) as Load;
}

/** better-sqlite3 alone: the same rows into the same table, one prepared insert, 100 per transaction. */
async function rawInsertRate(dir: string, sessionId: string): Promise<number> {
  const file = join(dir, 'raw.sqlite');
  await (await openSqlite({ file })).close();
  const db = new Sqlite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const insert = db.prepare(
    'INSERT INTO statements (id, session_id, org_id, course_id, deployment_id, verb, body, stored_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
  );
  const rows = Array.from({ length: RAW_ROWS }, (_, i) => {
    const id = randomUUID();
    const body = JSON.stringify({
      id,
      actor: { objectType: 'Agent', account: { homePage: ISSUER, name: sessionId } },
      verb: { id: 'http://adlnet.gov/expapi/verbs/progressed' },
      object: { objectType: 'Activity', id: `${ISSUER}/courses/seed/q${i % BATCH}` },
      result: { score: { raw: i % 10, min: 0, max: 10 }, duration: 'PT12.5S' },
      context: { extensions: { 'https://coursegate.dev/xapi/extensions/course': 'seed' } },
      timestamp: new Date().toISOString(),
    });
    return [id, body] as const;
  });
  const tx = db.transaction((slice: (readonly [string, string])[]) => {
    for (const [id, body] of slice)
      insert.run(
        id,
        sessionId,
        'org',
        'course',
        'dep',
        'http://adlnet.gov/expapi/verbs/progressed',
        body,
        Date.now(),
      );
  });
  const started = performance.now();
  for (let i = 0; i < rows.length; i += BATCH) tx(rows.slice(i, i + BATCH));
  const rate = RAW_ROWS / ((performance.now() - started) / 1000);
  db.close();
  return rate;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/**
 * `POST /xapi/statements` on a real server (gatekeeper/main.ts in its own process), loaded from another
 * process with batches of 100 fresh statements over 8 connections and 8 sessions, beside the raw
 * better-sqlite3 insert rate of the same rows in the same run.
 */
export async function bench(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'cg-bench-ingest-'));
  let server: ChildProcess | undefined;
  try {
    const started = await spawnGatekeeper(dir, { COURSEGATE_PUBLIC_URL: ISSUER });
    server = started.child;
    const { token } = await seedLicense(dir, ISSUER);
    const sessions = [];
    for (let i = 0; i < 8; i++) sessions.push(await launchSession(started.url, token));
    const job = { url: started.url, homePage: ISSUER, sessions, batch: BATCH, concurrency: 8 };
    await load(dir, { ...job, seconds: 2 });
    const run = await load(dir, { ...job, seconds: SECONDS });
    const raw = await rawInsertRate(dir, sessions[0]?.id ?? 's');
    return [
      {
        name: `POST /xapi/statements, batches of ${BATCH} (real server, client in its own process)`,
        value: `${fmt(run.rate)} statements/s${run.failed ? ` (${run.failed} failed requests)` : ''}`,
        budget: '≥ 20,000 statements/s',
        ok: run.failed === 0 && run.rate >= 20_000,
      },
      {
        name: `raw better-sqlite3 insert of the same rows, ${BATCH} per transaction, same run`,
        value: `${fmt(raw)} rows/s`,
        budget: '',
      },
      { name: 'ingest ÷ raw insert', value: (run.rate / raw).toFixed(2), budget: '' },
    ];
  } finally {
    server?.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}
