import { loadConfig } from './config.js';
import { startDemo } from './demo/start-demo.js';
import { startServer } from './server.js';

/** `npm start`: the Gatekeeper on embedded defaults. Ctrl-C stops it cleanly. */
const config = loadConfig();
const running = await startServer(config);
const demo = await startDemo(config, running);
console.log(`Coursegate Gatekeeper
  API:      ${running.url} (listening on ${running.listenUrl})
  health:   ${running.url}/healthz
  dashboard: ${running.url}/dashboard
  content:  ${running.contentUrl}
  data dir: ${config.dataDir}
${demo.lines.map((l) => `${l}\n`).join('')}Press Ctrl-C to stop.`);

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal} received, shutting down`);
  await demo.close();
  await running.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
