import type { Command } from 'commander';
import { apiClient, namingCourse, printTable } from './api-client.js';
import type { CliIo } from './cli-io.js';
import { channelTexts } from './expected-live.js';

/** `coursegate history <course>`: every promotion and rollback with time, actor and reason. */
export function registerHistoryCommand(program: Command, io: CliIo): void {
  program
    .command('history <course>')
    .description(
      'Promotions and rollbacks of a course, newest first: of its live deployment, or of --channel',
    )
    .option('--channel <name>', 'a release channel (default: live)')
    .action(async (course: string, o: { channel?: string }) => {
      const res = await namingCourse(
        course,
        apiClient(io)('GET /v1/courses/:id/history', {
          params: { id: course },
          ...(o.channel === undefined ? {} : { query: { channel: o.channel } }),
        }),
        channelTexts(course, o.channel),
      );
      printTable(io, res.events, ['at', 'action', 'actor', 'from', 'to', 'reason']);
    });
}
