/**
 * Which addresses and URLs a webhook may reach (docs/integrations.md, "Outbound safety"). Pure and
 * web-safe: the Node sender (`outbound.ts`) applies it to every address a name resolves to, the API to
 * the URL an owner gives.
 */

export interface OutboundPolicy {
  /** Development only (`COURSEGATE_WEBHOOKS_ALLOW_HTTP_LOOPBACK`): plain http to a loopback address. */
  allowHttpLoopback: boolean;
}

function ipv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p))) return undefined;
  const n = parts.map(Number);
  return n.every((x) => x <= 255) ? n : undefined;
}

/** Eight 16-bit groups, or undefined when `text` is not an IPv6 address. */
function ipv6(text: string): number[] | undefined {
  let s = text.toLowerCase().replace(/^\[|\]$/g, '');
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  if (!s.includes(':')) return undefined;
  // A trailing dotted IPv4 (::ffff:10.0.0.1) becomes two groups.
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (tail) {
    const v4 = ipv4(tail[1]!);
    if (!v4) return undefined;
    s = `${s.slice(0, -tail[1]!.length)}${((v4[0]! << 8) | v4[1]!).toString(16)}:${((v4[2]! << 8) | v4[3]!).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const group = (h: string) => (h === '' ? [] : h.split(':'));
  const head = group(halves[0]!);
  const rest = halves.length === 2 ? group(halves[1]!) : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  if (all.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return undefined;
  return all.map((g) => Number.parseInt(g, 16));
}

function v4Refusal(a: number[], allowLoopback: boolean): string | undefined {
  const [x, y] = [a[0]!, a[1]!];
  if (x === 127) return allowLoopback ? undefined : 'a loopback address';
  if (x === 169 && y === 254) return 'a link-local address (cloud metadata lives there)';
  if (x === 10 || (x === 172 && y >= 16 && y <= 31) || (x === 192 && y === 168)) return 'a private address';
  if (x === 100 && y >= 64 && y <= 127) return 'a shared (carrier-grade NAT) address';
  if (x === 0 || x >= 224) return 'a reserved or multicast address';
  if ((x === 192 && y === 0 && a[2] === 0) || (x === 198 && (y === 18 || y === 19)))
    return 'a reserved address';
  return undefined;
}

/**
 * Why an address must not be reached, or undefined when it may. Loopback passes only with
 * `allowLoopback`; private, link-local (169.254.169.254), shared, reserved and multicast never do, in
 * IPv4, IPv6 and IPv4 written inside IPv6 (`::ffff:10.0.0.1`, NAT64).
 */
export function addressRefusal(address: string, allowLoopback: boolean): string | undefined {
  const v4 = ipv4(address);
  if (v4) return v4Refusal(v4, allowLoopback);
  const g = ipv6(address);
  if (!g) return 'not an IP address';
  const zeros = (n: number) => g.slice(0, n).every((x) => x === 0);
  const embedded = [g[6]! >> 8, g[6]! & 255, g[7]! >> 8, g[7]! & 255];
  if (zeros(5) && g[5] === 0xffff) return v4Refusal(embedded, allowLoopback);
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(0)) return v4Refusal(embedded, allowLoopback);
  if (zeros(7) && g[7] === 1) return allowLoopback ? undefined : 'a loopback address';
  if (zeros(8)) return 'the unspecified address';
  if (zeros(6)) return v4Refusal(embedded, allowLoopback); // IPv4-compatible (deprecated)
  if ((g[0]! & 0xfe00) === 0xfc00) return 'a private (unique local) address';
  if ((g[0]! & 0xffc0) === 0xfe80) return 'a link-local address';
  if ((g[0]! & 0xff00) === 0xff00) return 'a multicast address';
  return undefined;
}

export const isIpLiteral = (host: string) => ipv4(host) !== undefined || ipv6(host) !== undefined;

const isLoopbackHost = (host: string) =>
  host === 'localhost' || (isIpLiteral(host) && addressRefusal(host, false) === 'a loopback address');

/**
 * The URL an endpoint may have, or why not: `https` (plain `http` only to loopback with
 * `allowHttpLoopback`), no credentials, and an address literal only when `addressRefusal` lets it pass.
 * A name is checked again on every delivery, after DNS resolution (`outbound.ts`).
 */
export function urlRefusal(raw: string, policy: OutboundPolicy): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'not a URL';
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (url.username || url.password) return 'credentials in the URL are not accepted';
  const loopbackHttp = url.protocol === 'http:' && policy.allowHttpLoopback && isLoopbackHost(host);
  if (url.protocol !== 'https:' && !loopbackHttp)
    return policy.allowHttpLoopback
      ? 'use https (plain http only to a loopback address)'
      : 'use https (plain http is refused)';
  if (isIpLiteral(host)) {
    const refusal = addressRefusal(host, policy.allowHttpLoopback);
    if (refusal) return `${host} is ${refusal}`;
  }
  return undefined;
}
