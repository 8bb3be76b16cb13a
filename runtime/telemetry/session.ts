import { SESSION_FRAGMENT_KEY } from '../../protocol/launch.js';
import { createTelemetry, type Telemetry, type TelemetryOptions } from './create-telemetry.js';
import { keptSessionKey } from './probe.js';

/** What a course page needs to send telemetry for its anonymous session. */
export interface LaunchSession {
  token: string;
  id: string;
  /** The Gatekeeper's public URL (the token's issuer): ingest endpoint and actor homePage. */
  endpoint: string;
  /** Course id the session was opened for. */
  course: string;
}

/**
 * Reads the session a gated launch put in the URL fragment (`#cg-session=<session token>`) and removes
 * it from the address bar, so the token does not linger in history or get copied with the URL. It is
 * kept in this tab's `sessionStorage` for this page, so a reload still has it. The token's payload names
 * the session, course and issuer; it is not verified here (the ingest does).
 */
export function sessionFromFragment(win: Window = window): LaunchSession | undefined {
  try {
    const params = new URLSearchParams(win.location.hash.slice(1));
    const key = keptSessionKey(win);
    const fromUrl = params.get(SESSION_FRAGMENT_KEY);
    const token = fromUrl ?? kept(win, key);
    if (!token) return undefined;
    const payload = token.split('.')[1] ?? '';
    const claims = JSON.parse(win.atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as Record<
      string,
      unknown
    >;
    const { sub, iss, course } = claims;
    if (typeof sub !== 'string' || typeof iss !== 'string' || typeof course !== 'string') return undefined;
    if (!fromUrl) return { token, id: sub, endpoint: iss, course };
    try {
      win.sessionStorage.setItem(key, token);
    } catch {}
    params.delete(SESSION_FRAGMENT_KEY);
    const rest = params.toString();
    win.history.replaceState(
      win.history.state,
      '',
      `${win.location.pathname}${win.location.search}${rest ? `#${rest}` : ''}`,
    );
    return { token, id: sub, endpoint: iss, course };
  } catch {
    return undefined;
  }
}

/** The token this tab kept for this page, when storage is there at all (third-party frames may lack it). */
function kept(win: Window, key: string): string | null {
  try {
    return win.sessionStorage.getItem(key);
  } catch {
    return null;
  }
}

/**
 * Telemetry for a gated launch whose session arrived in the fragment; `undefined` elsewhere (portable
 * packages send nothing unless configured). Pass the result to `start({ telemetry })`.
 * @example
 * const course = await start({ telemetry: telemetryFromFragment() });
 */
export function telemetryFromFragment(
  options: Partial<Omit<TelemetryOptions, 'endpoint' | 'sessionToken' | 'sessionId'>> & {
    window?: Window;
  } = {},
): Telemetry | undefined {
  const { window: win, ...rest } = options;
  const session = sessionFromFragment(win ?? window);
  if (!session) return undefined;
  return createTelemetry({
    course: session.course,
    ...rest,
    endpoint: session.endpoint,
    sessionToken: session.token,
    sessionId: session.id,
  });
}
