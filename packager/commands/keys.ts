import type { Command } from 'commander';
import { apiClient, printTable } from './api-client.js';
import type { CliIo } from './cli-io.js';

/** `coursegate keys …`: API keys of your organisation. */
export function registerKeyCommands(program: Command, io: CliIo): void {
  const keys = program.command('keys').description('API keys (cg_…): create, list, revoke');

  keys
    .command('list')
    .description('List API keys (never the secrets)')
    .action(async () => {
      const res = await apiClient(io)('GET /v1/keys');
      printTable(io, res.keys, ['id', 'name', 'prefix', 'memberId', 'lastUsedAt', 'revokedAt']);
    });

  keys
    .command('create')
    .description('Create an API key; it is printed once')
    .requiredOption('--name <name>', 'what the key is for, e.g. "ci"')
    .option('--member <id>', 'the member who owns the key (default: you)')
    .action(async (options: { name: string; member?: string }) => {
      const res = await apiClient(io)('POST /v1/keys', {
        body: { name: options.name, memberId: options.member },
      });
      io.stdout.write(`Key id:  ${res.apiKey.id}\nAPI key: ${res.key}\n(shown only now)\n`);
    });

  keys
    .command('revoke <id>')
    .description('Revoke an API key; it stops working at once')
    .action(async (id: string) => {
      await apiClient(io)('DELETE /v1/keys/:id', { params: { id } });
      io.stdout.write(`Revoked ${id}\n`);
    });
}
