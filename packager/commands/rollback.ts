import type { Command } from 'commander';
import { apiClient, namingCourse, printJson } from './api-client.js';
import type { CliIo } from './cli-io.js';
import {
  CHANNEL_HELP,
  channelTexts,
  EXPECT_LIVE_HELP,
  expectedLive,
  liveChangedTexts,
} from './expected-live.js';

/** `coursegate rollback --course <slug> --reason "…" [--to <deployment>] [--expect-live <deployment>]`. */
export function registerRollbackCommand(program: Command, io: CliIo): void {
  program
    .command('rollback')
    .description(
      'Go back to the previously live deployment (or --to one); the reason is recorded. Only from the live ' +
        'deployment you expect: if another change (another rollback) came first, nothing changes and the command says what is live now',
    )
    .requiredOption('--course <slug>', 'course slug or id')
    .requiredOption('--reason <text>', 'why (required, recorded with time and actor)')
    .option('--to <deployment>', 'deployment to make live (default: the one live before the current)')
    .option('--expect-live <deployment>', EXPECT_LIVE_HELP)
    .option('--channel <name>', CHANNEL_HELP)
    .action(
      async (o: { course: string; reason: string; to?: string; expectLive?: string; channel?: string }) => {
        const api = apiClient(io);
        const expected = await namingCourse(o.course, expectedLive(api, o.course, o.expectLive, o.channel));
        printJson(
          io,
          await namingCourse(
            o.course,
            api('POST /v1/courses/:id/rollback', {
              params: { id: o.course },
              body: {
                reason: o.reason,
                expectedLive: expected,
                ...(o.to === undefined ? {} : { to: o.to }),
                ...(o.channel === undefined ? {} : { channel: o.channel }),
              },
            }),
            {
              no_rollback_target: `Course "${o.course}" has no earlier deployment ${o.channel ? `on channel "${o.channel}"` : 'live'}; name one with --to <deployment>`,
              ...channelTexts(o.course, o.channel),
              ...(o.to === undefined
                ? {}
                : { deployment_not_found: `No deployment "${o.to}" of course "${o.course}"` }),
              ...liveChangedTexts(o.course, o.channel),
            },
          ),
        );
      },
    );
}
