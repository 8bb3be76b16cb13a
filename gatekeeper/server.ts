import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { createApp } from './app.js';
import type { GatekeeperConfig } from './config.js';
import { openSqlite } from './db/open-sqlite.js';
import { recordSigningKeys } from './db/signing-keys.js';
import { openFileKeyStore } from './keys/file-key-store.js';
import type { KeyStore } from './keys/key-store.js';
import { createTokenBucket } from './rate-limit.js';

export interface RunningServer {
  /** The public URL of the API (the `iss` of tokens). */
  url: string;
  /** Where the API socket is bound, e.g. `http://127.0.0.1:8787`. */
  listenUrl: string;
  contentUrl: string;
  close(): Promise<void>;
}

export const DATABASE_FILE = 'gatekeeper.sqlite';

type FetchFn = (req: Request, env?: unknown) => Response | Promise<Response>;

function listen(port: number, hostname: string, fetch: FetchFn) {
  return new Promise<{ server: ReturnType<typeof serve>; port: number }>((resolveListen) => {
    const server = serve({ fetch, port, hostname }, (info: AddressInfo) =>
      resolveListen({ server, port: info.port }),
    );
  });
}

function signingKeyRows(keys: KeyStore) {
  return keys.list().map((k) => ({
    kid: k.kid,
    alg: 'EdDSA',
    publicJwk: JSON.stringify(k.publicJwk),
    status: k.retiredAt === null ? ('active' as const) : ('retired' as const),
    createdAt: k.createdAt,
    retiredAt: k.retiredAt,
  }));
}

/**
 * Starts the Gatekeeper's HTTP server on Node: SQLite file and signing keys under `config.dataDir`.
 * Port 0 picks a free port (tests).
 */
export async function startServer(config: GatekeeperConfig): Promise<RunningServer> {
  mkdirSync(config.dataDir, { recursive: true });
  const db = await openSqlite({ file: join(config.dataDir, DATABASE_FILE) });
  const keys = await openFileKeyStore(config.dataDir);
  await recordSigningKeys(db, signingKeyRows(keys));
  keys.subscribe(() => void recordSigningKeys(db, signingKeyRows(keys)));

  // The app needs its own public URL (the `iss` of tokens), known only once port 0 is bound.
  let handler: FetchFn = () => new Response('starting', { status: 503 });
  const api = await listen(config.port, config.host, (req, env) => handler(req, env));
  const publicUrl = config.port === 0 ? config.publicUrl.replace(/:0$/, `:${api.port}`) : config.publicUrl;
  const contentUrl = config.contentUrl;
  const app = createApp({
    db,
    keys,
    now: () => new Date(),
    config: { publicUrl, contentUrl, sessionTtlSeconds: config.sessionTtlSeconds },
    limits: {
      perLicense: createTokenBucket({
        capacity: config.launchRatePerLicense * 4,
        refillPerSecond: config.launchRatePerLicense,
      }),
      perAddress: createTokenBucket({
        capacity: config.launchRatePerAddress * 5,
        refillPerSecond: config.launchRatePerAddress,
      }),
    },
    clientAddress: (c) => getConnInfo(c).remote.address ?? 'unknown',
    ...(config.logRequests ? { logger: (e) => process.stdout.write(`${JSON.stringify(e)}\n`) } : {}),
  });
  handler = app.fetch;

  return {
    url: publicUrl,
    listenUrl: `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${api.port}`,
    contentUrl,
    close: () =>
      new Promise<void>((resolveClose) => {
        api.server.close(() => {
          void db.close().then(() => resolveClose());
        });
        // Keep-alive sockets would otherwise hold close() open until they time out.
        (api.server as import('node:http').Server).closeAllConnections?.();
      }),
  };
}
