import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import type { Storage } from '../storage/types.js';
import { createContentApp, notFoundResponse } from './app.js';
import type { HostAccess } from './host-access.js';
import { keyFromPath } from './key-from-path.js';

export interface ContentServerOptions {
  storage: Storage;
  /**
   * e.g. `127.0.0.1`: another host than the API's `localhost`, so cookies stay apart
   * (docs/storage.md, "The content origin").
   */
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Which keys each `Host` may serve (content/host-access.ts); the Gatekeeper always passes it. */
  access?: HostAccess;
}

export interface RunningContentServer {
  /** `http://<host>:<port>`, the port as bound. */
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Serves storage on its own listener (the `fs` driver's content origin). The raw request path is checked
 * before Hono sees it, because URL parsing would quietly resolve `../` and `%2e%2e/` into another path.
 *
 * @example
 * const content = await startContentServer({ storage, host: '127.0.0.1', port: 8788 });
 * await content.close();
 */
export async function startContentServer(options: ContentServerOptions): Promise<RunningContentServer> {
  const app = createContentApp({
    storage: options.storage,
    ...(options.access ? { access: options.access } : {}),
  });
  const listener = getRequestListener(app.fetch);
  const server = createServer((req, res) => {
    if (keyFromPath(req.url ?? '') === null) {
      const nf = notFoundResponse(req.method === 'HEAD');
      res.writeHead(404, Object.fromEntries(nf.headers));
      res.end(req.method === 'HEAD' ? undefined : 'Not found');
      return;
    }
    void listener(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
