import type { MiddlewareHandler } from 'hono';
import { safeEqual } from '../crypto.js';

/** No inline script or style anywhere: only the dashboard's own static files. */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    c.header('content-security-policy', DASHBOARD_CSP);
    c.header('x-content-type-options', 'nosniff');
    c.header('x-frame-options', 'DENY');
    // Not no-referrer: with it Chromium sends `Origin: null` on form posts, which the Origin check refuses.
    c.header('referrer-policy', 'same-origin');
    if (!c.res.headers.has('cache-control')) c.header('cache-control', 'no-store');
  };
}

/**
 * Refuses a state-changing request whose `Origin` is not the dashboard's own. SameSite=Strict already keeps
 * the cookie off cross-site requests; this also stops same-site ones (another port or subdomain of the same
 * registrable domain: docs/dashboard.md, "Security"). A request without `Origin` is refused too: every
 * browser that matters sends it on POST.
 */
export function sameOriginOnly(publicUrl: string, onReject: MiddlewareHandler): MiddlewareHandler {
  const expected = new URL(publicUrl).origin;
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    if (c.req.header('origin') !== expected) return onReject(c, next);
    return next();
  };
}

/** True when the form's `_csrf` field matches the session's token (constant-time compare). */
export function csrfMatches(expected: string, sent: unknown): boolean {
  return typeof sent === 'string' && sent.length > 0 && safeEqual(sent, expected);
}
