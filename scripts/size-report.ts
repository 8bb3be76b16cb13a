import { gzipSync } from 'node:zlib';
import type { Plugin } from 'rollup';

export interface SizeRow {
  file: string;
  raw: number;
  gzip: number;
  budget?: number;
}

export function measure(file: string, code: string | Uint8Array, budget?: number): SizeRow {
  const bytes = typeof code === 'string' ? Buffer.from(code) : code;
  return { file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, budget };
}

const kb = (n: number) => `${(n / 1024).toFixed(2)} KB`;

export function formatRow(r: SizeRow): string {
  const budget =
    r.budget === undefined ? '' : ` (budget ${kb(r.budget)}${r.gzip > r.budget ? ' EXCEEDED' : ''})`;
  return `${r.file.padEnd(34)} ${kb(r.raw).padStart(10)} raw ${kb(r.gzip).padStart(10)} gzip${budget}`;
}

/** Prints raw and gzip size of every chunk and fails the build when one is over its budget. */
export function sizeReport(dir: string, budgets: Record<string, number>): Plugin {
  return {
    name: 'coursegate-size-report',
    generateBundle(_options, bundle) {
      // An entry costs its own code plus every chunk it imports, which is what a course ships.
      const codeOf = (name: string, seen: Set<string>): string => {
        const chunk = bundle[name];
        if (chunk?.type !== 'chunk' || seen.has(name)) return '';
        seen.add(name);
        return chunk.code + chunk.imports.map((i) => codeOf(i, seen)).join('');
      };
      for (const [name, chunk] of Object.entries(bundle)) {
        if (chunk.type !== 'chunk' || !chunk.isEntry) continue;
        const key = `${dir}/${name}`;
        const row = measure(key, codeOf(name, new Set()), budgets[key]);
        console.log(formatRow(row));
        // The bench reads these figures rather than re-deriving the chunk graph.
        this.emitFile({ type: 'asset', fileName: `${name}.size.json`, source: JSON.stringify(row) });
        if (row.budget !== undefined && row.gzip > row.budget) {
          this.error(`${key} is ${row.gzip} bytes min+gzip, over its budget of ${row.budget}`);
        }
      }
    },
  };
}
