import type { Command } from 'commander';
import { PackagerError } from '../errors.js';
import { namingCourse } from './api-client.js';
import { loadCliConfig } from './cli-config.js';
import type { CliIo } from './cli-io.js';
import { downloadToFile } from './download.js';

const FORMATS = ['scorm12', 'scorm2004', 'cmi5'];

/** Downloads `GET /v1/courses/:id/export` into `output` (through a temporary name). */
export async function runExport(
  io: CliIo,
  o: { course: string; format: string; output?: string; deployment?: string },
) {
  if (!FORMATS.includes(o.format))
    throw new PackagerError('unknown_standard', `unknown format "${o.format}" (use ${FORMATS.join(', ')})`);
  const config = loadCliConfig(io.env);
  const query = new URLSearchParams({
    format: o.format,
    ...(o.deployment ? { deployment: o.deployment } : {}),
  });
  const output = o.output ?? `${o.course}-${o.format}.zip`;
  const path = `/v1/courses/${encodeURIComponent(o.course)}/export?${query}`;
  // Without --deployment the API exports the live one; its answer when there is none cannot name the flag.
  await namingCourse(o.course, downloadToFile(io, config, path, output), {
    no_live_deployment: `Course "${o.course}" has no live deployment; name one with --deployment <id> (or promote one first)`,
    ...(o.deployment
      ? { deployment_not_found: `No deployment "${o.deployment}" of course "${o.course}"` }
      : {}),
  });
  return output;
}

/** `coursegate export <course> --format … [-o file] [--deployment id]`. */
export function registerExportCommand(program: Command, io: CliIo): void {
  program
    .command('export <course>')
    .description('Download a portable SCORM 1.2 / SCORM 2004 / cmi5 package of a deployment (default: live)')
    .requiredOption('--format <format>', FORMATS.join(' | '))
    .option('-o, --output <file>', 'zip to write (default: <course>-<format>.zip)')
    .option('--deployment <id>', 'a deployment other than the live one')
    .action(async (course: string, o: { format: string; output?: string; deployment?: string }) => {
      const file = await runExport(io, { course, ...o });
      io.stdout.write(`${file}\n`);
    });
}
