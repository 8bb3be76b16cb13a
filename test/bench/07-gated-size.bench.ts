import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureRuntimeBuild } from '../../scripts/ensure-runtime-build.ts';
import type { SizeRow } from '../../scripts/size-report.ts';
import type { BenchRow } from './types.ts';

/** Gated delivery: the launch stub every gated SCORM package carries, the cmi5 launch page script and the player each deployment serves. */
const FILES = [
  'dist/stub/stub.js.size.json',
  'dist/cmi5-launch/cmi5-launch.js.size.json',
  'dist/player/player.js.size.json',
  'dist/player/scorm12.min.js.size.json',
  'dist/player/scorm2004.min.js.size.json',
];

export async function bench(): Promise<BenchRow[]> {
  ensureRuntimeBuild();
  return FILES.map((file) => {
    const row = JSON.parse(readFileSync(join(file), 'utf8')) as SizeRow;
    return {
      name: `${row.file} min+gzip`,
      value: `${(row.gzip / 1024).toFixed(2)} KB (raw ${(row.raw / 1024).toFixed(2)} KB)`,
      budget: row.budget === undefined ? '' : `≤ ${(row.budget / 1024).toFixed(0)} KB`,
      ok: row.budget === undefined ? undefined : row.gzip <= row.budget,
    };
  });
}
