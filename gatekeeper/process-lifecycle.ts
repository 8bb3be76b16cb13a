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

/** The settings that choose each port the Gatekeeper and the demo listen on. */
const PORT_SETTINGS =
  'COURSEGATE_PORT (API), COURSEGATE_CONTENT_PORT (content), COURSEGATE_DEMO_PORT (demo LMS)';

/**
 * One line for an error that stops the start (a taken port names the port and the settings), or `undefined`
 * when it is a bug whose stack should be printed.
 *
 * @example
 * startFailure(Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE', port: 8787 }));
 * // 'Port 8787 is already in use by another program: stop it, or choose another port with COURSEGATE_PORT …'
 */
export function startFailure(err: unknown): string | undefined {
  const e = err as { code?: unknown; port?: unknown; address?: unknown };
  if (e?.code === 'EADDRINUSE')
    return `Port ${String(e.port)} is already in use by another program: stop it, or choose another port with ${PORT_SETTINGS}.`;
  if (e?.code === 'EACCES')
    return `Port ${String(e.port)} needs privileges this user does not have: choose a port above 1023 with ${PORT_SETTINGS}.`;
  return undefined;
}

/** Prints why the start failed (one line when it is a known cause, else the error) and exits with 1. */
export function exitOnStartFailure(err: unknown): never {
  console.error(startFailure(err) ?? err);
  process.exit(1);
}
