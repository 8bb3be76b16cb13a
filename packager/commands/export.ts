import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { Command } from 'commander';
import { PackagerError } from '../errors.js';
import { loadCliConfig } from './cli-config.js';

const FORMATS = ['scorm12', 'scorm2004', 'cmi5'];

/** Downloads `GET /v1/courses/:id/export` into `output` (through a temporary name). */
export async function runExport(o: { course: string; format: string; output?: string; deployment?: string }) {
  if (!FORMATS.includes(o.format))
    throw new PackagerError('unknown_standard', `unknown format "${o.format}" (use ${FORMATS.join(', ')})`);
  const config = loadCliConfig();
  const query = new URLSearchParams({
    format: o.format,
    ...(o.deployment ? { deployment: o.deployment } : {}),
  });
  const url = `${config.url}/v1/courses/${encodeURIComponent(o.course)}/export?${query}`;
  let res: Response;
  try {
    res = await fetch(url, { headers: { authorization: `Bearer ${config.apiKey}` } });
  } catch (err) {
    throw new PackagerError('api_error', `Cannot reach ${config.url}: ${(err as Error).message}`);
  }
  if (!res.ok || !res.body) {
    const json = (await res.json().catch(() => ({}))) as { error?: { code: string; message: string } };
    throw new PackagerError(
      'api_error',
      `${json.error?.message ?? `HTTP ${res.status}`} (${json.error?.code ?? res.status})`,
    );
  }
  const output = o.output ?? `${o.course}-${o.format}.zip`;
  const partial = `${output}.partial`;
  try {
    await pipeline(Readable.fromWeb(res.body as NodeReadableStream<Uint8Array>), createWriteStream(partial));
    await rename(partial, output);
  } catch (err) {
    await rm(partial, { force: true });
    throw new PackagerError('io_error', `Export failed: ${(err as Error).message}`);
  }
  return output;
}

/** `coursegate export <course> --format … [-o file] [--deployment id]`. */
export function registerExportCommand(program: Command): void {
  program
    .command('export <course>')
    .description('Download a portable SCORM 1.2 / SCORM 2004 / cmi5 package of a deployment (default: live)')
    .requiredOption('--format <format>', FORMATS.join(' | '))
    .option('-o, --output <file>', 'zip to write (default: <course>-<format>.zip)')
    .option('--deployment <id>', 'a deployment other than the live one')
    .action(async (course: string, o: { format: string; output?: string; deployment?: string }) => {
      const file = await runExport({ course, ...o });
      process.stdout.write(`${file}\n`);
    });
}
