import type { Command } from 'commander';
import { apiClient, printJson } from './api-client.js';

/** `coursegate promote <deployment> --reason "…"`: makes a staged deployment live. */
export function registerPromoteCommand(program: Command): void {
  program
    .command('promote <deployment>')
    .description('Make a finalized deployment live; the reason is recorded in the course history')
    .requiredOption('--reason <text>', 'why (required, recorded with time and actor)')
    .action(async (deployment: string, o: { reason: string }) => {
      const api = apiClient();
      const d = await api<{ courseId: string }>('GET', `/v1/deployments/${encodeURIComponent(deployment)}`);
      printJson(
        await api('POST', `/v1/courses/${encodeURIComponent(d.courseId)}/promote`, {
          deployment,
          reason: o.reason,
        }),
      );
    });
}
