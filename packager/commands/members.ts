import type { Command } from 'commander';
import type { MemberRole } from '../../protocol/api/org.js';
import { apiClient, printJson, printTable } from './api-client.js';
import type { CliIo } from './cli-io.js';

/** `coursegate members …`: people of your organisation and their roles. */
export function registerMemberCommands(program: Command, io: CliIo): void {
  const members = program
    .command('members')
    .description('Members of your organisation (owner or member role)');

  members
    .command('list')
    .description('List members')
    .action(async () => {
      const { members: rows } = await apiClient(io)('GET /v1/members');
      printTable(io, rows, ['id', 'email', 'name', 'role', 'createdAt']);
    });

  members
    .command('add <email>')
    .description('Add a member')
    .option('--role <role>', 'owner or member', 'member')
    .option('--name <name>', 'display name')
    .action(async (email: string, options: { role: string; name?: string }) => {
      printJson(
        io,
        await apiClient(io)('POST /v1/members', {
          body: { email, role: options.role as MemberRole, name: options.name },
        }),
      );
    });

  members
    .command('set-role <id> <role>')
    .description('Change a member’s role (owner or member)')
    .action(async (id: string, role: string) => {
      printJson(
        io,
        await apiClient(io)('PATCH /v1/members/:id', { params: { id }, body: { role: role as MemberRole } }),
      );
    });

  members
    .command('remove <id>')
    .description('Remove a member and delete their API keys')
    .action(async (id: string) => {
      await apiClient(io)('DELETE /v1/members/:id', { params: { id } });
      io.stdout.write(`Removed ${id}\n`);
    });
}
