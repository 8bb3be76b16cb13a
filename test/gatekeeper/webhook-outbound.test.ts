import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createOutbound, OutboundRefused, type Resolve } from '../../gatekeeper/webhooks/outbound.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

/** A loopback server counting its requests; `handle` answers them. */
async function serve(handle: (res: import('node:http').ServerResponse) => void) {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(`${req.method} ${req.headers.host}${req.url}`);
    req.resume();
    handle(res);
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { hits, port: (server.address() as AddressInfo).port };
}

/** A resolver that answers from a table and records what it was asked: no DNS leaves the machine. */
function fakeDns(table: Record<string, string[]>) {
  const asked: string[] = [];
  const resolve: Resolve = async (host) => {
    asked.push(host);
    return (table[host] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return { asked, resolve };
}

const request = (url: string) => ({ url, headers: { 'content-type': 'application/json' }, body: '{}' });

describe('outbound safety of webhook deliveries', () => {
  it('refuses loopback without the development setting, private and metadata addresses, before any connection', async () => {
    const receiver = await serve((res) => res.writeHead(204).end());
    const dns = fakeDns({});
    const send = createOutbound({ allowHttpLoopback: false, resolve: dns.resolve });
    for (const url of [
      `http://127.0.0.1:${receiver.port}/in`,
      `https://127.0.0.1:${receiver.port}/in`,
      'https://10.0.0.1/in',
      'https://169.254.169.254/latest/meta-data/',
      'https://[::ffff:169.254.169.254]/',
      'https://[fe80::1]/',
    ])
      await expect(send(request(url)), url).rejects.toBeInstanceOf(OutboundRefused);
    expect(receiver.hits).toEqual([]);
    expect(dns.asked).toEqual([]);
  });

  it('refuses a name when any address it resolves to is private, and connects to the address it checked', async () => {
    const dns = fakeDns({
      'inside.example': ['10.0.0.7'],
      'mixed.example': ['93.184.215.14', '192.168.1.1'],
      'metadata.example': ['169.254.169.254'],
      'v6.example': ['fd12::1'],
    });
    const send = createOutbound({ allowHttpLoopback: false, resolve: dns.resolve });
    for (const host of ['inside.example', 'mixed.example', 'metadata.example', 'v6.example'])
      await expect(send(request(`https://${host}/in`)), host).rejects.toThrow(/refused: .* resolves to/);
    // Each name resolved once per delivery: the connection uses that answer, not a second lookup.
    expect(dns.asked).toEqual(['inside.example', 'mixed.example', 'metadata.example', 'v6.example']);
  });

  it('does not follow a redirect, even to an address it would accept', async () => {
    const target = await serve((res) => res.writeHead(204).end());
    const redirecting = await serve((res) =>
      res.writeHead(302, { location: `http://127.0.0.1:${target.port}/elsewhere` }).end(),
    );
    const metadata = await serve((res) => res.writeHead(307, { location: 'http://169.254.169.254/' }).end());
    const send = createOutbound({ allowHttpLoopback: true });
    expect(await send(request(`http://127.0.0.1:${redirecting.port}/in`))).toEqual({ status: 302 });
    expect(await send(request(`http://127.0.0.1:${metadata.port}/in`))).toEqual({ status: 307 });
    expect(redirecting.hits).toHaveLength(1);
    expect(target.hits).toEqual([]);
  });

  it('gives up on a receiver that does not answer, and reads at most a few KB of a long answer', async () => {
    const silent = await serve(() => undefined);
    const chatty = await serve((res) => {
      res.writeHead(200);
      // Far more than the cap, and never ended: only a capped read returns.
      res.write(Buffer.alloc(1024 * 1024, 'x'));
    });
    const send = createOutbound({ allowHttpLoopback: true, timeoutMs: 300, maxBodyBytes: 4096 });
    await expect(send(request(`http://127.0.0.1:${silent.port}/in`))).rejects.toThrow(/timed out/);
    expect(await send(request(`http://127.0.0.1:${chatty.port}/in`))).toEqual({ status: 200 });
  });
});
