import { SESSION_FRAGMENT_KEY } from '../../protocol/launch.js';
import { PACKAGE_TELEMETRY_ELEMENT_ID } from '../../protocol/telemetry.js';

/** Where this tab keeps a gated launch's session token for this page (`sessionFromFragment`). */
export const keptSessionKey = (win: Window): string => `${SESSION_FRAGMENT_KEY}:${win.location.pathname}`;

/**
 * Whether the launch may carry a telemetry session: a gated launch's fragment (or the token this tab kept
 * from it) or a portable package's telemetry config. Cheap and synchronous, so `start()` loads the
 * telemetry code only when it has something to send with.
 */
export function launchHasSession(win: Window): boolean {
  try {
    if (new URLSearchParams(win.location.hash.slice(1)).has(SESSION_FRAGMENT_KEY)) return true;
    if (win.document.getElementById(PACKAGE_TELEMETRY_ELEMENT_ID)) return true;
    return Boolean(win.sessionStorage.getItem(keptSessionKey(win)));
  } catch {
    return false;
  }
}
