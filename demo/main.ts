/**
 * `npm start`: the first look. Builds the browser bundles when a source is newer, starts the Gatekeeper on
 * its embedded defaults, and around it the demo (seeded org and course, demo LMS). Ctrl-C stops both.
 * The Gatekeeper alone, as an operator runs it, is `gatekeeper/main.ts`.
 */
import { loadConfig } from '../gatekeeper/config.js';
import { startDemo } from '../gatekeeper/demo/start-demo.js';
import { closeOnSignals, exitOnStartFailure, startedBanner } from '../gatekeeper/process-lifecycle.js';
import { startServer } from '../gatekeeper/server.js';
import { ensureRuntimeBuild } from '../scripts/ensure-runtime-build.js';
import { loadDemoConfig } from './config.js';

try {
  ensureRuntimeBuild();
} catch (err) {
  console.error(String(err));
  process.exit(1);
}
const config = loadConfig();
const running = await startServer(config).catch(exitOnStartFailure);
const demo = await startDemo({ config, running, port: loadDemoConfig(config.port).port }).catch(
  async (err: unknown) => {
    await running.close();
    return exitOnStartFailure(err);
  },
);
console.log(startedBanner(config, running, demo.lines));
closeOnSignals(async () => {
  await demo.close();
  await running.close();
});
