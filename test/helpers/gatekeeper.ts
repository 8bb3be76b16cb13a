import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../gatekeeper/config.js';
import { startServer } from '../../gatekeeper/server.js';

/**
 * Starts a real Gatekeeper on port 0 with a temporary data directory; `close()` stops it and removes the data.
 * `env` takes the same variables as `npm start`.
 */
export async function startGatekeeper(env: Record<string, string> = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'cg-gk-'));
  const config = loadConfig({
    COURSEGATE_PORT: '0',
    COURSEGATE_CONTENT_PORT: '0',
    COURSEGATE_DATA_DIR: dataDir,
    COURSEGATE_LOG: 'off',
    ...env,
  });
  const running = await startServer(config);
  return {
    ...running,
    dataDir,
    async close() {
      await running.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
