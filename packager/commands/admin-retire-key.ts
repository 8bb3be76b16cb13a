import type { Command } from 'commander';
import { PackagerError } from '../errors.js';
import type { CliIo } from './cli-io.js';
import { checkExistingDatabase, loadAdmin } from './data-dir.js';

/**
 * `coursegate admin retire-signing-key <kid>`: withdraws a key a rotation replaced, so launches of the
 * tokens it signed are refused (`signing_key_retired`) once the server restarts (docs/gatekeeper.md,
 * "Tokens"). The active key and unknown kids are refused before anything changes.
 */
export function registerRetireKeyCommand(admin: Command, io: CliIo): void {
  admin
    .command('retire-signing-key <kid>')
    .description(
      'Refuse launches of tokens signed by a rotated-out key (rotate first to retire the active one). Restart the server after; `licenses list` flags the licenses to reissue.',
    )
    .option('--data-dir <dir>', 'the Gatekeeper data directory', './data')
    .option('--reason <text>', 'recorded in every organisation’s audit trail')
    // A kid is a base64url thumbprint and may begin with '-': read it as the kid, not as an option.
    .allowUnknownOption()
    .action(async (kid: string, options: { dataDir: string; reason?: string }) => {
      const admin = await loadAdmin();
      checkExistingDatabase(admin, options.dataDir);
      const done = await admin
        .retireSigningKey({ dataDir: options.dataDir, kid, reason: options.reason, now: () => new Date() })
        .catch((err: unknown) => {
          if (err instanceof admin.KeyRetireError) throw new PackagerError('invalid_config', err.message);
          throw err;
        });
      io.stdout.write(
        done.already
          ? `Signing key ${kid} was already retired.\n`
          : `Signing key ${kid} retired: its tokens are refused once the server restarts. Reissue the licenses \`coursegate licenses list\` flags.\n`,
      );
    });
}
