/**
 * Child process of 05-packaging.bench.ts: packages one folder and prints its own wall time and peak RSS
 * as JSON, so the parent measures packaging alone, not the bench harness.
 */
import { buildPackage } from '../../packager/index.ts';

const [input, output] = process.argv.slice(2);
if (!input || !output) throw new Error('usage: packaging-child.ts <input> <output>');
const start = performance.now();
const cpuStart = process.cpuUsage();
const summary = await buildPackage({
  input,
  output,
  format: 'scorm2004',
  course: { id: 'bench', title: 'Bench course', version: '1.0.0', entry: 'index.html' },
});
const ms = performance.now() - start;
const cpu = process.cpuUsage(cpuStart);
// resourceUsage().maxRSS is in kilobytes.
console.log(
  JSON.stringify({
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    bytes: summary.bytes,
    entries: summary.entries,
  }),
);
