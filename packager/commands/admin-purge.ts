import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { openSqlite } from '../../gatekeeper/db/open-sqlite.js';
import {
  countBefore,
  type PurgeCounts,
  purgeBefore,
  retentionCutoff,
} from '../../gatekeeper/ingest/retention.js';
import { DATABASE_FILE } from '../../gatekeeper/server.js';
import { PackagerError } from '../errors.js';

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

function days(value: string | undefined): number {
  const n = Number(value ?? DEFAULT_DAYS);
  if (!Number.isInteger(n) || n < 1 || n > MAX_DAYS)
    throw new PackagerError('invalid_config', `--days must be a whole number of days from 1 to ${MAX_DAYS}`);
  return n;
}

/**
 * `coursegate admin purge`: what the Gatekeeper's daily retention run does, on demand, against a local
 * data directory (the server may be running: SQLite serialises the writes). Prints what it removed, or
 * with `--dry-run` what it would remove.
 */
export function registerPurgeCommand(admin: Command): void {
  admin
    .command('purge')
    .description(
      'Delete telemetry and launch records older than the retention period (default: COURSEGATE_RETENTION_DAYS, else 365 days)',
    )
    .option('--data-dir <dir>', 'the Gatekeeper data directory', './data')
    .option('--days <n>', 'keep this many days of records')
    .option('--dry-run', 'count what would be removed, remove nothing')
    .action(async (options: { dataDir: string; days?: string; dryRun?: boolean }) => {
      const keep = days(options.days ?? process.env.COURSEGATE_RETENTION_DAYS);
      const file = join(options.dataDir, DATABASE_FILE);
      if (!existsSync(file))
        throw new PackagerError('invalid_config', `No Gatekeeper database at ${file}; check --data-dir`);
      const now = new Date();
      const cutoff = retentionCutoff(now, keep);
      const db = await openSqlite({ file });
      try {
        const counts = await countBefore(db, cutoff);
        if (!options.dryRun) await purgeBefore(db, cutoff);
        const out = process.stdout;
        out.write(
          `${options.dryRun ? 'Would remove' : 'Removed'} records older than ${keep} days (before ${new Date(cutoff).toISOString()}):\n`,
        );
        for (const key of Object.keys(LABELS) as (keyof PurgeCounts)[])
          out.write(`  ${String(counts[key]).padStart(8)}  ${LABELS[key]}\n`);
      } finally {
        await db.close();
      }
    });
}
