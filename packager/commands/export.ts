import type { Command } from 'commander';
import { apiPath } from '../../protocol/api/routes.js';
import { isStandard, STANDARDS } from '../../protocol/launch.js';
import { PackagerError } from '../errors.js';
import { namingCourse } from './api-client.js';
import { loadCliConfig } from './cli-config.js';
import type { CliIo } from './cli-io.js';
import { downloadToFile } from './download.js';
import { channelTexts } from './expected-live.js';

/** Downloads `GET /v1/courses/:id/export` into `output` (through a temporary name). */
export async function runExport(
  io: CliIo,
  o: { course: string; format: string; output?: string; deployment?: string; channel?: string },
) {
  if (!isStandard(o.format))
    throw new PackagerError('unknown_standard', `unknown format "${o.format}" (use ${STANDARDS.join(', ')})`);
  const config = loadCliConfig(io.env);
  const output = o.output ?? `${o.course}-${o.format}.zip`;
  const path = apiPath('GET /v1/courses/:id/export', {
    params: { id: o.course },
    query: {
      format: o.format,
      ...(o.deployment ? { deployment: o.deployment } : {}),
      ...(o.channel ? { channel: o.channel } : {}),
    },
  });
  // Without --deployment the API exports the live one; its answer when there is none cannot name the flag.
  await namingCourse(o.course, downloadToFile(io, config, path, output), {
    no_live_deployment: `Course "${o.course}" has no live deployment; name one with --deployment <id> (or promote one first)`,
    ...(o.deployment
      ? { deployment_not_found: `No deployment "${o.deployment}" of course "${o.course}"` }
      : {}),
    ...channelTexts(o.course, o.channel),
  });
  return output;
}

/** `coursegate export <course> --format … [-o file] [--deployment id]`. */
export function registerExportCommand(program: Command, io: CliIo): void {
  program
    .command('export <course>')
    .description('Download a portable SCORM 1.2 / SCORM 2004 / cmi5 package of a deployment (default: live)')
    .requiredOption('--format <format>', STANDARDS.join(' | '))
    .option('-o, --output <file>', 'zip to write (default: <course>-<format>.zip)')
    .option('--deployment <id>', 'a deployment other than the live one')
    .option('--channel <name>', 'the deployment on a release channel (e.g. beta) instead of the live one')
    .action(
      async (
        course: string,
        o: { format: string; output?: string; deployment?: string; channel?: string },
      ) => {
        const file = await runExport(io, { course, ...o });
        io.stdout.write(`${file}\n`);
      },
    );
}
