import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureRuntimeBuild } from '../../scripts/ensure-runtime-build.ts';
import type { SizeRow } from '../../scripts/size-report.ts';
import type { BenchRow } from './types.ts';

const ENTRIES = ['coursegate.iife.js', 'index.js', 'scorm12.js', 'scorm2004.js', 'cmi5.js', 'standalone.js'];

/** Bundle sizes, min+gzip, as the build measured them (each entry with the chunks it imports). */
export async function bench(): Promise<BenchRow[]> {
  ensureRuntimeBuild();
  return ENTRIES.map((entry) => {
    const row = JSON.parse(readFileSync(join('runtime/dist', `${entry}.size.json`), 'utf8')) as SizeRow;
    return {
      name: `${row.file} min+gzip`,
      value: `${(row.gzip / 1024).toFixed(2)} KB (raw ${(row.raw / 1024).toFixed(2)} KB)`,
      budget: row.budget === undefined ? '' : `≤ ${(row.budget / 1024).toFixed(0)} KB`,
      ok: row.budget === undefined ? undefined : row.gzip <= row.budget,
    };
  });
}
