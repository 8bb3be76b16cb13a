import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  headers: IncomingHttpHeaders;
}

/**
 * A webhook receiver on loopback: records every request, answers `answer()` (default 204); `verify`
 * (a third-party verifier, e.g. the `standardwebhooks` package) throws on a bad signature, and the
 * receiver then answers 400 and records the failure. `until(n)` waits for n accepted deliveries.
 */
export async function startWebhookReceiver(
  options: { verify?: (body: string, headers: Record<string, string>) => void; host?: string } = {},
) {
  const received: ReceivedWebhook[] = [];
  const failures: string[] = [];
  let answer = () => 204;
  const waiters: { n: number; resolve: () => void }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const status = answer();
      if (status < 200 || status > 299) {
        res.writeHead(status).end();
        return;
      }
      try {
        options.verify?.(body, req.headers as Record<string, string>);
      } catch (err) {
        failures.push(String(err));
        res.writeHead(400).end();
        return;
      }
      received.push({
        id: String(req.headers['webhook-id']),
        timestamp: String(req.headers['webhook-timestamp']),
        signature: String(req.headers['webhook-signature']),
        body,
        headers: req.headers,
      });
      res.writeHead(status).end();
      for (const w of waiters.filter((x) => received.length >= x.n)) w.resolve();
    });
  });
  server.listen(0, options.host ?? '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}/hooks`,
    received,
    failures,
    /** What the receiver answers from now on (e.g. `() => 503` while "down"). */
    answerWith(next: () => number) {
      answer = next;
    },
    /** Each accepted delivery once, by `webhook-id`, in the order of first arrival, parsed. */
    unique() {
      const seen = new Set<string>();
      return received
        .filter((r) => !seen.has(r.id) && seen.add(r.id))
        .map((r) => ({
          id: r.id,
          ...(JSON.parse(r.body) as { type: string; data: Record<string, unknown> }),
        }));
    },
    until(n: number) {
      return received.length >= n
        ? Promise.resolve()
        : new Promise<void>((resolve) => waiters.push({ n, resolve }));
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
