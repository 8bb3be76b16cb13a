/**
 * Builds what each published package ships (docs/architecture.md, "Packages"), into the package's own
 * `dist/`: `tsx scripts/build-packages.ts [runtime] [cli] [gatekeeper]` (all three without arguments).
 * Each package's `prepack` runs it, so `npm pack` never ships sources without their build.
 *
 * - runtime: rollup's browser bundles (`npm run build:runtime` writes `runtime/dist/`, rebuilt when stale) and
 *   `.d.ts` files.
 * - cli (`coursegate`): packager, formats and protocol bundled by esbuild into compiled JavaScript;
 *   npm packages stay imports, and every one must be a dependency of the package.
 * - gatekeeper: the server, its library entry and its operator module, with the SQL migrations and the
 *   built browser assets (player, launch stub, cmi5 launch page) beside them.
 */
import { cpSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { build, type Metafile, type Plugin } from 'esbuild';
import ts from 'typescript';
import { ensureRuntimeBuild } from './ensure-runtime-build.ts';

const ROOT = resolve(import.meta.dirname, '..');

/** Declarations for `entries` and what they import, keeping the repository's relative layout under `outDir`. */
function emitDeclarations(tsconfig: string, entries: string[], outDir: string): void {
  const { config } = ts.readConfigFile(join(ROOT, tsconfig), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, ROOT);
  const program = ts.createProgram(
    entries.map((e) => join(ROOT, e)),
    {
      ...parsed.options,
      noEmit: false,
      declaration: true,
      emitDeclarationOnly: true,
      allowImportingTsExtensions: false,
      rootDir: ROOT,
      outDir: join(ROOT, outDir),
    },
  );
  const result = program.emit();
  const errors = result.diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length > 0) {
    throw new Error(
      ts.formatDiagnostics(errors, {
        getCanonicalFileName: (f) => f,
        getCurrentDirectory: () => ROOT,
        getNewLine: () => '\n',
      }),
    );
  }
}

/** The npm packages a bundle still imports: each must be in the package's `dependencies`. */
function checkDependencies(metafile: Metafile, packageDir: string): void {
  const pkg = JSON.parse(readFileSync(join(ROOT, packageDir, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
  };
  const declared = new Set([
    ...Object.keys(pkg.dependencies ?? {}),
    ...Object.keys(pkg.peerDependencies ?? {}),
  ]);
  const missing = new Set<string>();
  for (const output of Object.values(metafile.outputs)) {
    for (const imp of output.imports) {
      if (!imp.external || imp.path.startsWith('node:')) continue;
      const name = imp.path.startsWith('@')
        ? imp.path.split('/').slice(0, 2).join('/')
        : imp.path.split('/')[0];
      if (name && !declared.has(name)) missing.add(name);
    }
  }
  if (missing.size > 0)
    throw new Error(`${packageDir}/package.json lacks dependencies: ${[...missing].join(', ')}`);
}

/**
 * Chunks sit beside the entries, so a module that finds files beside itself (`./migrations/`) finds them
 * whichever file esbuild puts it in; splitting keeps dynamic imports lazy (the S3 SDK, `admin`).
 */
const NODE = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  splitting: true,
  chunkNames: '[name]-[hash]',
} as const;

/**
 * Chunk files no entry imports, left by earlier builds (rollup names chunks by content hash and never
 * cleans its output): removed so the tarball holds only what the entries load. Nothing that runs can be
 * reading them, so this is safe beside tests that load `runtime/dist`.
 */
function pruneChunks(dist: string): void {
  const reached = new Set<string>();
  const visit = (file: string) => {
    if (reached.has(file) || !existsSync(file)) return;
    reached.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(/["'](\.\.?\/[^"']+\.js)["']/g))
      visit(join(dirname(file), m[1] ?? ''));
  };
  for (const name of readdirSync(dist)) if (name.endsWith('.js')) visit(join(dist, name));
  const chunks = join(dist, 'chunks');
  if (!existsSync(chunks)) return;
  for (const name of readdirSync(chunks))
    if (!reached.has(join(chunks, name))) rmSync(join(chunks, name), { force: true });
}

function buildRuntime(): void {
  // Built in place (only when a source is newer), never deleted first: tests load runtime/dist meanwhile.
  ensureRuntimeBuild(ROOT);
  pruneChunks(join(ROOT, 'runtime/dist'));
  const entries = ['index', 'scorm12', 'scorm2004', 'cmi5', 'standalone', 'iife'].map(
    (e) => `runtime/${e}.ts`,
  );
  if (types) {
    emitDeclarations(
      'tsconfig.runtime.json',
      [...entries, 'runtime/telemetry/index.ts'],
      'runtime/dist/types',
    );
  }
}

/** The CLI reaches the Gatekeeper's operator module by package name once published (loaded lazily). */
const adminByPackageName: Plugin = {
  name: 'admin-by-package-name',
  setup(b) {
    b.onResolve({ filter: /gatekeeper\/admin\/index\.js$/ }, () => ({
      path: '@coursegate/gatekeeper/admin',
      external: true,
    }));
  },
};

async function buildCli(): Promise<void> {
  rmSync(join(ROOT, 'packager/dist'), { recursive: true, force: true });
  const result = await build({
    ...NODE,
    entryPoints: { cli: 'packager/main.ts', index: 'packager/index.ts' },
    outdir: join(ROOT, 'packager/dist'),
    banner: { js: '#!/usr/bin/env node' },
    plugins: [adminByPackageName],
    metafile: true,
    absWorkingDir: ROOT,
  });
  checkDependencies(result.metafile, 'packager');
  if (types) emitDeclarations('tsconfig.json', ['packager/index.ts'], 'packager/dist/types');
}

async function buildGatekeeper(): Promise<void> {
  const out = join(ROOT, 'gatekeeper/dist');
  rmSync(out, { recursive: true, force: true });
  const result = await build({
    ...NODE,
    entryPoints: {
      main: 'gatekeeper/main.ts',
      index: 'gatekeeper/index.ts',
      admin: 'gatekeeper/admin/index.ts',
    },
    outdir: out,
    metafile: true,
    absWorkingDir: ROOT,
  });
  checkDependencies(result.metafile, 'gatekeeper');
  // open-sqlite reads `./migrations/` beside its own module, an entry or a chunk in dist/.
  cpSync(join(ROOT, 'gatekeeper/db/migrations'), join(out, 'migrations'), {
    recursive: true,
    filter: (source) => basename(source) !== 'meta',
  });
  ensureRuntimeBuild(ROOT);
  for (const part of ['player', 'stub', 'cmi5-launch']) {
    cpSync(join(ROOT, 'dist', part), join(out, 'assets', part), {
      recursive: true,
      filter: (source) => !source.endsWith('.size.json') && !source.endsWith('.map'),
    });
  }
  emitDeclarations(
    'tsconfig.json',
    ['gatekeeper/index.ts', 'gatekeeper/admin/index.ts'],
    'gatekeeper/dist/types',
  );
}

const args = process.argv.slice(2);
/** `--no-types`: the code alone, for tests that run it; `npm pack` always builds the declarations too. */
const types = !args.includes('--no-types');
const wanted = args.filter((a) => !a.startsWith('--'));
const all = wanted.length === 0;
if (all || wanted.includes('runtime')) buildRuntime();
if (all || wanted.includes('cli')) await buildCli();
if (all || wanted.includes('gatekeeper')) await buildGatekeeper();
