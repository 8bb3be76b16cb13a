import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '../../gatekeeper/db/database.js';
import { DATABASE_FILE } from '../../gatekeeper/db/database-file.js';
import { openSqlite } from '../../gatekeeper/db/open-sqlite.js';
import { TEST_CONTENT_URL, TEST_PUBLIC_URL } from './gatekeeper.js';
import { spawnGatekeeper } from './gatekeeper-process.js';
import { startWorkerTarget } from './worker-target.js';

/** A Gatekeeper reached over loopback HTTP, and its database for seeding beside it. */
export interface RaceTarget {
  url: string;
  db: Database;
  close(): Promise<void>;
}

/**
 * Both builds, each over real sockets: the Node server as an operator runs it (its own process, SQLite
 * on disk, where the event loop runs a request's reads and writes without a pause between them) and the
 * Worker under Miniflare (D1, where every query is a round trip that other requests overtake).
 */
export const RACE_TARGETS: Record<string, () => Promise<RaceTarget>> = {
  'the Node server in its own process (SQLite)': async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cg-race-'));
    const { child, url } = await spawnGatekeeper(dir);
    const db = await openSqlite({ file: join(dir, DATABASE_FILE) });
    return {
      url,
      db,
      async close() {
        await db.close();
        if (child.exitCode === null) {
          const exited = new Promise((r) => child.once('exit', r));
          child.kill('SIGTERM');
          await exited;
        }
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
  'the Worker build under Miniflare (D1)': async () => {
    const worker = await startWorkerTarget({
      publicUrl: TEST_PUBLIC_URL,
      contentUrl: TEST_CONTENT_URL,
      listen: true,
      testClock: false,
    });
    return { url: worker.url!.origin, db: worker.db, close: () => worker.mf.dispose() };
  },
};
