import { nodeResolve } from '@rollup/plugin-node-resolve';
import terserImport, { type Options as TerserOptions } from '@rollup/plugin-terser';
import { type Plugin, rollup } from 'rollup';
import esbuild from 'rollup-plugin-esbuild';
import { measure } from '../../scripts/size-report.ts';
import type { BenchRow } from './types.ts';

const terser = ((terserImport as unknown as { default?: unknown }).default ?? terserImport) as (
  o?: TerserOptions,
) => Plugin;

const BUDGET = 3 * 1024;
const VIRTUAL = '\0telemetry-size-entry';

/** Bundles `code` as an entry module exactly as rollup.config.ts builds the runtime (esbuild es2019 + terser). */
async function bundle(code: string): Promise<string> {
  const entry: Plugin = {
    name: 'entry',
    resolveId: (id) => (id === VIRTUAL ? id : null),
    load: (id) => (id === VIRTUAL ? code : null),
  };
  const build = await rollup({
    input: VIRTUAL,
    plugins: [
      entry,
      nodeResolve({ browser: true, extensions: ['.ts', '.js'] }),
      esbuild({ target: 'es2019', tsconfig: 'tsconfig.json' }),
      terser({ compress: { passes: 2 }, format: { comments: false } }),
    ],
    onwarn: () => {},
  });
  const { output } = await build.generate({ format: 'es' });
  await build.close();
  return output[0].code;
}

const root = new URL('../../', import.meta.url).pathname;
const TELEMETRY = `export { createTelemetry } from '${root}runtime/telemetry/index.ts';`;
const RUNTIME = `export * from '${root}runtime/index.ts';`;
/** What a course that runs gated and portable imports: both ways of finding its session. */
const PORTABLE = `export { telemetryFromFragment, telemetryFromPackage } from '${root}runtime/telemetry/index.ts';`;

/**
 * What telemetry costs a course, min+gzip: on its own (everything `createTelemetry` pulls in), and
 * as the growth of the auto-detecting runtime entry when it is added (shared strings compress together).
 */
export async function bench(): Promise<BenchRow[]> {
  const alone = measure('telemetry', await bundle(TELEMETRY)).gzip;
  const runtime = measure('runtime', await bundle(RUNTIME)).gzip;
  const both = measure('runtime+telemetry', await bundle(`${RUNTIME}\n${TELEMETRY}`)).gzip;
  const portable = measure('telemetry+portable', await bundle(PORTABLE)).gzip;
  const all = measure('runtime+telemetry+portable', await bundle(`${RUNTIME}\n${PORTABLE}`)).gzip;
  const kb = (n: number) => `${(n / 1024).toFixed(2)} KB`;
  return [
    {
      name: 'runtime/telemetry (createTelemetry) min+gzip',
      value: `${kb(alone)} (${alone} B)`,
      budget: '≤ 3 KB',
      ok: alone <= BUDGET,
    },
    {
      name: 'telemetry added to runtime/index min+gzip',
      value: `+${kb(both - runtime)} (${runtime} → ${both} B)`,
      budget: '≤ 3 KB',
      ok: both - runtime <= BUDGET,
    },
    {
      name: 'runtime/index + telemetry min+gzip',
      value: kb(both),
      budget: '≤ 12 KB',
      ok: both <= 12 * 1024,
    },
    {
      name: 'telemetryFromFragment + telemetryFromPackage (gated and portable) min+gzip',
      value: `${kb(portable)} (+${portable - alone} B over createTelemetry)`,
      budget: '',
    },
    {
      name: 'runtime/index + telemetry, gated and portable, min+gzip',
      value: kb(all),
      budget: '≤ 12 KB',
      ok: all <= 12 * 1024,
    },
  ];
}
