/**
 * `POST {gatekeeper}/v1/launch`, for the SCORM stub and the cmi5 launch page: it carries the token, the
 * standard and at most the LMS's origin, nothing about the learner.
 */
import type { LaunchRequest, LaunchResponse } from '../../protocol/launch.js';

export type LaunchOutcome = { ok: true; launch: LaunchResponse } | { ok: false; code: string };

/** How long a launch may wait for the Gatekeeper's answer (the check itself takes milliseconds). */
export const LAUNCH_TIMEOUT_MS = 20_000;

export async function requestLaunch(
  fetchFn: typeof fetch,
  gatekeeper: string,
  request: LaunchRequest,
): Promise<LaunchOutcome> {
  let res: Response;
  let body: { contentUrl?: unknown; error?: { code?: unknown } } | undefined;
  try {
    res = await fetchFn(`${gatekeeper.replace(/\/+$/, '')}/v1/launch`, {
      method: 'POST',
      // JSON as text/plain, a CORS-safelisted type: no preflight, one round trip fewer per launch.
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
      body: JSON.stringify(request),
      credentials: 'omit',
      // The cmi5 launch page's URL carries the learner; not even its origin-stripped form goes out as a Referer.
      referrerPolicy: 'no-referrer',
      // A Gatekeeper that never answers becomes "cannot reach", with Try again, not an endless wait.
      signal: AbortSignal.timeout?.(LAUNCH_TIMEOUT_MS),
    });
    body = await res.json().catch(() => undefined);
  } catch {
    return { ok: false, code: 'network' };
  }
  if (res.ok && body && typeof body.contentUrl === 'string') {
    return { ok: true, launch: body as LaunchResponse };
  }
  const code = body?.error?.code;
  if (typeof code === 'string') return { ok: false, code };
  // A 5xx or a proxy's HTML page: the server is not really answering, so offer a retry.
  return { ok: false, code: res.status >= 500 ? 'network' : 'refused' };
}
