import type { Command } from 'commander';
import type { ForwardingJson } from '../../protocol/api/forwarding.js';
import { PackagerError } from '../errors.js';
import { apiClient } from './api-client.js';
import type { CliIo } from './cli-io.js';

/** The password comes from the environment, never an argument (shell history, `ps`). */
const PASSWORD_ENV = 'COURSEGATE_LRS_PASSWORD';

function printStatus(io: CliIo, s: ForwardingJson): void {
  const lines = [
    ['Course', s.courseId],
    ['LRS', s.endpoint],
    ['Backlog', String(s.backlog)],
    ['Delivered', String(s.delivered)],
    ['Rejected', String(s.rejected)],
    ['Failed tries', String(s.attempts)],
    ['Next try', s.nextAttemptAt ?? '-'],
    ['Last error', s.lastError ? `${s.lastError} (${s.lastErrorAt})` : '-'],
  ];
  for (const [k, v] of lines) io.stdout.write(`${`${k}:`.padEnd(14)}${v}\n`);
}

/**
 * `coursegate forwarding set|show|clear <course>`: a course's LRS (owners only; docs/integrations.md,
 * "Statement forwarding"). The Basic password is read from COURSEGATE_LRS_PASSWORD.
 */
export function registerForwardingCommands(program: Command, io: CliIo): void {
  const forwarding = program
    .command('forwarding')
    .description("Forward a course's anonymous statements and completion records to an xAPI LRS");

  forwarding
    .command('set <course>')
    .description(
      `Forward to the LRS at <endpoint> (its xAPI base URL) with Basic credentials; the password is read from ${PASSWORD_ENV}. Statements already stored are sent too`,
    )
    .requiredOption('--endpoint <url>', 'the LRS xAPI base URL, https (statements go to <url>/statements)')
    .requiredOption('--username <name>', 'the Basic username (LRS key)')
    .action(async (course: string, options: { endpoint: string; username: string }) => {
      const password = io.env[PASSWORD_ENV];
      if (!password)
        throw new PackagerError('invalid_config', `Set ${PASSWORD_ENV} to the LRS password (secret)`);
      const res = await apiClient(io)('PUT /v1/courses/:id/forwarding', {
        params: { id: course },
        body: { endpoint: options.endpoint, username: options.username, password },
      });
      printStatus(io, res);
    });

  forwarding
    .command('show <course>')
    .description('The LRS, backlog (statements not yet taken), deliveries and last error')
    .action(async (course: string) => {
      printStatus(io, await apiClient(io)('GET /v1/courses/:id/forwarding', { params: { id: course } }));
    });

  forwarding
    .command('clear <course>')
    .description('Stop forwarding and drop the backlog')
    .action(async (course: string) => {
      const res = await apiClient(io)('DELETE /v1/courses/:id/forwarding', { params: { id: course } });
      io.stdout.write(`Stopped forwarding ${res.courseId} to ${res.endpoint} (dropped ${res.backlog})\n`);
    });
}
