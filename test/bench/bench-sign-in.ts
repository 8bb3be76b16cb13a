import type { Hono } from 'hono';

/**
 * Signs a member in to the dashboard of `app` through its login form (no network: `app.request`), as the
 * benches do after seeding a file; answers the session cookie to send with each page request.
 */
export async function benchSignIn(
  app: Pick<Hono, 'request'>,
  who: { email: string; password: string; origin: string },
): Promise<string> {
  const form = await app.request('/dashboard/login');
  const loginCookie = (form.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
  const res = await app.request('/dashboard/login', {
    method: 'POST',
    headers: { origin: who.origin, cookie: loginCookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, email: who.email, password: who.password }),
  });
  if (res.status !== 303) throw new Error(`sign-in answered ${res.status}`);
  return (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}
