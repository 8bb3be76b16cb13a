import { nodeResolve } from '@rollup/plugin-node-resolve';
import terserImport, { type Options as TerserOptions } from '@rollup/plugin-terser';
import type { Plugin, RollupOptions } from 'rollup';
import esbuild from 'rollup-plugin-esbuild';
import { BUNDLE_BUDGETS } from './scripts/budgets.ts';
import { sizeReport } from './scripts/size-report.ts';

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
    dir: 'dist/runtime',
    format: 'es',
    sourcemap: true,
    entryFileNames: '[name].js',
    chunkFileNames: 'chunks/[name]-[hash].js',
  },
  plugins: plugins('runtime'),
};

const runtimeIife: RollupOptions = {
  input: 'runtime/index.ts',
  output: {
    file: 'dist/runtime/coursegate.iife.js',
    format: 'iife',
    name: 'Coursegate',
    sourcemap: true,
  },
  plugins: plugins('runtime'),
};

export default [runtimeEsm, runtimeIife];
