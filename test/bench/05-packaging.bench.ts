import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STORED_EXTENSIONS } from '../../packager/index.ts';
import type { BenchRow } from './types.ts';

/**
 * Packaging a generated course of 1 GB in 10,000 files: peak RSS of the packaging process and
 * its time against `zip -r -X -6` on the same files in the same run. Like for like: zip is told to store
 * the same media extensions the packager stores (`-n`), and both deflate the text at level 6.
 * `COURSEGATE_BENCH_PACKAGING_MB=64 npm run bench -- packaging` runs a smaller course for a quick look.
 */
const MB = 1024 * 1024;
const defaultSizeMb = Number(process.env.COURSEGATE_BENCH_PACKAGING_MB ?? 1024);
const defaultFileCount = Math.max(100, Math.round((10_000 * defaultSizeMb) / 1024));
const MEDIA = ['mp4', 'jpg', 'png', 'mp3', 'woff2'];
const TEXT = ['html', 'js', 'css', 'json', 'txt'];
const WORDS =
  'course learner module quiz score lesson passed completed video slide chapter question answer review summary objective'.split(
    ' ',
  );

/** Generates the course once per size and caches it under the OS temp folder (the deploy bench reuses it). */
export function generateCourse(sizeMb = defaultSizeMb, fileCount = defaultFileCount): string {
  const dir = join(tmpdir(), `coursegate-bench-course-${sizeMb}mb-${fileCount}`);
  // The marker sits beside the folder so it is not part of the course being measured.
  const marker = `${dir}.complete`;
  if (existsSync(marker)) return dir;
  rmSync(dir, { recursive: true, force: true });
  const mediaFiles = Math.round(fileCount * 0.2);
  const textFiles = fileCount - mediaFiles;
  // About 90 % of the bytes are incompressible media, 10 % compressible text.
  const mediaBytes = Math.floor((sizeMb * MB * 0.9) / mediaFiles);
  const textBytes = Math.floor((sizeMb * MB * 0.1) / textFiles);
  for (let i = 0; i < fileCount; i++) {
    const folder = join(dir, `unit-${String(i % 50).padStart(2, '0')}`, `page-${String(i % 7)}`);
    mkdirSync(folder, { recursive: true });
    if (i < mediaFiles) {
      // Sizes vary ±50 % around the mean so the course is not uniform.
      const size = Math.floor(mediaBytes * (0.5 + ((i * 7919) % 1000) / 1000));
      writeFileSync(join(folder, `asset-${i}.${MEDIA[i % MEDIA.length]}`), randomBytes(size));
    } else {
      const size = Math.floor(textBytes * (0.5 + ((i * 7919) % 1000) / 1000));
      let text = '';
      let n = i;
      while (text.length < size) {
        n = (n * 1103515245 + 12345) % 2147483648;
        text += `${WORDS[n % WORDS.length]}${n % 11 === 0 ? '\n' : ' '}${n % 5 === 0 ? n.toString(36) : ''}`;
      }
      writeFileSync(join(folder, `page-${i}.${TEXT[i % TEXT.length]}`), text.slice(0, size));
    }
  }
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>bench</title>');
  writeFileSync(marker, '');
  return dir;
}

function run(cmd: string, args: string[], cwd?: string): Promise<{ ms: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve({ ms: performance.now() - start, stdout })
        : reject(new Error(`${cmd} exited ${code}`)),
    );
  });
}

/** Sums the children's user and system times from the last line of `times` ("0m1.23s 0m0.45s"). */
function childCpuMs(timesOutput: string): number {
  const line = timesOutput.trim().split('\n').pop() ?? '';
  return [...line.matchAll(/(\d+)m([\d.]+)s/g)].reduce(
    (sum, m) => sum + (Number(m[1]) * 60 + Number(m[2])) * 1000,
    0,
  );
}

export async function bench(): Promise<BenchRow[]> {
  const input = generateCourse();
  const out = join(tmpdir(), `coursegate-bench-out-${process.pid}`);
  mkdirSync(out, { recursive: true });
  const stored = [...STORED_EXTENSIONS].map((e) => `.${e}`).join(':');
  const child = new URL('./packaging-child.ts', import.meta.url).pathname;
  try {
    const ours: { ms: number; cpuMs: number; maxRssBytes: number; bytes: number }[] = [];
    const zips: { ms: number; cpuMs: number }[] = [];
    // Two alternating rounds, best of each: the page cache and the other tenants of the machine
    // affect both tools alike.
    for (let round = 0; round < 2; round++) {
      rmSync(join(out, 'zip.zip'), { force: true });
      // `times` (POSIX sh) then reports the CPU its children used: zip's user and system time.
      const zipCmd = `zip -r -X -6 -D -q -n '${stored}' '${join(out, 'zip.zip')}' . && times`;
      const z = await run('sh', ['-c', zipCmd], input);
      zips.push({ ms: z.ms, cpuMs: childCpuMs(z.stdout) });
      rmSync(join(out, 'ours.zip'), { force: true });
      const r = await run(process.execPath, ['--import', 'tsx', child, input, join(out, 'ours.zip')]);
      ours.push(JSON.parse(r.stdout.trim().split('\n').pop()!));
    }
    const best = ours.reduce((a, b) => (b.ms < a.ms ? b : a));
    const rss = Math.max(...ours.map((o) => o.maxRssBytes));
    const zipMs = Math.min(...zips.map((z) => z.ms));
    const zipCpu = Math.min(...zips.map((z) => z.cpuMs));
    const ourCpu = Math.min(...ours.map((o) => o.cpuMs));
    const ratio = best.ms / zipMs;
    const label = `packaging ${defaultSizeMb >= 1024 ? `${defaultSizeMb / 1024} GB` : `${defaultSizeMb} MB`} / ${defaultFileCount} files`;
    return [
      {
        name: `${label}: peak RSS`,
        value: `${(rss / MB).toFixed(0)} MB`,
        budget: '≤ 256 MB',
        ok: rss <= 256 * MB,
      },
      {
        name: `${label}: time vs zip -r -X -6`,
        value: `${(best.ms / 1000).toFixed(2)} s vs ${(zipMs / 1000).toFixed(2)} s = ${ratio.toFixed(2)}×`,
        budget: '≤ 1.20×',
        ok: ratio <= 1.2,
      },
      {
        name: `${label}: CPU time (user+sys) vs zip`,
        value: `${(ourCpu / 1000).toFixed(2)} s vs ${(zipCpu / 1000).toFixed(2)} s = ${(ourCpu / zipCpu).toFixed(2)}×`,
        budget: '',
      },
      {
        name: `${label}: zip size, ours vs zip`,
        value: `${(best.bytes / MB).toFixed(1)} MB vs ${(statSync(join(out, 'zip.zip')).size / MB).toFixed(1)} MB`,
        budget: '',
      },
    ];
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
