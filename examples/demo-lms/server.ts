import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createDemoLms, type DemoLmsOptions } from './app.js';

/** Serves the demo LMS on its own origin (`http://<host>:<port>`; port 0 picks one). */
export async function startDemoLms(options: Omit<DemoLmsOptions, 'origin'> & { host: string; port: number }) {
  let handler: (req: Request) => Response | Promise<Response> = () =>
    new Response('starting', { status: 503 });
  const { server, port } = await new Promise<{ server: ReturnType<typeof serve>; port: number }>(
    (done, fail) => {
      const s = serve(
        { fetch: (req) => handler(req), port: options.port, hostname: options.host },
        (info: AddressInfo) => done({ server: s, port: info.port }),
      );
      s.once('error', fail);
    },
  );
  const url = `http://${options.host === '127.0.0.1' ? 'localhost' : options.host}:${port}`;
  const lms = createDemoLms({ ...options, origin: url });
  handler = lms.fetch;
  return {
    url,
    close: () =>
      new Promise<void>((done) => {
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => done());
      }),
  };
}
