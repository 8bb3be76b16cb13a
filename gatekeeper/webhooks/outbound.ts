import { lookup as dnsLookup } from 'node:dns/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { OutboundRequest, Send } from '../outbox/drain.js';
import { addressRefusal, isIpLiteral, type OutboundPolicy, urlRefusal } from './address-policy.js';

/** Every address a name resolves to (injected in tests: no DNS traffic leaves the machine). */
export type Resolve = (host: string) => Promise<{ address: string; family: number }[]>;

const systemResolve: Resolve = (host) => dnsLookup(host, { all: true, verbatim: true });

export interface OutboundOptions extends OutboundPolicy {
  resolve?: Resolve;
  /** Whole request, connection to last byte read. Default 10 s. */
  timeoutMs?: number;
  /** The most of a response body read (then the socket is dropped). Default 4 KB. */
  maxBodyBytes?: number;
}

/** Why a delivery was not even attempted: the outbound policy refused its URL or an address. */
export class OutboundRefused extends Error {}

/**
 * The Node sender of webhook deliveries, the one place outbound HTTP leaves the Gatekeeper
 * (docs/integrations.md, "Outbound safety"): the URL must pass `urlRefusal`; a name is resolved, every
 * address it resolves to is checked, and the connection goes to the checked address itself (the
 * socket's `lookup` answers it), so a second DNS answer cannot swap in a private one (rebinding). No
 * redirect is followed (a 3xx is an answer like any other); the request has a deadline and at most
 * `maxBodyBytes` of the answer are read.
 *
 * @example
 * const send = createOutbound({ allowHttpLoopback: false });
 * await send({ url: 'https://hooks.example.com/in', headers: {}, body: '{}' });
 */
export function createOutbound(options: OutboundOptions): Send {
  const resolve = options.resolve ?? systemResolve;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxBody = options.maxBodyBytes ?? 4096;
  return async (req: OutboundRequest) => {
    const refusal = urlRefusal(req.url, options);
    if (refusal) throw new OutboundRefused(`refused: ${refusal}`);
    const url = new URL(req.url);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const addresses = isIpLiteral(host)
      ? [{ address: host, family: host.includes(':') ? 6 : 4 }]
      : await resolve(host);
    if (addresses.length === 0) throw new OutboundRefused(`refused: ${host} resolves to no address`);
    for (const a of addresses) {
      const why = addressRefusal(a.address, options.allowHttpLoopback);
      if (why) throw new OutboundRefused(`refused: ${host} resolves to ${a.address}, ${why}`);
    }
    const checked = addresses[0]!;
    const lookup: LookupFunction = (_name, opts, callback) => {
      if ((opts as { all?: boolean }).all)
        (callback as (e: null, a: typeof addresses) => void)(null, [checked]);
      else callback(null, checked.address, checked.family);
    };
    return post(url, req, { lookup, timeoutMs, maxBody });
  };
}

function post(
  url: URL,
  req: OutboundRequest,
  o: { lookup: LookupFunction; timeoutMs: number; maxBody: number },
): Promise<{ status: number }> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const body = Buffer.from(req.body);
    const r = send(url, {
      method: req.method ?? 'POST',
      lookup: o.lookup,
      headers: { 'user-agent': 'Coursegate-Webhooks', ...req.headers, 'content-length': String(body.length) },
      agent: false,
    });
    const deadline = setTimeout(() => r.destroy(new Error(`timed out after ${o.timeoutMs} ms`)), o.timeoutMs);
    r.on('error', (err) => {
      clearTimeout(deadline);
      reject(err);
    });
    r.on('response', (res) => {
      let read = 0;
      const finish = () => {
        clearTimeout(deadline);
        resolve({ status: res.statusCode ?? 0 });
      };
      res.on('data', (chunk: Buffer) => {
        read += chunk.length;
        // Enough of the answer: its status is all the log keeps; drop the rest.
        if (read > o.maxBody) {
          res.destroy();
          finish();
        }
      });
      res.on('end', finish);
      res.on('error', finish);
    });
    r.end(body);
  });
}
