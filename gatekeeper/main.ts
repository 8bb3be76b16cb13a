import { loadConfig } from './config.js';
import { closeOnSignals, exitOnStartFailure, startedBanner } from './process-lifecycle.js';
import { startServer } from './server.js';

/** The Gatekeeper as an operator runs it: configured by the environment, no demo. Ctrl-C stops it cleanly. */
const config = loadConfig();
const running = await startServer(config).catch(exitOnStartFailure);
console.log(startedBanner(config, running));
closeOnSignals(() => running.close());
