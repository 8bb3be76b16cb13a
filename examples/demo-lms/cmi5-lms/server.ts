import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createCmi5Lms } from './lms.js';

/**
 * A small cmi5 LMS + LRS on a real loopback server, for launching any AU (ours or third-party) and
 * asserting on what it sent. Records every request; `close()` stops it.
 * @example
 * const lms = await startCmi5Lms();
 * const launch = lms.launch(`${auOrigin}/index.html`, { masteryScore: 0.8 });
 * await page.goto(launch.url);
 * expect(checkCmi5Rules(lms.auStatements(launch.registration), lms.launchesOf(launch.registration))).toEqual([]);
 */
export async function startCmi5Lms(options: { host?: string; now?: () => Date; strict?: boolean } = {}) {
  const host = options.host ?? '127.0.0.1';
  // URLs in launch data need the port, known only once listening: the app is plugged in after.
  let handler: (req: Request) => Response | Promise<Response> = () =>
    new Response('starting', { status: 503 });
  const { server, port } = await new Promise<{ server: ReturnType<typeof serve>; port: number }>((done) => {
    const s = serve({ fetch: (req) => handler(req), port: 0, hostname: host }, (info: AddressInfo) =>
      done({ server: s, port: info.port }),
    );
  });
  const lms = createCmi5Lms({ origin: `http://${host}:${port}`, now: options.now, strict: options.strict });
  handler = lms.app.fetch;
  return {
    ...lms,
    close: () =>
      new Promise<void>((done) => {
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => done());
      }),
  };
}

export type Cmi5Lms = Awaited<ReturnType<typeof startCmi5Lms>>;
