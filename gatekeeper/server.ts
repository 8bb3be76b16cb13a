import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApp } from './app.js';
import type { GatekeeperConfig } from './config.js';

export interface RunningServer {
  url: string;
  contentUrl: string;
  close(): Promise<void>;
}

type FetchFn = (req: Request) => Response | Promise<Response>;

function listen(port: number, hostname: string, fetch: FetchFn) {
  return new Promise<{ server: ReturnType<typeof serve>; port: number }>((resolveListen) => {
    const server = serve({ fetch, port, hostname }, (info: AddressInfo) =>
      resolveListen({ server, port: info.port }),
    );
  });
}

/** Starts the Gatekeeper's HTTP server on Node. Port 0 picks a free port (tests). */
export async function startServer(config: GatekeeperConfig): Promise<RunningServer> {
  mkdirSync(config.dataDir, { recursive: true });
  // The app needs its own public URL (the `iss` of tokens), known only once port 0 is bound.
  let handler: FetchFn = () => new Response('starting', { status: 503 });
  const api = await listen(config.port, config.host, (req) => handler(req));
  const publicUrl = config.port === 0 ? config.publicUrl.replace(/:0$/, `:${api.port}`) : config.publicUrl;
  const contentUrl = config.contentUrl;
  const app = createApp({ now: () => new Date(), config: { publicUrl, contentUrl } });
  handler = app.fetch;

  return {
    url: publicUrl,
    contentUrl,
    close: () =>
      new Promise<void>((resolveClose) => {
        api.server.close(() => resolveClose());
      }),
  };
}
