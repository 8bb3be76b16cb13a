import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectFiles } from '../../packager/deploy/collect.js';
import { PackagerError } from '../../packager/errors.js';

let base: string;
let build: string;
const big = randomBytes(3 * 1024 * 1024 + 17);
const sha256 = (b: string | Buffer) => createHash('sha256').update(b).digest('hex');

function write(rel: string, content: string | Buffer = rel) {
  const file = join(build, rel);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
}

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'cg-collect-'));
  build = join(base, 'dist');
  const outside = join(base, 'outside');
  mkdirSync(outside);
  writeFileSync(join(outside, 'secret.txt'), 'secret');
  write('index.html', '<h1>Hi</h1>');
  write('assets/app.js');
  write('assets/app.js.map');
  write('assets/style.css');
  write('media/big.bin', big);
  write('nested/deep/file.txt');
  write('.git/config');
  write('.git/objects/ab/cdef');
  write('node_modules/pkg/index.js');
  write('sub/node_modules/x.js');
  write('.env', 'SECRET=1');
  write('.env.production', 'SECRET=2');
  write('sub/.env.local', 'SECRET=3');
  write('sub/kept.txt');
  write('a\\b.txt');
  write('caf\u00e9.txt', 'nfc');
  write('cafe\u0301.txt', 'nfd');
  symlinkSync(join(outside, 'secret.txt'), join(build, 'link-outside.txt'));
  symlinkSync(outside, join(build, 'link-outside-dir'));
  symlinkSync('index.html', join(build, 'link-inside.html'));
  symlinkSync('nested', join(build, 'link-inside-dir'));
  symlinkSync('missing.txt', join(build, 'broken.txt'));
  symlinkSync('..', join(build, 'nested', 'loop'));
  execFileSync('mkfifo', [join(build, 'pipe')]);
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('collectFiles', () => {
  it('returns only built output, with POSIX paths, sizes and streamed sha256', async () => {
    const result = await collectFiles(build);
    expect(result.files.map((f) => f.path)).toEqual([
      'assets/app.js',
      'assets/style.css',
      'café.txt',
      'index.html',
      'link-inside-dir/deep/file.txt',
      'link-inside.html',
      'media/big.bin',
      'nested/deep/file.txt',
      'sub/kept.txt',
    ]);
    const bigFile = result.files.find((f) => f.path === 'media/big.bin');
    expect(bigFile?.size).toBe(big.byteLength);
    expect(bigFile?.sha256).toBe(sha256(big));
    const index = result.files.find((f) => f.path === 'index.html');
    expect(index).toMatchObject({
      size: 11,
      sha256: sha256('<h1>Hi</h1>'),
      absolutePath: join(build, 'index.html'),
    });
    expect(result.files.find((f) => f.path === 'link-inside.html')?.sha256).toBe(index?.sha256);
    expect(result.totalBytes).toBe(result.files.reduce((n, f) => n + f.size, 0));
  });

  it('names everything it left out and why', async () => {
    const { skipped } = await collectFiles(build);
    const byPath = Object.fromEntries(skipped.map((s) => [s.path, s.reason]));
    expect(byPath).toMatchObject({
      '.git/': 'git',
      'node_modules/': 'node_modules',
      'sub/node_modules/': 'node_modules',
      '.env': 'env_file',
      '.env.production': 'env_file',
      'sub/.env.local': 'env_file',
      'assets/app.js.map': 'sourcemap',
      'link-outside.txt': 'symlink_outside',
      'link-outside-dir': 'symlink_outside',
      'broken.txt': 'symlink_broken',
      'nested/loop/': 'symlink_loop',
      pipe: 'special_file',
      'a\\b.txt': 'unsafe_name',
    });
    // The two spellings of "café" are one key: the second is reported, not uploaded twice.
    expect(skipped.filter((s) => s.reason === 'duplicate_path')).toHaveLength(1);
  });

  it('includes source maps when asked', async () => {
    const { files, skipped } = await collectFiles(build, { includeSourcemaps: true, concurrency: 2 });
    expect(files.map((f) => f.path)).toContain('assets/app.js.map');
    expect(skipped.some((s) => s.reason === 'sourcemap')).toBe(false);
  });

  it('refuses a missing build directory with input_not_found', async () => {
    const err = await collectFiles(join(base, 'nope')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PackagerError);
    expect((err as PackagerError).code).toBe('input_not_found');
  });
});

describe('links to what is left out', () => {
  it('leave out a link to .env, .git, node_modules or a source map, whatever the link is named', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cg-collect-links-'));
    try {
      const put = (rel: string, content = rel) => {
        mkdirSync(dirname(join(dir, rel)), { recursive: true });
        writeFileSync(join(dir, rel), content);
      };
      put('index.html');
      put('.env', 'API_SECRET=hunter2');
      put('.git/config');
      put('node_modules/pkg/a.js');
      put('app.js');
      put('app.js.map');
      symlinkSync('.env', join(dir, 'settings.txt'));
      symlinkSync('.git', join(dir, 'meta'));
      symlinkSync('node_modules', join(dir, 'vendor'));
      symlinkSync(join('node_modules', 'pkg', 'a.js'), join(dir, 'lib.js'));
      symlinkSync('app.js.map', join(dir, 'app-map.json'));
      symlinkSync('index.html', join(dir, 'home.html'));
      const { files, skipped } = await collectFiles(dir);
      expect(files.map((f) => f.path)).toEqual(['app.js', 'home.html', 'index.html']);
      expect(Object.fromEntries(skipped.map((s) => [s.path, s.reason]))).toMatchObject({
        'settings.txt': 'env_file',
        'meta/': 'git',
        'vendor/': 'node_modules',
        'lib.js': 'node_modules',
        'app-map.json': 'sourcemap',
      });
      // With source maps asked for, the map comes back under the link's name too.
      const withMaps = await collectFiles(dir, { includeSourcemaps: true });
      expect(withMaps.files.map((f) => f.path)).toContain('app-map.json');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
