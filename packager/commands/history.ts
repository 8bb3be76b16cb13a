import type { Command } from 'commander';
import { deploymentLabels } from '../../protocol/deployment-label.js';
import { apiClient, namingCourse, printTable } from './api-client.js';
import type { CliIo } from './cli-io.js';
import { channelTexts } from './expected-live.js';

/**
 * `coursegate history <course>`: every promotion and rollback with time, actor and reason; each deployment
 * by its version label beside its id (`1.2.0 (#3) dep_…`), as `coursegate deployments` labels it.
 */
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
      const client = apiClient(io);
      const { deployments } = await client('GET /v1/courses/:id/deployments', { params: { id: course } });
      const labels = deploymentLabels(deployments.map((d) => ({ id: d.id, version: d.metadata.version })));
      const named = (id: string | null) => (id === null ? null : `${labels.get(id) ?? '?'} ${id}`);
      const rows = res.events.map((e) => ({ ...e, from: named(e.from), to: named(e.to) }));
      printTable(io, rows, ['at', 'action', 'actor', 'from', 'to', 'reason']);
    });
}
