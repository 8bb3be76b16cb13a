import type { Context } from 'hono';

/** `::ffff:10.0.0.1` (an IPv4 peer on a dual-stack socket) is `10.0.0.1`, so one listing matches both. */
function plain(address: string): string {
  const a = address.trim().toLowerCase();
  return a.startsWith('::ffff:') && a.includes('.') ? a.slice(7) : a;
}

/**
 * The client's address for rate limits and the sign-in backoff. `X-Forwarded-For` is believed only when
 * the peer is a proxy the operator listed (`COURSEGATE_TRUSTED_PROXIES`): then the client is the
 * rightmost address in it that is not itself a listed proxy, since each proxy appends the peer it saw and
 * anything to the left of a listed proxy's entry came from the client, who can write what it likes. From
 * any other peer the header is ignored.
 *
 * @example
 * clientAddressOf({ peer: '10.0.0.2', forwardedFor: '198.51.100.7, 10.0.0.3', trustedProxies: ['10.0.0.2', '10.0.0.3'] })
 * // '198.51.100.7'
 */
export function clientAddressOf(input: {
  peer: string | undefined;
  forwardedFor: string | undefined;
  trustedProxies: readonly string[];
}): string {
  if (!input.peer) return 'unknown';
  const trusted = new Set(input.trustedProxies.map(plain));
  let client = plain(input.peer);
  if (!trusted.has(client) || !input.forwardedFor) return client;
  const hops = input.forwardedFor.split(',').map(plain).filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    client = hops[i]!;
    if (!trusted.has(client)) break;
  }
  return client;
}

/**
 * The app's `clientAddress` dep: `peer` reads the TCP peer the way the runtime exposes it (on Node,
 * `getConnInfo`), and `X-Forwarded-For` counts only from `trustedProxies`.
 *
 * @example
 * createClientAddress({ peer: (c) => getConnInfo(c).remote.address, trustedProxies: config.trustedProxies })
 */
export function createClientAddress(options: {
  peer: (c: Context) => string | undefined;
  trustedProxies: readonly string[];
}): (c: Context) => string {
  return (c) =>
    clientAddressOf({
      peer: options.peer(c),
      forwardedFor: c.req.header('x-forwarded-for'),
      trustedProxies: options.trustedProxies,
    });
}
