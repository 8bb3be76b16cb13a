import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newest(dir: string): number {
  if (!existsSync(dir)) return 0;
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    // runtime/dist is what this builds, not a source of it.
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const p = join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** One output of each rollup build: a missing or older one means the bundles need building. */
const STAMPS = [
  'runtime/dist/coursegate.iife.js',
  'dist/stub/stub.js',
  'dist/player/player.html',
  'dist/cmi5-launch/cmi5-launch.js',
];
const SOURCES = ['runtime', 'delivery', 'protocol', 'formats', 'rollup.config.ts', 'scripts/budgets.ts'];

/** Runs `npm run build:runtime` when the browser bundles are missing or older than their sources. */
export function ensureRuntimeBuild(root: string = process.cwd()): void {
  const sourceTime = Math.max(
    ...SOURCES.map((s) => {
      const p = join(root, s);
      return existsSync(p) && statSync(p).isDirectory() ? newest(p) : existsSync(p) ? statSync(p).mtimeMs : 0;
    }),
  );
  const built = STAMPS.map((s) => join(root, s));
  if (built.every((b) => existsSync(b) && statSync(b).mtimeMs >= sourceTime)) return;
  console.log('Building the browser runtime (npm run build:runtime)…');
  const r = spawnSync('npm', ['run', '--silent', 'build:runtime'], { stdio: 'inherit', cwd: root });
  if (r.status !== 0) throw new Error('npm run build:runtime failed');
}
