import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDemoLms } from '../../examples/demo-lms/server.js';
import type { GatekeeperConfig } from '../config.js';
import type { RunningServer } from '../server.js';
import { ensureDemo } from './first-run.js';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

export interface DemoOptions {
  config: GatekeeperConfig;
  running: RunningServer;
  /** The demo LMS's port (`0`: any free port); null: no demo. */
  port: number | null;
}

/**
 * The demo around `npm start` (fs storage only): seeds the data dir on first run, serves the demo LMS on
 * its own origin, and returns the lines to print. The dashboard's URL joins them once it exists.
 */
export async function startDemo({ config, running, port }: DemoOptions) {
  if (config.storage.driver !== 'fs' || port === null) return { lines: [], close: async () => {} };
  const demo = await ensureDemo({
    dataDir: config.dataDir,
    playerDir: join(config.assetsDir, 'player'),
    now: () => new Date(),
  });
  if (!demo)
    return {
      lines: ['  demo:     skipped (the data dir has organisations of its own)'],
      close: async () => {},
    };
  const lms = await startDemoLms({
    host: config.host,
    port,
    apiUrl: running.listenUrl,
    apiKey: demo.state.apiKey,
    licenseId: demo.state.licenseId,
    scormAgainDir: join(ROOT, 'node_modules/scorm-again/dist'),
    uploadsDir: join(config.dataDir, 'demo-lms'),
  });
  const lines = [`  demo LMS: ${lms.url}/`];
  if (demo.created)
    lines.push(
      `  Demo org created. Owner ${demo.state.ownerEmail}, API key (shown once; also in ${join(config.dataDir, 'demo.json')}):`,
      `    ${demo.state.apiKey}`,
      `  Dashboard sign-in (shown once): ${demo.state.ownerEmail} / ${demo.password}`,
      `  Demo license: ${demo.state.licenseId} (course examples/hello-course, live)`,
    );
  else
    lines.push(
      `  Demo org: owner ${demo.state.ownerEmail}; its API key is in ${join(config.dataDir, 'demo.json')}`,
      `  Forgot the dashboard password? npx coursegate admin set-password --email ${demo.state.ownerEmail} --data-dir ${config.dataDir}`,
    );
  return { lines, close: lms.close };
}
