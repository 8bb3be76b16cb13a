import type { Command } from 'commander';
import { PackagerError } from '../errors.js';
import { apiClient, namingCourse, printJson } from './api-client.js';
import type { CliIo } from './cli-io.js';
import { channelTexts } from './expected-live.js';

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

// What the API accepts for a preview link's lifetime (`expiresIn`, gatekeeper/previews/service.ts).
const MIN_EXPIRES = 60;
const MAX_EXPIRES = 30 * 86400;

/** `1h`, `30m`, `7d` or plain seconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+)([smhd]?)$/.exec(text.trim());
  if (!m)
    throw new PackagerError('invalid_config', `--expires: "${text}" is not a duration like 30m, 12h or 7d`);
  return Number(m[1]) * (UNITS[m[2] || 's'] ?? 1);
}

/**
 * `--expires` as seconds, refused while the command line is read when the API would refuse it: its
 * answer names the JSON field (`expiresIn`), not the flag the user typed.
 */
export function parseExpires(text: string): number {
  const seconds = parseDuration(text);
  if (seconds < MIN_EXPIRES) throw new PackagerError('invalid_config', '--expires must be at least 60s');
  if (seconds > MAX_EXPIRES) throw new PackagerError('invalid_config', '--expires must be at most 30d');
  return seconds;
}

/** `coursegate preview <deployment> [--expires 24h]` and `coursegate preview <link id> --revoke`. */
export function registerPreviewCommand(program: Command, io: CliIo): void {
  program
    .command('preview <id>')
    .description(
      'Create a signed, expiring link to a staged deployment (or, with --channel, to what a channel of ' +
        'course <id> holds now), or --revoke a link by its id',
    )
    .option('--expires <duration>', 'lifetime from 60s to 30d, e.g. 30m, 24h, 7d (default 24h)', parseExpires)
    .option('--channel <name>', '<id> is a course: link to the deployment on this channel (e.g. beta, live)')
    .option('--revoke', 'revoke the preview link <id>')
    .action(async (id: string, o: { expires?: number; revoke?: boolean; channel?: string }) => {
      if (o.revoke && (o.expires !== undefined || o.channel !== undefined))
        throw new PackagerError(
          'invalid_config',
          '--expires and --channel apply to a new link, not to --revoke',
        );
      const api = apiClient(io);
      if (o.revoke) {
        printJson(io, await api('DELETE /v1/previews/:id', { params: { id } }));
        return;
      }
      if (o.channel !== undefined) {
        const link = api('POST /v1/courses/:id/channels/:name/previews', {
          params: { id, name: o.channel },
          body: o.expires === undefined ? {} : { expiresIn: o.expires },
        });
        printJson(io, await namingCourse(id, link, channelTexts(id, o.channel)));
        return;
      }
      printJson(
        io,
        await api('POST /v1/deployments/:id/previews', {
          params: { id },
          body: o.expires === undefined ? {} : { expiresIn: o.expires },
        }),
      );
    });
}
