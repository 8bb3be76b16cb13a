/**
 * `npm run bench`: runs every test/bench/*.bench.ts in name order and prints one table of figures
 * beside their budgets (docs/architecture.md, "Benchmarks"). `npm run bench -- launch` runs only files whose
 * name contains "launch". Exits non-zero when a figure is over budget.
 */
import { readdirSync } from 'node:fs';
import type { Bench, BenchRow } from './types.ts';

const filter = process.argv.slice(2);
const files = readdirSync(new URL('.', import.meta.url))
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filter.length === 0 || filter.some((w) => f.includes(w)))
  .sort();

const rows: BenchRow[] = [];
for (const file of files) {
  process.stderr.write(`bench: ${file}…\n`);
  const mod = (await import(new URL(file, import.meta.url).href)) as { bench: Bench };
  try {
    rows.push(...(await mod.bench()));
  } catch (err) {
    rows.push({ name: file, value: `failed: ${(err as Error).message}`, budget: '', ok: false });
  }
}

const w = (k: keyof BenchRow) => Math.max(k.length, ...rows.map((r) => String(r[k] ?? '').length));
const [wn, wv, wb] = [w('name'), w('value'), w('budget')];
const line = (n: string, v: string, b: string, s: string) =>
  `| ${n.padEnd(wn)} | ${v.padEnd(wv)} | ${b.padEnd(wb)} | ${s} |`;
console.log(line('what', 'measured', 'budget', 'ok'));
console.log(`|${'-'.repeat(wn + 2)}|${'-'.repeat(wv + 2)}|${'-'.repeat(wb + 2)}|----|`);
for (const r of rows)
  console.log(line(r.name, r.value, r.budget, r.ok === undefined ? '  ' : r.ok ? 'ok' : 'NO'));
if (rows.some((r) => r.ok === false)) process.exitCode = 1;
