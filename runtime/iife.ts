/**
 * Entry of `coursegate.iife.js` (the global `Coursegate`): the whole runtime with telemetry built in, so
 * `Coursegate.start()` sends whatever the launch provides without loading anything more. It also exports
 * `telemetryFromFragment` (gated launches) and `telemetryFromPackage` (portable packages built with a
 * telemetry endpoint and ingest key) for courses that pass their own, with options. The ESM `index` loads
 * telemetry lazily, only when the launch carries a session (runtime/start.ts), to stay within its budget.
 */
export * from './index.js';
export { telemetryFromPackage } from './telemetry/portable.js';
export { telemetryFromFragment } from './telemetry/session.js';
