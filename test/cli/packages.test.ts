import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectPackage } from '../../packager/inspect.js';
import { npmInstall, PACKED, type PackedKind, packedPackages } from '../helpers/packed.js';
import { ROOT } from '../helpers/paths.js';

const run = promisify(execFile);
const work = mkdtempSync(join(tmpdir(), 'cg-packages-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const tarballs = {} as Record<PackedKind, string>;
const contents = {} as Record<PackedKind, string[]>;

/** Every installed package's manifest under `node_modules` (scoped ones included). */
function installed(dir: string): { name: string; scripts: Record<string, string>; gyp: boolean }[] {
  const root = join(dir, 'node_modules');
  const out: { name: string; scripts: Record<string, string>; gyp: boolean }[] = [];
  for (const entry of readdirSync(root)) {
    if (entry.startsWith('.')) continue;
    const dirs = entry.startsWith('@') ? readdirSync(join(root, entry)).map((n) => join(entry, n)) : [entry];
    for (const d of dirs) {
      const pkg = JSON.parse(readFileSync(join(root, d, 'package.json'), 'utf8'));
      out.push({ name: pkg.name, scripts: pkg.scripts ?? {}, gyp: existsSync(join(root, d, 'binding.gyp')) });
    }
  }
  return out;
}

beforeAll(async () => {
  Object.assign(tarballs, await packedPackages());
  for (const kind of Object.keys(PACKED) as PackedKind[]) {
    contents[kind] = (await run('tar', ['tzf', tarballs[kind]])).stdout
      .trim()
      .split('\n')
      .map((f) => f.replace(/^package\//, ''));
  }
}, 600_000);

describe('the packages each user installs (npm pack)', { timeout: 600_000 }, () => {
  it('the runtime ships only its built files and declarations, and installs with 0 dependencies', async () => {
    const files = contents.runtime;
    expect(files).toContain('dist/index.js');
    expect(files).toContain('dist/coursegate.iife.js');
    expect(files).toContain('dist/types/runtime/index.d.ts');
    expect(files.filter((f) => !/^(package\.json|README\.md|dist\/.*\.(js|d\.ts))$/.test(f))).toEqual([]);
    expect(files.filter((f) => /\.test\.|^test\/|\.ts$/.test(f) && !f.endsWith('.d.ts'))).toEqual([]);
    const dir = join(work, 'course-project');
    await npmInstall(dir, [tarballs.runtime]);
    expect(installed(dir).map((p) => p.name)).toEqual(['@coursegate/runtime']);
    // Resolved through its `exports`, as a bundler would.
    const { stdout } = await run(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "const m = await import('@coursegate/runtime'); console.log(typeof m.start)",
      ],
      { cwd: dir },
    );
    expect(stdout.trim()).toBe('function');
  });

  it('the CLI installs with no install script or native build, runs compiled, and packages a course', async () => {
    expect(contents.cli).toContain('dist/cli.js');
    expect(
      contents.cli.filter((f) => /^(test|packager|formats|protocol)\/|\.ts$/.test(f) && !f.endsWith('.d.ts')),
    ).toEqual([]);
    const dir = join(work, 'author');
    await npmInstall(dir, [tarballs.cli]);
    const deps = installed(dir);
    expect(deps.map((p) => p.name)).toContain('coursegate');
    // Nothing native, no AWS SDK, no SQLite: an author's install runs no script at all.
    expect(
      deps.filter((p) => p.gyp || p.scripts.install || p.scripts.preinstall || p.scripts.postinstall),
    ).toEqual([]);
    expect(deps.map((p) => p.name).filter((n) => /better-sqlite3|@aws-sdk|tsx|esbuild/.test(n))).toEqual([]);
    const bin = join(dir, 'node_modules/.bin/coursegate');
    const version = await run(bin, ['--version'], { cwd: dir });
    expect(version.stdout.trim()).toBe(
      JSON.parse(readFileSync(join(ROOT, 'packager/package.json'), 'utf8')).version,
    );
    const course = join(dir, 'build');
    await run('mkdir', ['-p', course]);
    writeFileSync(join(course, 'index.html'), '<!doctype html><title>Hello</title><p>Hello</p>');
    writeFileSync(
      join(course, 'coursegate.json'),
      JSON.stringify({ id: 'hello', title: 'Hello', version: '1.0.0', entry: 'index.html' }),
    );
    const out = join(dir, 'hello.zip');
    await run(bin, ['package', course, '--format', 'scorm12', '--output', out], { cwd: dir });
    const info = await inspectPackage(out);
    expect(info.standard).toBe('scorm12');
    // Operator commands need the Gatekeeper package, which an author does not install: said plainly.
    const admin = await run(bin, ['admin', 'init', '--org', 'A', '--email', 'a@a.test'], { cwd: dir }).catch(
      (e: { stderr: string; code: number }) => e,
    );
    expect(admin.stderr).toMatch(/npm install @coursegate\/gatekeeper.*\[not_configured\]/);
  });

  it('the Gatekeeper ships its bundle, migrations and browser assets, and no sources', () => {
    const files = contents.gatekeeper;
    for (const f of ['dist/main.js', 'dist/admin.js', 'dist/index.js', 'dist/assets/player/player.html'])
      expect(files).toContain(f);
    expect(files.some((f) => f.startsWith('dist/migrations/') && f.endsWith('.sql'))).toBe(true);
    expect(
      files.filter(
        (f) => /^(test|gatekeeper|demo|examples|scripts)\/|\.tsx?$/.test(f) && !f.endsWith('.d.ts'),
      ),
    ).toEqual([]);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'gatekeeper/package.json'), 'utf8'));
    expect(pkg.bin).toEqual({ 'coursegate-gatekeeper': './dist/main.js' });
  });
});
