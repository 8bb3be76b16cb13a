import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { getConnInfo } from '@hono/node-server/conninfo';
import { describe, expect, it } from 'vitest';
import { hashPassword } from '../../gatekeeper/crypto.js';
import { DATABASE_FILE } from '../../gatekeeper/db/database-file.js';
import { setMemberPassword } from '../../gatekeeper/db/members.js';
import { openSqlite } from '../../gatekeeper/db/open-sqlite.js';
import { createClientAddress } from '../../gatekeeper/http/client-address.js';
import { createOrgWithOwner } from '../../gatekeeper/orgs/service.js';
import { createTestApp, startGatekeeper } from '../helpers/gatekeeper.js';

// Issue 23: sign-in backoff per account *and* address, with a per-address ceiling. The address reaches
// the app as it does on Node: `@hono/node-server` binds the request's socket as `env.incoming`, and the
// server reads its peer with `getConnInfo`. The clock is the test's, so no wait depends on machine speed.

const PASSWORD = 'the-owners-password';
const PROXY = '10.0.0.9';

async function setup() {
  const t = await createTestApp({
    clientAddress: createClientAddress({
      peer: (c) => getConnInfo(c).remote.address,
      trustedProxies: [PROXY],
    }),
  });
  const { owner } = await t.org('Acme');
  await setMemberPassword(t.db, owner.member.id, await hashPassword(PASSWORD));
  /** The sign-in form, then the credentials, from TCP peer `peer` (with `X-Forwarded-For` if given). */
  async function signIn(peer: string, email: string, password: string, forwardedFor?: string) {
    const env = { incoming: { socket: { remoteAddress: peer, remotePort: 40000, remoteFamily: 'IPv4' } } };
    const xff: Record<string, string> = forwardedFor ? { 'x-forwarded-for': forwardedFor } : {};
    const form = await t.app.request('/dashboard/login', { headers: xff }, env);
    const cookie = (form.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
    return t.app.request(
      '/dashboard/login',
      {
        method: 'POST',
        headers: {
          ...xff,
          cookie,
          origin: 'http://localhost:8787',
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ _csrf: csrf, email, password, next: '/dashboard' }),
      },
      env,
    );
  }
  return { ...t, email: owner.member.email, signIn };
}

describe('dashboard sign-in backoff per account and address', () => {
  it("six failed sign-ins from one address do not slow the same account's sign-in from another address", async () => {
    const t = await setup();
    for (let i = 0; i < 5; i++)
      expect((await t.signIn('192.0.2.1', t.email, 'wrong guess')).status).toBe(401);
    const sixth = await t.signIn('192.0.2.1', t.email, 'wrong guess');
    expect(sixth.status).toBe(429);
    expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(0);
    // Even the right password waits from the guessing address…
    expect((await t.signIn('192.0.2.1', t.email, PASSWORD)).status).toBe(429);
    // …while the owner, elsewhere, signs in at once.
    const owner = await t.signIn('192.0.2.2', t.email, PASSWORD);
    expect(owner.status).toBe(303);
    expect(owner.headers.get('location')).toBe('/dashboard');
  });

  it('behind a listed proxy, clients are told apart by X-Forwarded-For, and cannot forge their way out', async () => {
    const t = await setup();
    for (let i = 0; i < 5; i++) await t.signIn(PROXY, t.email, 'wrong guess', '198.51.100.1');
    expect((await t.signIn(PROXY, t.email, PASSWORD, '198.51.100.1')).status).toBe(429);
    // The proxy appends the peer it saw (rightmost); what the client wrote to its left is not believed.
    expect((await t.signIn(PROXY, t.email, PASSWORD, '203.0.113.5, 198.51.100.1')).status).toBe(429);
    expect((await t.signIn(PROXY, t.email, PASSWORD, '198.51.100.2')).status).toBe(303);
  });

  it('ignores X-Forwarded-For from a peer that is not a listed proxy', async () => {
    const t = await setup();
    for (let i = 0; i < 5; i++) await t.signIn('192.0.2.7', t.email, 'wrong guess', '198.51.100.3');
    // Another forwarded address from the same unlisted peer is still that peer, still waiting.
    expect((await t.signIn('192.0.2.7', t.email, PASSWORD, '198.51.100.4')).status).toBe(429);
  });

  it('slows one address that sprays guesses over many accounts (per-address ceiling), not others', async () => {
    const t = await setup();
    // 20 accounts, one guess each: no account-and-address count comes near its 5 free failures.
    for (let i = 0; i < 20; i++)
      expect((await t.signIn('192.0.2.9', `user${i}@acme.test`, 'wrong guess')).status).toBe(401);
    const blocked = await t.signIn('192.0.2.9', t.email, PASSWORD);
    expect(blocked.status).toBe(429);
    const wait = Number(blocked.headers.get('retry-after'));
    expect(wait).toBeGreaterThan(0);
    expect((await t.signIn('192.0.2.10', t.email, PASSWORD)).status).toBe(303);
    // Once the wait is over the address may try again.
    t.clock.now = new Date(t.clock.now.getTime() + wait * 1000);
    expect((await t.signIn('192.0.2.9', t.email, PASSWORD)).status).toBe(303);
  });
});

