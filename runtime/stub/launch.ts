/** `POST {gatekeeper}/v1/launch`: it carries the token and the standard, nothing about the learner. */
import type { LaunchResponse } from '../../protocol/launch.js';
import type { StubConfig } from './config.js';

export type LaunchOutcome = { ok: true; launch: LaunchResponse } | { ok: false; code: string };

export async function requestLaunch(fetchFn: typeof fetch, config: StubConfig): Promise<LaunchOutcome> {
  let res: Response;
  let body: { contentUrl?: unknown; error?: { code?: unknown } } | undefined;
  try {
    res = await fetchFn(`${config.gatekeeper.replace(/\/+$/, '')}/v1/launch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: config.token, standard: config.standard }),
      credentials: 'omit',
      cache: 'no-store',
      referrerPolicy: 'no-referrer',
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
