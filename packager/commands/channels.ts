import type { Command } from 'commander';
import { apiClient, namingCourse, printJson, printTable } from './api-client.js';
import type { CliIo } from './cli-io.js';
import { channelTexts } from './expected-live.js';

/**
 * `coursegate channels list|create|delete`: a course's release channels (docs/deployments.md,
 * "Channels"). `live` always exists; `promote --channel` and `rollback --channel` move the others.
 */
export function registerChannelCommands(program: Command, io: CliIo): void {
  const channels = program
    .command('channels')
    .description('Release channels of a course: live, and named ones (beta, …) that licenses can follow');

  channels
    .command('list <course>')
    .description('Each channel with its deployment and the licenses following it, then the pinned licenses')
    .action(async (course: string) => {
      const res = await namingCourse(
        course,
        apiClient(io)('GET /v1/courses/:id/channels', { params: { id: course } }),
      );
      const rows = [
        ...res.channels.map((c) => ({
          channel: c.name,
          deployment: c.deploymentId ?? '(none)',
          licenses: c.licenses.map((l) => l.clientName).join(', '),
        })),
        ...res.pinned.map((l) => ({
          channel: '(pinned)',
          deployment: l.deploymentId,
          licenses: l.clientName,
        })),
      ];
      printTable(io, rows, ['channel', 'deployment', 'licenses']);
    });

  channels
    .command('create <course> <name>')
    .description('Add a named channel (owners); then "coursegate promote <deployment> --channel <name>"')
    .action(async (course: string, name: string) => {
      const made = apiClient(io)('POST /v1/courses/:id/channels', { params: { id: course }, body: { name } });
      printJson(
        io,
        await namingCourse(course, made, {
          channel_exists: `Course "${course}" already has a channel "${name}"`,
        }),
      );
    });

  channels
    .command('delete <course> <name>')
    .description(
      'Delete a named channel; refused while licenses follow it ("coursegate licenses follow" first)',
    )
    .action(async (course: string, name: string) => {
      const gone = apiClient(io)('DELETE /v1/courses/:id/channels/:name', { params: { id: course, name } });
      printJson(
        io,
        await namingCourse(course, gone, {
          ...channelTexts(course, name),
          channel_in_use: (details) => {
            const { licenses } = details as { licenses: { id: string; clientName: string }[] };
            const names = licenses.map((l) => `${l.clientName} (${l.id})`).join(', ');
            return `Channel "${name}" is followed by ${names}; make them follow another channel first ("coursegate licenses follow <license> live --reason …")`;
          },
        }),
      );
    });
}
