/** Wire shapes of the launch handshake (docs/gatekeeper.md, "Launch"; docs/gated-delivery.md). */

export type Standard = 'scorm12' | 'scorm2004' | 'cmi5';
export const STANDARDS: readonly Standard[] = ['scorm12', 'scorm2004', 'cmi5'];

/** One of the three standards' names (`scorm12`, `scorm2004`, `cmi5`). */
export function isStandard(value: string): value is Standard {
  return (STANDARDS as readonly string[]).includes(value);
}

/** Audience of license tokens (EdDSA, verified on every launch). */
export const LICENSE_TOKEN_AUDIENCE = 'coursegate:launch';
/** Audience of session tokens (HS256, authorise ingest for one anonymous session). */
export const SESSION_TOKEN_AUDIENCE = 'coursegate:ingest';

export interface LaunchRequest {
  token: string;
  standard: Standard;
  /**
   * The LMS origin the gated cmi5 launch page was opened from (its `document.referrer`'s origin). The
   * Gatekeeper judges `allowedOrigins` on it only when the request's `Origin` is its content origin.
   */
  lmsOrigin?: string;
}

export interface LaunchSession {
  /** Anonymous session id: the only learner identity the Gatekeeper ever holds. */
  id: string;
  token: string;
  /** ISO 8601. */
  expiresAt: string;
}

export interface LaunchResponse {
  session: LaunchSession;
  /** Absolute URL of the course entry on the content origin. */
  contentUrl: string;
  /**
   * Absolute URL of the deployment root (ending in `/`), on the same origin as `contentUrl`. Optional; the
   * launch stub loads `{contentBase}_coursegate/player.html` and needs it for multi-SCO courses whose SCOs
   * live in different folders (docs/gated-delivery.md).
   */
  contentBase?: string;
}

/**
 * Key of the URL fragment that carries the session token to gated cmi5 content
 * (`…/au.html?<cmi5 params>#cg-session=<token>`); fragments never reach a server.
 */
export const SESSION_FRAGMENT_KEY = 'cg-session';
