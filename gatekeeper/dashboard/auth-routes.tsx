import { Hono } from 'hono';
import { hashPassword, verifyPassword } from '../crypto.js';
import { deleteDashboardSession, deleteMemberDashboardSessions } from '../db/dashboard-sessions.js';
import { findMemberByEmail, getMember, setMemberPassword } from '../db/members.js';
import { retryAfterSeconds } from '../errors.js';
import { type DashboardDeps, type DashboardEnv, userOf } from './dashboard-types.js';
import { Csrf, Layout } from './layout.js';
import { render } from './render.js';
import { clearSessionCookie, loginCsrf, loginCsrfMatches, startSession } from './session.js';

export const MIN_PASSWORD_LENGTH = 12;

function safeNext(base: string, next: unknown): string {
  // Only a path inside the dashboard: never an absolute or protocol-relative URL.
  return typeof next === 'string' && (next === base || next.startsWith(`${base}/`)) && !next.includes('//')
    ? next
    : base;
}

function LoginPage(props: { base: string; csrf: string; next: string; email?: string; error?: string }) {
  return (
    <Layout
      base={props.base}
      title="Sign in"
      flash={props.error ? { kind: 'error', text: props.error } : undefined}
    >
      <form class="stack card login" method="post" action={`${props.base}/login`}>
        <input type="hidden" name="_csrf" value={props.csrf} />
        <input type="hidden" name="next" value={props.next} />
        <div>
          <label for="email">Email</label>
          <input
            id="email"
            name="email"
            type="email"
            autocomplete="username"
            required
            value={props.email ?? ''}
          />
        </div>
        <div>
          <label for="password">Password</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required />
        </div>
        <button type="submit">Sign in</button>
      </form>
    </Layout>
  );
}

/** Sign in, sign out and password change. */
export function authRoutes(deps: DashboardDeps) {
  const app = new Hono<DashboardEnv>();
  const base = deps.basePath;

  app.get('/login', (c) =>
    render(c, <LoginPage base={base} csrf={loginCsrf(c, deps)} next={safeNext(base, c.req.query('next'))} />),
  );

  app.post('/login', async (c) => {
    const body = await c.req.parseBody();
    const email = typeof body.email === 'string' ? body.email.trim().toLowerCase().slice(0, 320) : '';
    const password = typeof body.password === 'string' ? body.password.slice(0, 1024) : '';
    const next = safeNext(base, body.next);
    const page = (error: string, status: 400 | 401 | 403 | 429) =>
      render(
        c,
        <LoginPage base={base} csrf={loginCsrf(c, deps)} next={next} email={email} error={error} />,
        status,
      );
    if (!loginCsrfMatches(c, body._csrf)) return page('This form expired. Please try again.', 403);
    const address = deps.clientAddress(c);
    const wait = deps.backoff.waitMs(email, address);
    if (wait > 0) {
      // Every 429 says when to come back (docs/gatekeeper.md, "Errors").
      c.header('retry-after', String(retryAfterSeconds(wait / 1000)));
      return page(`Too many failed sign-ins. Try again in ${retryAfterSeconds(wait / 1000)} seconds.`, 429);
    }
    const member = email ? await findMemberByEmail(deps.db, email) : undefined;
    // Hash even for an unknown account, so timing does not tell which emails exist.
    const ok = await verifyPassword(password, member?.passwordHash ?? DUMMY_HASH);
    if (!member?.passwordHash || !ok) {
      deps.backoff.fail(email, address);
      return page('Wrong email or password.', 401);
    }
    deps.backoff.succeed(email, address);
    await startSession(c, deps, member.id, member.orgId);
    return c.redirect(next, 303);
  });

  return app;
}

/** Routes that need a session: sign out and the account page. */
export function accountRoutes(deps: DashboardDeps) {
  const app = new Hono<DashboardEnv>();
  const base = deps.basePath;

  app.post('/logout', async (c) => {
    await deleteDashboardSession(deps.db, userOf(c).sessionId);
    clearSessionCookie(c, deps);
    return c.redirect(`${base}/login`, 303);
  });

  const page = (
    c: Parameters<typeof userOf>[0],
    flash?: { kind: 'error' | 'info'; text: string },
    status: 200 | 400 = 200,
  ) => {
    const user = userOf(c);
    return render(
      c,
      <Layout base={base} title="Account" user={user} flash={flash}>
        <p>
          Signed in as <strong>{user.email}</strong> ({user.role}).
        </p>
        <h2>Change password</h2>
        <form class="stack card" method="post" action={`${base}/account/password`}>
          <Csrf user={user} />
          <div>
            <label for="current">Current password</label>
            <input id="current" name="current" type="password" autocomplete="current-password" required />
          </div>
          <div>
            <label for="next-password">
              New password <span class="hint">(at least {MIN_PASSWORD_LENGTH} characters)</span>
            </label>
            <input
              id="next-password"
              name="password"
              type="password"
              autocomplete="new-password"
              minlength={MIN_PASSWORD_LENGTH}
              required
            />
          </div>
          <button type="submit">Change password</button>
        </form>
      </Layout>,
      status,
    );
  };

  app.get('/account', (c) =>
    page(c, c.req.query('done') ? { kind: 'info', text: 'Password changed.' } : undefined),
  );

  app.post('/account/password', async (c) => {
    const user = userOf(c);
    const body = await c.req.parseBody();
    const current = typeof body.current === 'string' ? body.current : '';
    const next = typeof body.password === 'string' ? body.password : '';
    const member = await getMember(deps.db, user.orgId, user.memberId);
    if (!member?.passwordHash || !(await verifyPassword(current, member.passwordHash)))
      return page(c, { kind: 'error', text: 'The current password is wrong.' }, 400);
    if (next.length < MIN_PASSWORD_LENGTH || next.length > 1024)
      return page(c, { kind: 'error', text: `Use at least ${MIN_PASSWORD_LENGTH} characters.` }, 400);
    await setMemberPassword(deps.db, member.id, await hashPassword(next));
    // Every other session of this member ends; this browser signs in again with the new password.
    await deleteMemberDashboardSessions(deps.db, member.id);
    await startSession(c, deps, member.id, member.orgId);
    return c.redirect(`${base}/account?done=1`, 303);
  });

  return app;
}

/** A valid scrypt hash of a random string, verified against when the account does not exist. */
const DUMMY_HASH = 'scrypt$16384$8$1$c2FsdHNhbHRzYWx0c2FsdA$Zm9vZm9vZm9vZm9vZm9vZm9vZm9vZm9vZm9vZm9vZm8';