describe('the Node server reads the client address from a listed proxy only', () => {
  // Real HTTP on loopback: each client connects from its own 127.0.0.x source address (Linux routes all
  // of 127/8 to lo), which the server sees as the TCP peer. 127.0.0.9 plays the operator's proxy.
  it('tells clients behind 127.0.0.9 apart by X-Forwarded-For, and not those behind an unlisted peer', async () => {
    const gk = await startGatekeeper({ COURSEGATE_TRUSTED_PROXIES: '127.0.0.9' });
    try {
      const db = await openSqlite({ file: join(gk.dataDir, DATABASE_FILE) });
      const { owner } = await createOrgWithOwner(
        { db, now: () => new Date() },
        { name: 'Acme', owner: { email: 'owner@acme.test', password: PASSWORD }, keyName: 'owner' },
      );
      await db.close();
      const port = Number(new URL(gk.url).port);
      const origin = new URL(gk.url).origin;
      for (const [peer, listed] of [
        ['127.0.0.9', true],
        ['127.0.0.8', false],
      ] as const) {
        const client = (forwardedFor: string) =>
          loopbackClient({ port, origin, peer, forwardedFor, email: owner.email });
        const guesser = await client('198.51.100.1');
        for (let i = 0; i < 4; i++) expect((await guesser.post('wrong guess')).status).toBe(401);
        // Forms fetched before the fifth failure, so the next posts follow it within one round trip
        // and land inside its 1 s wait however loaded the machine is.
        const again = await client('198.51.100.1');
        const other = await client('198.51.100.2');
        expect((await guesser.post('wrong guess')).status).toBe(401);
        expect((await again.post(PASSWORD)).status).toBe(429);
        expect((await other.post(PASSWORD)).status, `peer ${peer}`).toBe(listed ? 303 : 429);
      }
    } finally {
      await gk.close();
    }
  });
});

/** One client on loopback: fetches the sign-in form now (from `peer`), posts passwords later. */
async function loopbackClient(o: {
  port: number;
  origin: string;
  peer: string;
  forwardedFor: string;
  email: string;
}) {
  const send = (method: string, headers: Record<string, string>, body?: string) =>
    new Promise<{ status: number; cookie: string; text: string }>((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port: o.port, path: '/dashboard/login', localAddress: o.peer, method, headers },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            text += chunk;
          });
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, cookie: String(res.headers['set-cookie'] ?? ''), text }),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const xff = { 'x-forwarded-for': o.forwardedFor };
  const form = await send('GET', xff);
  const cookie = form.cookie.split(';')[0] ?? '';
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)?.[1] ?? '';
  return {
    post: (password: string) =>
      send(
        'POST',
        { ...xff, cookie, origin: o.origin, 'content-type': 'application/x-www-form-urlencoded' },
        new URLSearchParams({ _csrf: csrf, email: o.email, password, next: '/dashboard' }).toString(),
      ),
  };
}
