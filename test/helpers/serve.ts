import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.gif': 'image/gif',
  '.mp4': 'video/mp4',
  '.mp3': 'audio/mpeg',
  '.wasm': 'application/wasm',
};

export type Handler = (
  req: IncomingMessage,
  res: ServerResponse,
) => boolean | undefined | Promise<boolean | undefined>;

/** What one origin serves: a folder, a map of inline files, a handler, or a mix (handler first). */
export interface OriginSpec {
  /** Loopback host: `127.0.0.1`, `localhost`, `127.0.0.2`, ... Different hosts are different sites. */
  host: string;
  dir?: string;
  files?: Record<string, string>;
  /** Return true when it answered. */
  handler?: Handler;
}

export interface ServedOrigin {
  origin: string;
  port: number;
  server: Server;
}

function sendFile(res: ServerResponse, file: string) {
  res.writeHead(200, { 'content-type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream' });
  createReadStream(file).pipe(res);
}

async function serveOne(spec: OriginSpec): Promise<ServedOrigin> {
  const root = spec.dir ? resolve(spec.dir) : undefined;
  const server = createServer(async (req, res) => {
    try {
      if (spec.handler && (await spec.handler(req, res))) return;
      const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      const inline = spec.files?.[pathname];
      if (inline !== undefined) {
        res.writeHead(200, { 'content-type': TYPES[extname(pathname)] ?? 'text/html; charset=utf-8' });
        res.end(inline);
        return;
      }
      if (root) {
        const file = normalize(join(root, pathname.endsWith('/') ? `${pathname}index.html` : pathname));
        if ((file === root || file.startsWith(root + sep)) && existsSync(file) && statSync(file).isFile()) {
          sendFile(res, file);
          return;
        }
      }
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    } catch (err) {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(err));
    }
  });
  await new Promise<void>((r) => server.listen(0, spec.host, () => r()));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://${spec.host}:${port}`, port, server };
}

/**
 * Serves several loopback origins at once, so cross-origin behaviour is tested for real.
 * @example
 * const { origins, close } = await serveOrigins([{ host: '127.0.0.1', dir }, { host: 'localhost', files }]);
 */
export async function serveOrigins(specs: OriginSpec[]) {
  const served = await Promise.all(specs.map(serveOne));
  return {
    origins: served.map((s) => s.origin),
    served,
    async close() {
      await Promise.all(
        served.map(
          (s) =>
            new Promise<void>((r) => {
              s.server.closeAllConnections();
              s.server.close(() => r());
            }),
        ),
      );
    },
  };
}
