import type { Command } from 'commander';
import { apiClient, explaining, printJson } from './api-client.js';
import type { CliIo } from './cli-io.js';

/** `coursegate promote <deployment> --reason "…"`: makes a staged deployment live. */
export function registerPromoteCommand(program: Command, io: CliIo): void {
  program
    .command('promote <deployment>')
    .description('Make a finalized deployment live; the reason is recorded in the course history')
    .requiredOption('--reason <text>', 'why (required, recorded with time and actor)')
    .action(async (deployment: string, o: { reason: string }) => {
      const api = apiClient(io);
      const texts = {
        deployment_not_found: `No deployment "${deployment}" in your organisation`,
        deployment_not_finalized: `Deployment "${deployment}" is not finalized; run the deploy again to finish it`,
        already_live: `Deployment "${deployment}" is already live`,
      };
      const d = await explaining(api('GET /v1/deployments/:id', { params: { id: deployment } }), texts);
      const body = { deployment, reason: o.reason };
      printJson(
        io,
        await explaining(api('POST /v1/courses/:id/promote', { params: { id: d.courseId }, body }), texts),
      );
    });
}
