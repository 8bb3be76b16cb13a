/**
 * Entry of `coursegate.iife.js` (the global `Coursegate`): the whole runtime plus `telemetryFromFragment`,
 * so a plain-script course can send its gated session's telemetry. The ESM `index` leaves it out, to stay
 * within its own budget; ESM courses import it from `runtime/telemetry`.
 */
export * from './index.js';
export { telemetryFromFragment } from './telemetry/session.js';
