import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../helpers/paths.js';
import { seedLogScale } from './log-scale-seed.ts';
import type { BenchRow } from './types.ts';

/** Fraction of issue 24's data set (10 M statements, 1 M launches, 100 k error groups); 1 by default. */
const SCALE = Number(process.env.COURSEGATE_BENCH_LOG_SCALE ?? 1);
const PAGE_MS = 200;
const FIRST_BYTE_MS = 200;
const RSS_MB = 64;

interface ChildResult {
  openSeconds: number;
  timings: Record<string, { p50: number; p95: number; bytes: number }>;
  exports: Record<string, { firstByteMs: number; totalMs: number; rows: number; rssGrowthMb: number }>;
}

/**
 * Issue 24, "Scale": seeds the data set into a real SQLite file, then (in a child, for a clean RSS)
 * times p95 of every dashboard page and log API over 20 requests and streams the CSV exports.
 * `COURSEGATE_BENCH_LOG_SCALE=0.01` runs it on a hundredth of the rows (courses and licenses stay).
 */
export async function bench(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'cg-log-scale-'));
  try {
    const file = join(dir, 'gatekeeper.sqlite');
    const seeded = await seedLogScale(file, SCALE, Date.now());
    const { counts } = seeded;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', 'test/bench/log-scale-child.ts', file, JSON.stringify(seeded)],
      { cwd: ROOT, maxBuffer: 1 << 20 },
    );
    const result = JSON.parse(stdout.trim().split('\n').pop() as string) as ChildResult;
    const k = (n: number) => (n >= 1e6 ? `${n / 1e6} M` : `${n / 1e3} k`);
    const rows: BenchRow[] = [
      {
        name: `seed ${k(counts.statements)} statements, ${k(counts.launches)} launches, ${k(counts.errorGroups)} error groups, ${k(counts.completions)} completions`,
        value: `${seeded.seconds.toFixed(1)} s`,
        budget: '',
      },
      { name: 'open (migrations, PRAGMA optimize)', value: `${result.openSeconds.toFixed(2)} s`, budget: '' },
    ];
    for (const [name, t] of Object.entries(result.timings))
      rows.push({
        name: `${name}, p95 of 20`,
        value: `${t.p95.toFixed(1)} ms (p50 ${t.p50.toFixed(1)}, ${(t.bytes / 1024).toFixed(0)} KB)`,
        budget: `≤ ${PAGE_MS} ms`,
        ok: t.p95 <= PAGE_MS,
      });
    for (const [name, e] of Object.entries(result.exports)) {
      rows.push(
        {
          name: `${name}: first byte`,
          value: `${e.firstByteMs.toFixed(1)} ms`,
          budget: `≤ ${FIRST_BYTE_MS} ms`,
          ok: e.firstByteMs <= FIRST_BYTE_MS,
        },
        { name: `${name}: total`, value: `${(e.totalMs / 1000).toFixed(1)} s`, budget: '' },
        {
          name: `${name}: RSS growth`,
          value: `${e.rssGrowthMb.toFixed(1)} MB`,
          budget: `≤ ${RSS_MB} MB`,
          ok: e.rssGrowthMb <= RSS_MB,
        },
      );
    }
    const all = result.exports['dashboard: launches CSV (all)'];
    const course = result.exports['API: course launches CSV'];
    rows.push(
      {
        name: 'dashboard: launches CSV (all): rows',
        value: String(all?.rows),
        budget: `= ${counts.launches} (every launch)`,
        ok: all?.rows === counts.launches,
      },
      { name: 'API: course launches CSV: rows', value: String(course?.rows), budget: '' },
    );
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
