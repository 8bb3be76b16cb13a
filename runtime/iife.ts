/**
 * Entry of `coursegate.iife.js` (the global `Coursegate`): the whole runtime plus `telemetryFromFragment`
 * (gated launches) and `telemetryFromPackage` (portable packages built with a telemetry endpoint and
 * ingest key), so a plain-script course can write
 * `Coursegate.start({ telemetry: Coursegate.telemetryFromFragment() ?? Coursegate.telemetryFromPackage() })`.
 * The ESM `index` leaves telemetry out, to stay within its own budget; ESM courses import it from
 * `coursegate/runtime/telemetry` (`dist/runtime/telemetry.js`).
 */
export * from './index.js';
export { telemetryFromPackage } from './telemetry/portable.js';
export { telemetryFromFragment } from './telemetry/session.js';
