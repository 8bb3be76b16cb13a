import { describe, expect, it } from 'vitest';
import { hashPassword } from '../../gatekeeper/crypto.js';
import { setMemberPassword } from '../../gatekeeper/db/members.js';
import { dashboardSessions } from '../../gatekeeper/db/schema.js';
import { createTestApp, TEST_CONTENT_URL, TEST_PUBLIC_URL } from '../helpers/gatekeeper.js';

const PASSWORD = 'a-good-long-password';

async function setup(publicUrl = TEST_PUBLIC_URL) {
  const t = await createTestApp({ config: { publicUrl, contentUrl: TEST_CONTENT_URL } });
  const { owner } = await t.org('Acme');
  await setMemberPassword(t.db, owner.member.id, await hashPassword(PASSWORD));
  const origin = new URL(publicUrl).origin;
  /** Fetches the login form (its CSRF cookie and field), then posts the credentials. */
  async function login(password: string, headers: Record<string, string> = { origin }) {
    const form = await t.app.request('/dashboard/login');
    const cookie = (form.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
    return t.app.request('/dashboard/login', {
      method: 'POST',
      headers: { ...headers, cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf, email: owner.member.email, password, next: '/dashboard' }),
    });
  }
  return { ...t, owner, login };
}

describe('dashboard sign-in', () => {
  it('backs off after repeated failures, then lets the right password in once the wait is over', async () => {
    const t = await setup();
    for (let i = 0; i < 5; i++) expect((await t.login('wrong password')).status).toBe(401);
    const blocked = await t.login(PASSWORD);
    expect(blocked.status).toBe(429);
    expect(await blocked.text()).toContain('Too many failed sign-ins');
    // Waiting as long as Retry-After says is enough.
    const wait = Number(blocked.headers.get('retry-after'));
    expect(wait).toBeGreaterThan(0);
    t.clock.now = new Date(t.clock.now.getTime() + wait * 1000);
    const ok = await t.login(PASSWORD);
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/dashboard');
  });

  it('sets an HttpOnly, SameSite=Strict session cookie, Secure behind https, that expires server-side', async () => {
    const plain = await (await setup()).login(PASSWORD);
    expect(plain.headers.get('set-cookie')).toMatch(/^cg_dashboard=[^;]+;.*HttpOnly; SameSite=Strict$/);
    const t = await setup('https://gatekeeper.example');
    const res = await t.login(PASSWORD);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('Secure');
    const session = cookie.split(';')[0] ?? '';
    expect((await t.app.request('/dashboard', { headers: { cookie: session } })).status).toBe(200);
    t.clock.now = new Date(t.clock.now.getTime() + 13 * 3600_000);
    const later = await t.app.request('/dashboard', { headers: { cookie: session } });
    expect(later.status).toBe(303);
    expect(later.headers.get('location')).toBe('/dashboard/login?next=%2Fdashboard');
    // The next sign-in sweeps the expired row: only the new session is left.
    expect((await t.login(PASSWORD)).status).toBe(303);
    expect(await t.db.orm.select().from(dashboardSessions).all()).toHaveLength(1);
  });

  it('refuses a form post without the dashboard Origin, even with a valid token', async () => {
    const t = await setup();
    expect((await t.login(PASSWORD, {})).status).toBe(403);
    expect((await t.login(PASSWORD, { origin: 'http://localhost:9999' })).status).toBe(403);
    expect((await t.login(PASSWORD)).status).toBe(303);
  });
});
