import type { Command } from 'commander';
import { apiClient, namingCourse, printJson } from './api-client.js';
import type { CliIo } from './cli-io.js';

/** `coursegate rollback --course <slug> --reason "…" [--to <deployment>]`. */
export function registerRollbackCommand(program: Command, io: CliIo): void {
  program
    .command('rollback')
    .description('Go back to the previously live deployment (or --to one); the reason is recorded')
    .requiredOption('--course <slug>', 'course slug or id')
    .requiredOption('--reason <text>', 'why (required, recorded with time and actor)')
    .option('--to <deployment>', 'deployment to make live (default: the one live before the current)')
    .action(async (o: { course: string; reason: string; to?: string }) => {
      printJson(
        io,
        await namingCourse(
          o.course,
          apiClient(io)('POST /v1/courses/:id/rollback', {
            params: { id: o.course },
            body: { reason: o.reason, ...(o.to === undefined ? {} : { to: o.to }) },
          }),
          {
            no_rollback_target: `Course "${o.course}" has no earlier live deployment; name one with --to <deployment>`,
            ...(o.to === undefined
              ? {}
              : { deployment_not_found: `No deployment "${o.to}" of course "${o.course}"` }),
          },
        ),
      );
    });
}
