import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { withBuildLock } from './build-lock.js';
import { ROOT } from './paths.js';

const run = promisify(execFile);

/** The workspace packages (docs/architecture.md, "Packages"), by folder. */
export const PACKED = { runtime: 'runtime', cli: 'packager', gatekeeper: 'gatekeeper' } as const;
export type PackedKind = keyof typeof PACKED;

/** What the packages are built from: a change to any of these makes new tarballs. */
const SOURCES = [
  'runtime',
  'delivery',
  'protocol',
  'formats',
  'packager',
  'gatekeeper',
  'scripts',
  'rollup.config.ts',
];

function newest(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let t = s.mtimeMs;
  for (const e of readdirSync(path))
    if (e !== 'dist' && e !== 'node_modules') t = Math.max(t, newest(join(path, e)));
  return t;
}

/**
 * The three packages as `npm pack` makes them (each `prepack` builds it), packed once and kept in a
 * temporary folder per checkout and source state, so the test files that install them share one packing.
 */
export async function packedPackages(): Promise<Record<PackedKind, string>> {
  const state = SOURCES.filter((s) => existsSync(join(ROOT, s)))
    .map((s) => `${s}:${newest(join(ROOT, s))}`)
    .join();
  const key = createHash('sha256').update(`${ROOT}\n${state}`).digest('hex').slice(0, 16);
  const dir = join(tmpdir(), `coursegate-packed-${key}`);
  const index = join(dir, 'packed.json');
  const read = () => JSON.parse(readFileSync(index, 'utf8')) as Record<PackedKind, string>;
  if (!existsSync(index))
    await withBuildLock(async () => {
      if (!existsSync(index)) await pack(dir, index);
    });
  return read();
}

async function pack(dir: string, index: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const files = {} as Record<PackedKind, string>;
  for (const [kind, folder] of Object.entries(PACKED) as [PackedKind, string][]) {
    const { stdout } = await run('npm', ['pack', '--workspace', folder, '--pack-destination', dir], {
      cwd: ROOT,
      maxBuffer: 1 << 26,
    });
    files[kind] = join(dir, stdout.trim().split('\n').at(-1) ?? '');
  }
  writeFileSync(`${index}.${process.pid}`, JSON.stringify(files));
  renameSync(`${index}.${process.pid}`, index);
}

/** `npm install` in `dir` (made with an empty private package.json when it has none): npm's cache first. */
export async function npmInstall(dir: string, specs: string[]): Promise<void> {
  mkdirSync(dir, { recursive: true });
  if (!existsSync(join(dir, 'package.json')))
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ name: 'fresh', private: true, type: 'module' }),
    );
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', ...specs], {
    cwd: dir,
    maxBuffer: 1 << 26,
  });
}
