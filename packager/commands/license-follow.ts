import type { Command } from 'commander';
import { PackagerError } from '../errors.js';
import { apiClient, explaining, printJson } from './api-client.js';
import type { CliIo } from './cli-io.js';

/**
 * `coursegate licenses follow <license> <channel>` and `licenses pin <license> <deployment>`: what the
 * license launches from its next launch on (docs/deployments.md, "Channels"); the client's package
 * stays the same. Added to the `licenses` command.
 */
export function registerLicenseFollowCommands(program: Command, io: CliIo): void {
  const licenses = program.commands.find((c) => c.name() === 'licenses');
  if (!licenses) throw new PackagerError('invalid_config', 'the licenses command is not registered');
  const send = async (id: string, body: { channel?: string; deployment?: string; reason: string }) => {
    const answer = apiClient(io)('POST /v1/licenses/:id/follow', { params: { id }, body });
    printJson(
      io,
      await explaining(answer, {
        license_not_found: `No license "${id}" in your organisation`,
        channel_not_found: `The license's course has no channel "${body.channel}"; see "coursegate channels list <course>"`,
        deployment_not_found: `No deployment "${body.deployment}" of the license's course`,
        deployment_not_finalized: `Deployment "${body.deployment}" is not finalized; only a finished deployment can be pinned`,
      }),
    );
  };

  licenses
    .command('follow <license> <channel>')
    .description('Make a license launch the deployment on a channel (live, beta, …) from its next launch')
    .requiredOption('--reason <text>', 'why (required, recorded with time and actor)')
    .action((id: string, channel: string, o: { reason: string }) => send(id, { channel, reason: o.reason }));

  licenses
    .command('pin <license> <deployment>')
    .description('Pin a license to one finalized deployment, whatever the channels do, from its next launch')
    .requiredOption('--reason <text>', 'why (required, recorded with time and actor)')
    .action((id: string, deployment: string, o: { reason: string }) =>
      send(id, { deployment, reason: o.reason }),
    );
}
