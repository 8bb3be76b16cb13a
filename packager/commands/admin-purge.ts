import type { Command } from 'commander';
import type { PurgeCounts } from '../../gatekeeper/admin/index.js';
import type { CliIo } from './cli-io.js';
import { checkExistingDatabase, loadAdmin } from './data-dir.js';
import { parsePositiveInteger, positiveIntegerOption } from './integer-option.js';

const DEFAULT_DAYS = 365;
const MAX_DAYS = 36_500;

const LABELS: Record<keyof PurgeCounts, string> = {
  statements: 'xAPI statements',
  completions: 'completion records',
  errorReports: 'error report ids',
  errorGroups: 'error groups',
  launchEvents: 'launch events',
  sessions: 'expired sessions',
};

/** `--days`, else the server's own setting (empty counts as unset there too), else the default. */
function days(flag: number | undefined, env: string | undefined): number {
  if (flag !== undefined) return flag;
  return env ? parsePositiveInteger(env, 'COURSEGATE_RETENTION_DAYS', MAX_DAYS) : DEFAULT_DAYS;
}

/**
 * `coursegate admin purge`: what the Gatekeeper's daily retention run does, on demand, against a local
 * data directory (the server may be running: SQLite serialises the writes). Prints what it removed, or
 * with `--dry-run` what it would remove.
 */
export function registerPurgeCommand(admin: Command, io: CliIo): void {
  admin
    .command('purge')
    .description(
      'Delete telemetry and launch records older than the retention period (default: COURSEGATE_RETENTION_DAYS, else 365 days)',
    )
    .option('--data-dir <dir>', 'the Gatekeeper data directory', './data')
    .option('--days <n>', 'keep this many days of records', positiveIntegerOption('--days', MAX_DAYS))
    .option('--dry-run', 'count what would be removed, remove nothing')
    .action(async (options: { dataDir: string; days?: number; dryRun?: boolean }) => {
      const keep = days(options.days, io.env.COURSEGATE_RETENTION_DAYS);
      const admin = await loadAdmin();
      checkExistingDatabase(admin, options.dataDir);
      const { cutoff, counts } = await admin.purgeTelemetry({
        dataDir: options.dataDir,
        keepDays: keep,
        now: () => new Date(),
        ...(options.dryRun ? { dryRun: true } : {}),
      });
      const out = io.stdout;
      out.write(
        `${options.dryRun ? 'Would remove' : 'Removed'} records older than ${keep} days (before ${new Date(cutoff).toISOString()}):\n`,
      );
      for (const key of Object.keys(LABELS) as (keyof PurgeCounts)[])
        out.write(`  ${String(counts[key]).padStart(8)}  ${LABELS[key]}\n`);
    });
}
