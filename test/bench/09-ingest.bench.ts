import { type ChildProcess, execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Sqlite from 'better-sqlite3';
import { DATABASE_FILE } from '../../gatekeeper/db/database-file.js';
import { openSqlite, SQLITE_PRAGMAS } from '../../gatekeeper/db/open-sqlite.js';
import { launchSession, seedLicense, spawnGatekeeper } from '../helpers/gatekeeper-process.js';
import { ROOT } from '../helpers/paths.js';
import type { BenchRow } from './types.ts';

const ISSUER = 'http://gatekeeper.bench';
const SECONDS = 10;
const BATCH = 100;

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

type Row = [string, string, string, string, string | null, string, string, number];

/** Every statement the server stored, in the order it stored them. */
function storedRows(dir: string): Row[] {
  const db = new Sqlite(join(dir, DATABASE_FILE), { readonly: true });
  try {
    return db
      .prepare(
        'SELECT id, session_id, org_id, course_id, deployment_id, verb, body, stored_at FROM statements ORDER BY rowid',
      )
      .raw()
      .all() as Row[];
  } finally {
    db.close();
  }
}

/**
 * better-sqlite3 alone: the rows the ingest stored, into a fresh database with the same schema and
 * connection settings, one prepared insert, `BATCH` rows per transaction.
 */
async function rawInsertRate(dir: string, rows: readonly Row[]): Promise<number> {
  const file = join(dir, 'raw.sqlite');
  await (await openSqlite({ file })).close();
  const db = new Sqlite(file);
  for (const pragma of SQLITE_PRAGMAS) db.pragma(pragma);
  const insert = db.prepare(
    'INSERT INTO statements (id, session_id, org_id, course_id, deployment_id, verb, body, stored_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
  );
  const tx = db.transaction((slice: readonly Row[]) => {
    for (const row of slice) insert.run(row);
  });
  const started = performance.now();
  for (let i = 0; i < rows.length; i += BATCH) tx(rows.slice(i, i + BATCH));
  const rate = rows.length / ((performance.now() - started) / 1000);
  db.close();
  return rate;
}

/** SIGTERM, and wait until the server has closed its database. */
function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/**
 * `POST /xapi/statements` on a real server (gatekeeper/main.ts in its own process), loaded from another
 * process with batches of 100 fresh statements over 8 connections and 8 sessions, beside the raw
 * better-sqlite3 insert rate of the same rows in the same run: once the server has stopped, every row
 * it stored (warm-up included) is read back and inserted again into a fresh database.
 */
export async function bench(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'cg-bench-ingest-'));
  let server: ChildProcess | undefined;
  try {
    // Eight sessions carry the whole load: lift the per-session limit so the bench measures ingest.
    const started = await spawnGatekeeper(dir, {
      COURSEGATE_PUBLIC_URL: ISSUER,
      COURSEGATE_INGEST_RATE_PER_SESSION: '1000000000',
    });
    server = started.child;
    const { token } = await seedLicense(dir, ISSUER);
    const sessions = [];
    for (let i = 0; i < 8; i++) sessions.push(await launchSession(started.url, token));
    const job = { url: started.url, homePage: ISSUER, sessions, batch: BATCH, concurrency: 8 };
    await load(dir, { ...job, seconds: 2 });
    const loadBefore = loadavg()[0] ?? 0;
    const run = await load(dir, { ...job, seconds: SECONDS });
    await stop(server);
    server = undefined;
    const rows = storedRows(dir);
    const raw = await rawInsertRate(dir, rows);
    return [
      {
        name: `POST /xapi/statements, batches of ${BATCH} (real server, client in its own process)`,
        value: `${fmt(run.rate)} statements/s${run.failed ? ` (${run.failed} failed requests)` : ''}`,
        budget: '≥ 20,000 statements/s',
        ok: run.failed === 0 && run.rate >= 20_000,
      },
      {
        name: `raw better-sqlite3 insert of the same ${fmt(rows.length)} rows, ${BATCH} per transaction, same run`,
        value: `${fmt(raw)} rows/s`,
        budget: '',
      },
      { name: 'ingest ÷ raw insert', value: (run.rate / raw).toFixed(2), budget: '' },
      {
        // Other work on the machine moves both figures; this says how quiet it was.
        name: 'machine load average (1 min), before the run and after the raw insert',
        value: `${loadBefore.toFixed(2)} → ${(loadavg()[0] ?? 0).toFixed(2)}`,
        budget: '',
      },
    ];
  } finally {
    if (server) await stop(server);
    rmSync(dir, { recursive: true, force: true });
  }
}
