import { loadConfig } from './config.js';
import { startServer } from './server.js';

/** The Gatekeeper as an operator runs it: configured by the environment, no demo. Ctrl-C stops it cleanly. */
const config = loadConfig();
const running = await startServer(config);
console.log(`Coursegate Gatekeeper
  API:      ${running.url} (listening on ${running.listenUrl})
  health:   ${running.url}/healthz
  dashboard: ${running.url}/dashboard
  content:  ${running.contentUrl}
  data dir: ${config.dataDir}
Press Ctrl-C to stop.`);

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal} received, shutting down`);
  await running.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
