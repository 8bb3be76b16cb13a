import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { buildHelloCourse } from '../../examples/hello-course/build.ts';
import type { BenchRow } from './types.ts';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const SAMPLES = 7;

/** What each user installs (issue 21): `npm pack`, then `npm install` of the tarball in an empty project. */
const PACKAGES = [
  { dir: 'runtime', who: 'course code' },
  { dir: 'packager', who: 'authors (the CLI)' },
  { dir: 'gatekeeper', who: 'operators' },
];

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

/** Wall time of a command, in ms, median of SAMPLES runs after one warm-up (the OS file cache warm). */
async function wall(command: string, args: string[], cwd: string): Promise<number> {
  await run(command, args, { cwd });
  const times: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const t = performance.now();
    await run(command, args, { cwd });
    times.push(performance.now() - t);
  }
  return median(times);
}

const kb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export async function bench(): Promise<BenchRow[]> {
  const work = mkdtempSync(join(tmpdir(), 'cg-bench-packages-'));
  const rows: BenchRow[] = [];
  try {
    const packed = join(work, 'packed');
    mkdirSync(packed);
    const tarballs: Record<string, string> = {};
    for (const p of PACKAGES) {
      const { stdout } = await run('npm', ['pack', '--workspace', p.dir, '--pack-destination', packed], {
        cwd: ROOT,
        maxBuffer: 1 << 26,
      });
      tarballs[p.dir] = join(packed, stdout.trim().split('\n').at(-1) ?? '');
    }
    for (const p of PACKAGES) {
      const project = join(work, `install-${p.dir}`);
      mkdirSync(project);
      writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'fresh', private: true }));
      const t = performance.now();
      await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarballs[p.dir] ?? ''], {
        cwd: project,
        maxBuffer: 1 << 26,
      });
      const seconds = (performance.now() - t) / 1000;
      const bytes = Number(
        execFileSync('du', ['-sb', join(project, 'node_modules')])
          .toString()
          .split('\t')[0],
      );
      const list = execFileSync('npm', ['ls', '--all', '--parseable'], { cwd: project }).toString();
      // The list starts with the project and then the package itself: the rest are its dependencies.
      const deps = list.trim().split('\n').length - 2;
      rows.push({
        name: `${p.dir} package (${p.who}): install size / dependencies / install time`,
        value: `${kb(bytes)} / ${deps} / ${seconds.toFixed(1)} s (tarball ${(readFileSync(tarballs[p.dir] ?? '').byteLength / 1024).toFixed(0)} KB)`,
        budget: p.dir === 'runtime' ? '0 dependencies' : '',
        ok: p.dir === 'runtime' ? deps === 0 : undefined,
      });
    }
    const author = join(work, 'install-packager');
    const bin = join(author, 'node_modules/.bin/coursegate');
    const course = join(work, 'hello-course');
    buildHelloCourse(course);
    copyFileSync(join(ROOT, 'examples/hello-course/coursegate.json'), join(course, 'coursegate.json'));
    const bare = await wall(process.execPath, ['-e', '0'], author);
    const version = await wall(bin, ['--version'], author);
    const pack = await wall(
      bin,
      ['package', course, '--format', 'scorm12', '-o', join(work, 'h.zip')],
      author,
    );
    rows.push(
      {
        name: `CLI cold start: coursegate --version vs node -e 0 (median of ${SAMPLES})`,
        value: `${version.toFixed(0)} ms vs ${bare.toFixed(0)} ms (+${(version - bare).toFixed(0)} ms)`,
        budget: '≤ +300 ms',
        ok: version - bare <= 300,
      },
      {
        name: `CLI: coursegate package of hello-course (SCORM 1.2, median of ${SAMPLES})`,
        value: `${pack.toFixed(0)} ms (+${(pack - bare).toFixed(0)} ms over node -e 0)`,
        budget: '',
      },
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return rows;
}
