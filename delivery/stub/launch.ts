/**
 * `POST {gatekeeper}/v1/launch`, for the SCORM stub and the cmi5 launch page: it carries the token, the
 * standard and at most the LMS's origin, nothing about the learner.
 */
import type { LaunchRequest, LaunchResponse } from '../../protocol/launch.js';

/** A refusal's `w`: milliseconds the Gatekeeper asked to wait before the next launch (its `Retry-After`). */
export type LaunchOutcome = { ok: true; launch: LaunchResponse } | { ok: false; code: string; w?: number };

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
  return {
    ok: false,
    // A 5xx (503 disk_full, storage_unavailable …, a proxy's HTML page): the server is not really
    // answering, offered as "Try again". A 4xx names its refusal (an unknown one reads as plain).
    code: res.status > 499 ? 'network' : typeof code === 'string' ? code : 'refused',
    // Retry-After in seconds (none reads 0): "Try again" launches no sooner (stub.ts).
    w: +(res.headers.get('retry-after') as string) * 1e3,
  };
}
