import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/gatekeeper.js';

const code = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

describe('/v1/webhooks', () => {
  it('owners only; another org cannot see, test, rotate or remove an endpoint', async () => {
    const t = await createTestApp();
    const acme = await t.org('Acme');
    const globex = await t.org('Globex');
    const body = { url: 'https://hooks.example.com/cg', events: ['license.revoked'] };
    const byMember = await t.call('POST', '/v1/webhooks', { key: acme.member.key, body });
    expect(byMember.status).toBe(403);
    const made = await t.call('POST', '/v1/webhooks', { key: acme.owner.key, body });
    expect(made.status).toBe(201);
    const { endpoint, secret } = (await made.json()) as { endpoint: { id: string }; secret: string };
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(
      JSON.stringify(await (await t.call('GET', '/v1/webhooks', { key: acme.owner.key })).json()),
    ).not.toContain(secret);
    expect((await t.call('GET', '/v1/webhooks', { key: acme.member.key })).status).toBe(403);
    for (const [method, path] of [
      ['GET', `/v1/webhooks/${endpoint.id}/deliveries`],
      ['POST', `/v1/webhooks/${endpoint.id}/test`],
      ['POST', `/v1/webhooks/${endpoint.id}/rotate`],
      ['DELETE', `/v1/webhooks/${endpoint.id}`],
    ] as const) {
      const res = await t.call(method, path, {
        key: globex.owner.key,
        ...(method === 'POST' ? { body: {} } : {}),
      });
      expect([path, res.status, await code(res)]).toEqual([path, 404, 'webhook_not_found']);
    }
    expect(
      ((await (await t.call('GET', '/v1/webhooks', { key: globex.owner.key })).json()) as { webhooks: [] })
        .webhooks,
    ).toEqual([]);
  });

  it('refuses URLs a webhook must not reach, and unknown events', async () => {
    const t = await createTestApp();
    const acme = await t.org('Acme');
    const add = (url: string, events = ['*']) =>
      t.call('POST', '/v1/webhooks', { key: acme.owner.key, body: { url, events } });
    for (const url of [
      'http://hooks.example.com/in',
      'http://127.0.0.1:9/in',
      'https://127.0.0.1/in',
      'https://10.0.0.1/in',
      'https://169.254.169.254/latest/meta-data',
      'https://[::ffff:10.0.0.1]/in',
      'https://[fd00::1]/in',
      'https://user:pw@hooks.example.com/in',
    ]) {
      const res = await add(url);
      expect([url, res.status, await code(res)]).toEqual([url, 400, 'webhook_url_refused']);
    }
    const unknown = await add('https://hooks.example.com/in', ['license.stolen']);
    expect([unknown.status, await code(unknown)]).toEqual([400, 'invalid_request']);
  });

  it('with the development setting, plain http to loopback is accepted (and still not to a private address)', async () => {
    const t = await createTestApp({ webhooks: { allowHttpLoopback: true } });
    const acme = await t.org('Acme');
    const add = (url: string) =>
      t.call('POST', '/v1/webhooks', { key: acme.owner.key, body: { url, events: ['*'] } });
    expect((await add('http://127.0.0.1:9999/in')).status).toBe(201);
    expect((await add('http://localhost:9999/in')).status).toBe(201);
    expect((await add('http://10.0.0.1/in')).status).toBe(400);
    expect((await add('http://hooks.example.com/in')).status).toBe(400);
  });
});
