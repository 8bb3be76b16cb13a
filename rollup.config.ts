import { readFileSync } from 'node:fs';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terserImport, { type Options as TerserOptions } from '@rollup/plugin-terser';
import type { Plugin, RollupOptions } from 'rollup';
import esbuild from 'rollup-plugin-esbuild';
import { ENCODED_SUFFIX } from './gatekeeper/deployments/player-files.ts';
import { compress } from './gatekeeper/storage/compress.ts';
import { contentTypeFor } from './gatekeeper/storage/content-types.ts';
import { CONTENT_ENCODINGS, wantsVariants } from './gatekeeper/storage/encodings.ts';
import { BUNDLE_BUDGETS } from './scripts/budgets.ts';
import { formatRow, measure, sizeReport } from './scripts/size-report.ts';

// The plugin's typings are CommonJS-shaped under NodeNext; at run time the import is the function itself.
const terser = ((terserImport as unknown as { default?: unknown }).default ?? terserImport) as (
  o?: TerserOptions,
) => Plugin;

const plugins = (dir: string) => [
  nodeResolve({ browser: true }),
  // ES2020 keeps `??` and `?.` as written (about 0.5 KB gzip less than ES2019); every browser with the
  // CompressionStream the suspend-data codec relies on runs ES2020.
  esbuild({ target: 'es2020', tsconfig: 'tsconfig.json' }),
  terser({ compress: { passes: 2 }, format: { comments: false } }),
  sizeReport(dir, BUNDLE_BUDGETS),
];

/** One ESM entry per standard plus the auto-detecting index, and an IIFE with the global `Coursegate`. */
const runtimeEsm: RollupOptions = {
  input: {
    index: 'runtime/index.ts',
    scorm12: 'runtime/scorm12.ts',
    scorm2004: 'runtime/scorm2004.ts',
    cmi5: 'runtime/cmi5.ts',
    standalone: 'runtime/standalone.ts',
  },
  output: {
    dir: 'runtime/dist',
    format: 'es',
    sourcemap: true,
    entryFileNames: '[name].js',
    chunkFileNames: 'chunks/[name]-[hash].js',
  },
  plugins: plugins('runtime'),
};

/**
 * `@coursegate/runtime/telemetry`: telemetry for ESM courses, which `index` leaves out (its budget). Built on
 * its own, so it shares no chunk with the entries above: sharing `protocol/xapi` with cmi5 would split that
 * into a chunk and grow `index.js` by its import/export glue.
 */
const runtimeTelemetry: RollupOptions = {
  input: { telemetry: 'runtime/telemetry/index.ts' },
  output: { dir: 'runtime/dist', format: 'es', sourcemap: true, entryFileNames: '[name].js' },
  plugins: plugins('runtime'),
};

const runtimeIife: RollupOptions = {
  input: 'runtime/iife.ts',
  output: {
    file: 'runtime/dist/coursegate.iife.js',
    format: 'iife',
    name: 'Coursegate',
    sourcemap: true,
    // One file: start()'s lazily loaded telemetry is built in (the IIFE carries telemetry anyway).
    inlineDynamicImports: true,
  },
  plugins: plugins('runtime'),
};

/** The launch stub of gated SCORM packages: one dependency-free IIFE, copied into each zip as `coursegate-stub.js`. */
const stub: RollupOptions = {
  input: 'delivery/stub/main.ts',
  output: { file: 'dist/stub/stub.js', format: 'iife', sourcemap: true },
  plugins: plugins('stub'),
};

/** The content-origin player, copied into every deployment under `_coursegate/`; scorm-again loads per standard. */
const player: RollupOptions = {
  input: { player: 'delivery/player/main.ts' },
  output: { dir: 'dist/player', format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name].js' },
  plugins: [
    ...plugins('player'),
    {
      name: 'player-html',
      generateBundle() {
        this.emitFile({
          type: 'asset',
          fileName: 'player.html',
          source: readFileSync('delivery/player/player.html'),
        });
      },
    },
    {
      // The content origin serves these compressed (docs/storage.md): made here once, at brotli's slowest
      // setting, instead of in every deployment. Runs after player-html, so the page is in the bundle.
      name: 'player-precompressed',
      async generateBundle(_o, bundle) {
        const files = Object.values(bundle)
          .map((f) => ({ name: f.fileName, bytes: Buffer.from(f.type === 'chunk' ? f.code : f.source) }))
          .filter((f) => wantsVariants(contentTypeFor(f.name) ?? '', f.bytes.byteLength));
        const out = await Promise.all(
          files.flatMap((f) =>
            CONTENT_ENCODINGS.map(async (encoding) => ({
              fileName: f.name + ENCODED_SUFFIX[encoding],
              source: await compress(f.bytes, encoding, 'max'),
            })),
          ),
        );
        for (const o of out) this.emitFile({ type: 'asset', ...o });
      },
    },
    {
      // What a learner's browser loads per standard: the player plus the scorm-again chunk it imports.
      name: 'player-size',
      generateBundle(_o, bundle) {
        const entry = bundle['player.js'];
        if (entry?.type !== 'chunk') return;
        for (const name of entry.dynamicImports) {
          const chunk = bundle[name];
          if (chunk?.type !== 'chunk') continue;
          const row = measure(`player/player.js + ${name}`, entry.code + chunk.code);
          console.log(formatRow(row));
          this.emitFile({ type: 'asset', fileName: `${name}.size.json`, source: JSON.stringify(row) });
        }
      },
    },
  ],
};

/** The gated cmi5 launch page's script, inlined by the Gatekeeper into `courses/<course>/_coursegate/cmi5-launch.html`. */
const cmi5Launch: RollupOptions = {
  input: 'delivery/cmi5-launch/main.ts',
  output: { file: 'dist/cmi5-launch/cmi5-launch.js', format: 'iife' },
  plugins: plugins('cmi5-launch'),
};

export default [runtimeEsm, runtimeTelemetry, runtimeIife, stub, player, cmi5Launch];
