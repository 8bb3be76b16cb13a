import { countBefore, type PurgeCounts, purgeBefore, retentionCutoff } from '../ingest/retention.js';
import { withDatabase } from './with-database.js';

/**
 * `coursegate admin purge`: the daily retention run on demand (the server may be running: SQLite
 * serialises the writes). With `dryRun` it only counts.
 * @example const { counts } = await purgeTelemetry({ dataDir: './data', keepDays: 365, now: () => new Date() });
 */
export async function purgeTelemetry(input: {
  dataDir: string;
  keepDays: number;
  now: () => Date;
  dryRun?: boolean;
}): Promise<{ cutoff: number; counts: PurgeCounts }> {
  const cutoff = retentionCutoff(input.now(), input.keepDays);
  return withDatabase(input.dataDir, async (db) => {
    const counts = await countBefore(db, cutoff);
    if (!input.dryRun) await purgeBefore(db, cutoff);
    return { cutoff, counts };
  });
}
