export type { AppDeps, GatekeeperApp } from './app.js';
export { createApp } from './app.js';
export type { GatekeeperConfig } from './config.js';
export { loadConfig } from './config.js';
export { migrateD1, openD1 } from './db/d1.js';
export { GatekeeperError } from './errors.js';
export { createEnvKeyStore } from './keys/env-key-store.js';
export type { RunningServer } from './server.js';
export { startServer } from './server.js';
