import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { registerAdminCommands } from './commands/admin.js';
import { registerChannelCommands } from './commands/channels.js';
import { type CliIo, processIo } from './commands/cli-io.js';
import { registerCourseCommands } from './commands/courses.js';
import { registerDeployCommand } from './commands/deploy.js';
import { registerDeploymentsCommand } from './commands/deployments.js';
import { registerExportCommand } from './commands/export.js';
import { registerForwardingCommands } from './commands/forwarding.js';
import { registerGatedPackageCommand } from './commands/gated-package.js';
import { registerHistoryCommand } from './commands/history.js';
import { registerInspectCommand } from './commands/inspect.js';
import { registerKeyCommands } from './commands/keys.js';
import { registerLicenseFollowCommands } from './commands/license-follow.js';
import { registerLicenseCommands } from './commands/licenses.js';
import { registerLogCommands } from './commands/logs.js';
import { registerMemberCommands } from './commands/members.js';
import { registerNewCommand } from './commands/new.js';
import { registerPackageCommand } from './commands/package.js';
import { registerPreviewCommand } from './commands/preview.js';
import { registerPromoteCommand } from './commands/promote.js';
import { registerRollbackCommand } from './commands/rollback.js';
import { registerWebhookCommands } from './commands/webhooks.js';
import { PackagerError } from './errors.js';

// The package's package.json: beside packager/cli.ts in a checkout, above the bundle's dist/cli.js once built.
function readVersion(): string {
  for (const rel of ['./package.json', '../package.json']) {
    try {
      return (JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { version: string }).version;
    } catch {
      // try the next location
    }
  }
  return '0.0.0';
}

/**
 * A command-line mistake found by commander, in the one-line form of every other failure: commander
 * writes `error: …`, sometimes a `(Did you mean …?)` line, and would add a help hint on a line of its own.
 * @example parserErrorLine("error: unknown command 'lisences'\n(Did you mean licenses?)\n")
 * // "coursegate: unknown command 'lisences' (Did you mean licenses?); see --help [invalid_config]\n"
 */
export function parserErrorLine(text: string): string {
  const what = text
    .replace(/^error: /, '')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .join(' ')
    .replace(/\.$/, '');
  return `coursegate: ${what}; see --help [invalid_config]\n`;
}

/** Builds the `coursegate` command tree; each subcommand lives in its own module and registers here. */
export function createCli(io: CliIo = processIo()): Command {
  const program = new Command('coursegate')
    .description('Package, deploy and gate e-learning courses (SCORM 1.2, SCORM 2004, cmi5)')
    .version(readVersion())
    .configureOutput({
      writeOut: (str) => io.stdout.write(str),
      writeErr: (str) => io.stderr.write(str),
      outputError: (str, write) => write(parserErrorLine(str)),
    });
  registerNewCommand(program, io, program.version() ?? '0.0.0');
  registerPackageCommand(program, io);
  registerInspectCommand(program, io);
  registerAdminCommands(program, io);
  registerMemberCommands(program, io);
  registerKeyCommands(program, io);
  registerCourseCommands(program, io);
  registerLicenseCommands(program, io);
  registerLicenseFollowCommands(program, io);
  registerDeployCommand(program, io);
  registerPromoteCommand(program, io);
  registerRollbackCommand(program, io);
  registerHistoryCommand(program, io);
  registerChannelCommands(program, io);
  registerDeploymentsCommand(program, io);
  registerExportCommand(program, io);
  registerWebhookCommands(program, io);
  registerForwardingCommands(program, io);
  registerPreviewCommand(program, io);
  registerLogCommands(program, io);
  registerGatedPackageCommand(program, io);
  return program;
}

/**
 * Runs the CLI; every failure ends as one line on stderr and a non-zero exit code. `io` defaults to the
 * process's streams, environment and `fetch`; tests give their own to run commands in-process.
 * @example process.exitCode = await runCli(process.argv.slice(2));
 */
export async function runCli(argv: string[], io: CliIo = processIo()): Promise<number> {
  const program = createCli(io);
  // Subcommands exit the process themselves unless each one is told to throw instead.
  const override = (cmd: Command): void => {
    cmd.exitOverride();
    for (const sub of cmd.commands) override(sub);
  };
  override(program);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    const e = err as { code?: string; exitCode?: number; message?: string };
    if (typeof e.code === 'string' && e.code.startsWith('commander.')) {
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' ? 0 : (e.exitCode ?? 1);
    }
    if (err instanceof PackagerError) {
      io.stderr.write(`coursegate: ${err.message} [${err.code}]\n`);
      return 1;
    }
    io.stderr.write(`coursegate: ${e.message ?? String(err)}\n`);
    return 1;
  }
}
