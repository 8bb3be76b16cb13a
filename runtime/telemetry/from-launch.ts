import type { Telemetry } from './create-telemetry.js';
import { telemetryFromPackage } from './portable.js';
import { telemetryFromFragment } from './session.js';

/**
 * The telemetry the launch provides: a gated launch's session, else a portable package's config, else
 * `undefined` (nothing is sent). What `start()` uses unless told `telemetry: false`.
 * @example
 * const course = await start({ telemetry: telemetryFromLaunch() });
 */
export function telemetryFromLaunch(win: Window = window): Telemetry | undefined {
  return telemetryFromFragment({ window: win }) ?? telemetryFromPackage({ window: win });
}
