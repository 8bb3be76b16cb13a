/** What the stub hands the player in its URL fragment (never learner data: that comes over the bridge). */
import type { BridgeStandard } from '../../protocol/bridge.js';
import { SESSION_FRAGMENT_KEY } from '../../protocol/launch.js';

export interface PlayerParams {
  nonce: string;
  /** The stub's exact origin (the LMS origin). */
  stubOrigin: string;
  /** Course entry relative to the deployment root, query and fragment allowed. */
  entry: string;
  /** The standard, so the player loads its scorm-again before the welcome (which still decides). */
  standard?: BridgeStandard | undefined;
}

/** The standard the fragment names, if any: the launch page's early frame names only that. */
export function readStandard(hash: string): BridgeStandard | undefined {
  const s = new URLSearchParams(hash.replace(/^#/, '')).get('s');
  return s === 'scorm12' || s === 'scorm2004' ? s : undefined;
}

export function readParams(hash: string): PlayerParams | undefined {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const nonce = p.get('n');
  const stubOrigin = p.get('o');
  const entry = p.get('e');
  if (!nonce || !stubOrigin || !entry) return undefined;
  return { nonce, stubOrigin, entry, standard: readStandard(hash) };
}

/**
 * The course entry's URL: `entry` resolved against the deployment root (the player's parent folder), and
 * only when it stays on this origin inside that root.
 */
export function entryUrl(playerHref: string, entry: string): string | undefined {
  const root = new URL('../', playerHref);
  if (/^[a-z][a-z0-9+.-]*:|^[/\\]|(^|[/\\])\.\.([/\\]|$)/i.test(entry)) return undefined;
  const url = new URL(entry, root);
  if (url.origin !== root.origin || !url.pathname.startsWith(root.pathname)) return undefined;
  return url.href;
}

/**
 * The entry URL with the session token in its fragment (`#cg-session=<token>`, after any fragment the
 * entry has), where the runtime's `telemetryFromFragment()` finds it, as in a gated cmi5 launch.
 */
export function withSession(url: string, token: string): string {
  const u = new URL(url);
  const hash = u.hash.slice(1);
  u.hash = `${hash ? `${hash}&` : ''}${SESSION_FRAGMENT_KEY}=${encodeURIComponent(token)}`;
  return u.href;
}
