export type { ContentApp, ContentAppDeps } from './app.js';
export { createContentApp, IMMUTABLE } from './app.js';
export { CONTENT_PREFIX, keyFromPath } from './key-from-path.js';
export type { ContentServerOptions, RunningContentServer } from './server.js';
export { startContentServer } from './server.js';
