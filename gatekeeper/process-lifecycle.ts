import type { GatekeeperConfig } from './config.js';
import type { RunningServer } from './server.js';

/** What a started Gatekeeper prints: its URLs and data dir, then `extra` lines (the demo's), then how to stop. */
export function startedBanner(
  config: GatekeeperConfig,
  running: RunningServer,
  extra: string[] = [],
): string {
  return `Coursegate Gatekeeper
  API:      ${running.url} (listening on ${running.listenUrl})
  health:   ${running.url}/healthz
  dashboard: ${running.url}/dashboard
  content:  ${running.orgContentUrl ?? running.contentUrl}${running.orgContentUrl ? ` (each org's; shared origin of older deployments: ${running.contentUrl})` : ''}
${running.warnings.map((w) => `  warning:  ${w}\n`).join('')}  data dir: ${config.dataDir}
${extra.map((l) => `${l}\n`).join('')}Press Ctrl-C to stop.`;
}

/** On SIGINT or SIGTERM, runs `close` once and exits: listeners closed, SQLite checkpointed. */
export function closeOnSignals(close: () => Promise<void>): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal} received, shutting down`);
    await close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}
