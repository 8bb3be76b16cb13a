import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { PackagerError } from '../errors.js';
import { registerContentUrlCommand } from './admin-content-url.js';
import { registerPurgeCommand } from './admin-purge.js';
import { registerRetireKeyCommand } from './admin-retire-key.js';
import { configFilePath, saveCliConfig } from './cli-config.js';
import type { CliIo } from './cli-io.js';
import { type Admin, checkExistingDatabase, loadAdmin } from './data-dir.js';

interface OrgOptions {
  dataDir: string;
  org: string;
  email: string;
  name?: string;
  url: string;
  saveConfig?: boolean;
  force?: boolean;
}

// The rules of the org and members services, checked first to name the flag that breaks them.
function checkOrgOptions(admin: Admin, options: OrgOptions): void {
  if (!admin.ORG_NAME.safeParse(options.org).success)
    throw new PackagerError(
      'invalid_config',
      options.org.trim() === '' ? '--org must not be empty' : '--org must be at most 200 characters',
    );
  if (!admin.MEMBER_EMAIL.safeParse(options.email).success)
    throw new PackagerError(
      'invalid_config',
      `--email ${JSON.stringify(options.email)} is not an email address`,
    );
  if (options.name !== undefined && !admin.MEMBER_NAME.safeParse(options.name).success)
    throw new PackagerError('invalid_config', '--name must be 1 to 200 characters');
}

/**
 * Refuses `--save-config` over an existing configuration before anything is created: it may hold the
 * key of another Gatekeeper, and once the organisation exists the command cannot simply be run again.
 */
function checkSaveConfig(io: CliIo, options: OrgOptions): void {
  if (options.force && !options.saveConfig)
    throw new PackagerError('invalid_config', '--force applies to --save-config only');
  const file = configFilePath(io.env);
  if (options.saveConfig && !options.force && existsSync(file))
    throw new PackagerError(
      'invalid_config',
      `${file} already exists; add --force to overwrite it, or leave out --save-config`,
    );
}

async function initOrg(io: CliIo, options: OrgOptions, firstOnly: boolean) {
  const admin = await loadAdmin();
  checkOrgOptions(admin, options);
  checkSaveConfig(io, options);
  let created: Awaited<ReturnType<Admin['initOrg']>>;
  try {
    created = await admin.initOrg({
      dataDir: options.dataDir,
      firstOnly,
      now: () => new Date(),
      name: options.org,
      owner: { email: options.email, name: options.name },
      keyName: 'admin init',
    });
  } catch (err) {
    // Refusals are the operator's input: named by their code, with the flag to change.
    const code = (err as { code?: unknown }).code;
    if (code === 'already_exists')
      throw new PackagerError(
        'invalid_config',
        `${options.dataDir} already has an organisation; use "coursegate admin add-org" for another`,
      );
    if (code === 'member_exists')
      throw new PackagerError('invalid_config', `--email ${options.email} already belongs to a member`);
    throw err;
  }
  const out = io.stdout;
  out.write(`Organisation: ${created.org.name} (${created.org.id})\n`);
  out.write(`Owner:        ${created.owner.email} (${created.owner.id})\n`);
  out.write(`API key:      ${created.key}\n`);
  out.write(`Dashboard:    ${options.url.replace(/\/$/, '')}/dashboard (password ${created.password})\n`);
  out.write(
    'The API key and the password are shown only now: store the key (e.g. COURSEGATE_API_KEY) and change the password in the dashboard.\n',
  );
  if (options.saveConfig) {
    const file = saveCliConfig({ url: options.url.replace(/\/$/, ''), apiKey: created.key }, io.env);
    out.write(`Saved URL and key to ${file}\n`);
  }
}

function orgOptions(cmd: Command): Command {
  return cmd
    .requiredOption('--org <name>', 'organisation name')
    .requiredOption('--email <email>', 'email of the owner')
    .option('--name <name>', 'display name of the owner')
    .option('--data-dir <dir>', 'the Gatekeeper data directory', './data')
    .option('--url <url>', 'the Gatekeeper URL to save with --save-config', 'http://localhost:8787')
    .option(
      '--save-config',
      'write the URL and the new key to ~/.config/coursegate/config.json ($XDG_CONFIG_HOME/coursegate/config.json if set)',
    )
    .option('--force', 'with --save-config: overwrite an existing config.json');
}

/** `coursegate admin …`: operator commands that work on a local data directory, not over HTTP. */
export function registerAdminCommands(program: Command, io: CliIo): void {
  const admin = program
    .command('admin')
    .description('Operator commands on a local Gatekeeper data directory (no server needed)');

  orgOptions(
    admin
      .command('init')
      .description('Create the first organisation, its owner and an API key (printed once)'),
  ).action((options: OrgOptions) => initOrg(io, options, true));

  orgOptions(
    admin.command('add-org').description('Create another organisation with its owner and an API key'),
  ).action((options: OrgOptions) => initOrg(io, options, false));

  admin
    .command('set-password')
    .description('Give a member a new one-time dashboard password (printed once); ends their sessions')
    .requiredOption('--email <email>', 'the member')
    .option('--data-dir <dir>', 'the Gatekeeper data directory', './data')
    .action(async (options: { email: string; dataDir: string }) => {
      const admin = await loadAdmin();
      checkExistingDatabase(admin, options.dataDir);
      const password = await admin
        .resetPassword({ dataDir: options.dataDir, email: options.email })
        .catch((err: { code?: unknown }) => {
          if (err.code === 'member_not_found')
            throw new PackagerError('invalid_config', `No member with the email ${options.email}`);
          throw err;
        });
      io.stdout.write(
        `Password for ${options.email}: ${password}\nShown only now; change it under Account in the dashboard.\n`,
      );
    });

  admin
    .command('rotate-signing-key')
    .description(
      'Make a new signing key; the old one keeps verifying existing tokens. Restart the server after.',
    )
    .option('--data-dir <dir>', 'the Gatekeeper data directory', './data')
    .action(async (options: { dataDir: string }) => {
      const admin = await loadAdmin();
      checkExistingDatabase(admin, options.dataDir);
      const next = await admin.rotateSigningKey({ dataDir: options.dataDir, now: () => new Date() });
      io.stdout.write(`New signing key ${next.kid}; ${next.retired} retired key(s) kept.\n`);
    });

  registerRetireKeyCommand(admin, io);
  registerPurgeCommand(admin, io);
  registerContentUrlCommand(admin, io);
}
