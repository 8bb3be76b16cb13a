export { createCmi5LmsApp } from './app.js';
export { createCmi5Lms, type LaunchOptions } from './lms.js';
export { type Cmi5Lms, startCmi5Lms } from './server.js';
export type { Agent, Cmi5Launch, LaunchMode, RecordedRequest, Statement, StoredStatement } from './store.js';
export { agentKey, SESSION_ID_EXTENSION, sessionOf } from './store.js';
