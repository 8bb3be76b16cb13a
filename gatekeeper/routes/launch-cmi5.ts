import type { Context } from 'hono';
import { Hono } from 'hono';
import type { LaunchErrorCode } from '../../protocol/index.js';
import type { AppEnv, RouteDeps } from './context.js';
import { MAX_TOKEN_LENGTH } from './launch.js';
import { createLaunchCheck, encodeEntry, LAUNCH_MESSAGES } from './launch-check.js';

/** Fragment key carrying the anonymous session token to the AU; fragments never reach a server. */
export const CMI5_SESSION_FRAGMENT = 'cg-session';

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch]!);

/** The page a refused cmi5 launch shows in the LMS's window: the reason, escaped, announced. */
export function refusalPage(code: LaunchErrorCode): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><title>Course unavailable</title>
<style>body{font:16px/1.5 system-ui,sans-serif;color:#1a1a1a;max-width:40rem;margin:2rem auto;padding:0 1rem}
main{border-left:4px solid #b3261e;padding:0 1rem}</style></head>
<body><main role="alert"><h1>This course cannot be opened</h1>
<p>${escapeHtml(LAUNCH_MESSAGES[code])}</p><p><small>Reason: ${escapeHtml(code)}</small></p></main></body>
</html>
`;
}

/** The LMS's page origin for a navigation: the Referer's origin when the browser sent one. */
function refererOrigin(c: Context): string | null {
  const referer = c.req.header('referer');
  if (!referer) return null;
  try {
    const origin = new URL(referer).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}

/** The raw query string of the request, untouched (the LMS's launch parameters), without the `?`. */
function rawQuery(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return '';
  const hash = url.indexOf('#', q);
  return url.slice(q + 1, hash < 0 ? undefined : hash);
}

/**
 * `GET /v1/launch/cmi5/:token`: the AU URL of a gated cmi5 package. The LMS navigates here with its launch
 * parameters (endpoint, fetch, actor, registration, activityId); the license is checked exactly as for
 * `POST /v1/launch`, then the browser is sent on to the live AU with those parameters intact and the
 * anonymous session in the fragment. The query string is read once to build the redirect and is never
 * logged or stored: it carries the learner (actor) and a one-time credential (fetch).
 */
export function launchCmi5Routes(deps: RouteDeps) {
  const app = new Hono<AppEnv>();
  const launch = createLaunchCheck(deps);

  const refuse = (c: Context, code: LaunchErrorCode) => {
    c.header('cache-control', 'no-store');
    c.header('referrer-policy', 'no-referrer');
    return c.html(refusalPage(code), code === 'rate_limited' ? 429 : 403);
  };

  app.get('/:token', async (c) => {
    if (!deps.limits.perAddress.take(deps.clientAddress(c), deps.now().getTime()))
      return refuse(c, 'rate_limited');
    const token = c.req.param('token');
    if (token.length > MAX_TOKEN_LENGTH) return refuse(c, 'token_invalid');
    // A navigation carries no Origin; the Referer's origin stands in for it when the LMS sends one.
    const outcome = await launch.check({ token, standard: 'cmi5', origin: refererOrigin(c) });
    if (!outcome.ok) return refuse(c, outcome.code);
    const entry = encodeEntry(outcome.entry);
    const query = rawQuery(c.req.url);
    const sep = entry.includes('?') ? '&' : '?';
    const target = `${outcome.contentBase}${entry}${query ? sep + query : ''}#${CMI5_SESSION_FRAGMENT}=${encodeURIComponent(outcome.session.token)}`;
    c.header('cache-control', 'no-store');
    c.header('referrer-policy', 'no-referrer');
    return c.redirect(target, 302);
  });

  return app;
}
