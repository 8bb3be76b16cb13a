import type { Command } from 'commander';
import { apiClient, explaining, printJson } from './api-client.js';
import type { CliIo } from './cli-io.js';
import {
  CHANNEL_HELP,
  channelTexts,
  EXPECT_LIVE_HELP,
  expectedLive,
  liveChangedTexts,
} from './expected-live.js';

/** `coursegate promote <deployment> --reason "…" [--channel <name>] [--expect-live <deployment>]`: makes a staged deployment live, or puts it on a channel. */
export function registerPromoteCommand(program: Command, io: CliIo): void {
  program
    .command('promote <deployment>')
    .description(
      'Make a finalized deployment live; the reason is recorded in the course history. Only from the ' +
        'live deployment you expect: if another change came first, nothing changes and the command says what is live now',
    )
    .requiredOption('--reason <text>', 'why (required, recorded with time and actor)')
    .option('--expect-live <deployment>', EXPECT_LIVE_HELP)
    .option('--channel <name>', CHANNEL_HELP)
    .action(async (deployment: string, o: { reason: string; expectLive?: string; channel?: string }) => {
      const api = apiClient(io);
      const texts = {
        deployment_not_found: `No deployment "${deployment}" in your organisation`,
        deployment_not_finalized: `Deployment "${deployment}" is not finalized; run the deploy again to finish it`,
        already_live: `Deployment "${deployment}" is already ${o.channel ? `on ${o.channel}` : 'live'}`,
      };
      const d = await explaining(api('GET /v1/deployments/:id', { params: { id: deployment } }), texts);
      const body = {
        deployment,
        reason: o.reason,
        expectedLive: await expectedLive(api, d.courseId, o.expectLive, o.channel),
        ...(o.channel === undefined ? {} : { channel: o.channel }),
      };
      printJson(
        io,
        await explaining(api('POST /v1/courses/:id/promote', { params: { id: d.courseId }, body }), {
          ...texts,
          ...channelTexts(d.courseId, o.channel),
          ...liveChangedTexts(d.courseId, o.channel),
        }),
      );
    });
}
