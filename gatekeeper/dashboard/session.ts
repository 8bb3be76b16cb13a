import type { MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { randomToken, sha256Hex } from '../crypto.js';
import {
  createDashboardSession,
  deleteExpiredDashboardSessions,
  findDashboardSession,
} from '../db/dashboard-sessions.js';
import type { DashboardContext, DashboardDeps, DashboardEnv } from './dashboard-types.js';
import { csrfMatches } from './security.js';

export const SESSION_COOKIE = 'cg_dashboard';
export const LOGIN_CSRF_COOKIE = 'cg_dashboard_login';

const secure = (deps: DashboardDeps) => deps.config.publicUrl.startsWith('https:');

function cookieOptions(deps: DashboardDeps, maxAgeSeconds?: number) {
  return {
    path: deps.basePath,
    httpOnly: true,
    sameSite: 'Strict' as const,
    secure: secure(deps),
    ...(maxAgeSeconds === undefined ? {} : { maxAge: maxAgeSeconds }),
  };
}

/** Starts a session: the cookie holds a random secret, the table only its sha256. */
export async function startSession(
  c: DashboardContext,
  deps: DashboardDeps,
  memberId: string,
  orgId: string,
) {
  const secret = randomToken(32);
  const now = deps.now().getTime();
  await deleteExpiredDashboardSessions(deps.db, now);
  await createDashboardSession(deps.db, {
    id: sha256Hex(secret),
    memberId,
    orgId,
    csrfToken: randomToken(24),
    createdAt: now,
    expiresAt: now + deps.sessionTtlMs,
  });
  setCookie(c, SESSION_COOKIE, secret, cookieOptions(deps, Math.floor(deps.sessionTtlMs / 1000)));
}

export function clearSessionCookie(c: DashboardContext, deps: DashboardDeps) {
  deleteCookie(c, SESSION_COOKIE, { path: deps.basePath, secure: secure(deps) });
}

/** The login form's CSRF token: a random value in a short-lived cookie and in the form (double submit). */
export function loginCsrf(c: DashboardContext, deps: DashboardDeps): string {
  const existing = getCookie(c, LOGIN_CSRF_COOKIE);
  if (existing && existing.length >= 20) return existing;
  const token = randomToken(24);
  setCookie(c, LOGIN_CSRF_COOKIE, token, cookieOptions(deps, 3600));
  return token;
}

export function loginCsrfMatches(c: DashboardContext, sent: unknown): boolean {
  const expected = getCookie(c, LOGIN_CSRF_COOKIE);
  return !!expected && csrfMatches(expected, sent);
}

/**
 * Loads the session into `c.var.user`, or sends the browser to the login page. On every POST the
 * form's `_csrf` must equal the session's token.
 */
export function requireLogin(
  deps: DashboardDeps,
  onCsrfFailure: MiddlewareHandler<DashboardEnv>,
): MiddlewareHandler<DashboardEnv> {
  return async (c, next) => {
    const secret = getCookie(c, SESSION_COOKIE);
    const found =
      secret && secret.length < 100
        ? await findDashboardSession(deps.db, sha256Hex(secret), deps.now().getTime())
        : undefined;
    if (!found) {
      if (c.req.method === 'GET') {
        const back = new URL(c.req.url).pathname;
        return c.redirect(`${deps.basePath}/login?next=${encodeURIComponent(back)}`, 303);
      }
      return onCsrfFailure(c, next);
    }
    c.set('user', {
      sessionId: found.id,
      memberId: found.memberId,
      orgId: found.orgId,
      email: found.email,
      role: found.role,
      csrfToken: found.csrfToken,
    });
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      const body = await c.req.parseBody();
      if (!csrfMatches(found.csrfToken, body._csrf)) return onCsrfFailure(c, next);
    }
    return next();
  };
}
