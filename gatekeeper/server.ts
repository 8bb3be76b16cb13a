import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { createApp, UPLOADS_PATH } from './app.js';
import type { GatekeeperConfig } from './config.js';
import { createHostAccess } from './content/host-access.js';
import { startContentServer } from './content/server.js';
import { DATABASE_FILE } from './db/database-file.js';
import { openSqlite } from './db/open-sqlite.js';
import { makePrivateDir } from './db/private-files.js';
import { recordSigningKeys, signingKeyRows } from './db/signing-keys.js';
import { exportDeployment } from './deployments/export.js';
import {
  hasPlayerFiles,
  readCmi5LaunchScript,
  readPlayerFiles,
  readStubScript,
} from './deployments/read-player-files.js';
import { importForwardingKey } from './forwarding/credentials.js';
import { createClientAddress } from './http/client-address.js';
import { createTokenBucket } from './http/rate-limit.js';
import { createRetention, intervalScheduler } from './ingest/retention.js';
import { openFileKeyStore } from './keys/file-key-store.js';
import { withStubScript } from './licenses/gated-package.js';
import { startOutbox } from './outbox/schedule.js';
import { createStorage } from './storage/factory.js';
import type { Storage } from './storage/types.js';
import { hmacSecret } from './storage/upload-secret.js';
import { createOutbound } from './webhooks/outbound.js';

export interface RunningServer {
  /** The public URL of the API (the `iss` of tokens). */
  url: string;
  /** Where the API socket is bound, e.g. `http://127.0.0.1:8787`. */
  listenUrl: string;
  /** The shared content origin: deployments made before each org got its own (docs/storage.md). */
  contentUrl: string;
  /** Each org's content origin, `{org}` standing for its host label (gatekeeper/orgs/content-url.ts). */
  orgContentUrl: string | undefined;
  /** What the operator should know at start, e.g. that orgs share a content origin. */
  warnings: string[];
  close(): Promise<void>;
}

/**
 * The built player in `config.assetsDir`. The server only reads browser assets: building them is
 * `npm run build:runtime`'s job (`npm start` runs it when a source is newer).
 */
function playerDir(assetsDir: string): string {
  const dir = join(assetsDir, 'player');
  if (!hasPlayerFiles(dir))
    throw new Error(
      `No built browser assets in ${assetsDir} (the player is missing): run \`npm run build:runtime\`, or set COURSEGATE_ASSETS_DIR to a built dist/ folder`,
    );
  return dir;
}

/** Said at start with S3 and no COURSEGATE_ORG_CONTENT_URL (docs/storage.md, "The content origin"). */
export const SHARED_ORIGIN_WARNING =
  "COURSEGATE_ORG_CONTENT_URL is not set: organisations without a content URL of their own (coursegate admin set-content-url) share COURSEGATE_CONTENT_URL, where one org's course can read another's learners' session tokens";

type FetchFn = (req: Request, env?: unknown) => Response | Promise<Response>;

function listen(port: number, hostname: string, fetch: FetchFn) {
  return new Promise<{ server: ReturnType<typeof serve>; port: number }>((resolveListen, reject) => {
    const server = serve({ fetch, port, hostname }, (info: AddressInfo) =>
      resolveListen({ server, port: info.port }),
    );
    // Without a listener a taken port is an uncaught exception; the caller names the setting instead.
    server.once('error', reject);
  });
}

/**
 * Starts the Gatekeeper's HTTP server on Node: SQLite file and signing keys under `config.dataDir`.
 * Port 0 picks a free port (tests).
 */
export async function startServer(config: GatekeeperConfig): Promise<RunningServer> {
  const runtimeDir = playerDir(config.assetsDir);
  makePrivateDir(config.dataDir);
  const db = await openSqlite({ file: join(config.dataDir, DATABASE_FILE) });
  const keys = await openFileKeyStore(config.dataDir);
  await recordSigningKeys(db, signingKeyRows(keys));
  keys.subscribe(() => void recordSigningKeys(db, signingKeyRows(keys)));

  // The app needs its own public URL (the `iss` of tokens), known only once port 0 is bound.
  let handler: FetchFn = () => new Response('starting', { status: 503 });
  const api = await listen(config.port, config.host, (req, env) => handler(req, env));
  const publicUrl = config.port === 0 ? config.publicUrl.replace(/:0$/, `:${api.port}`) : config.publicUrl;

  // Uploads to local disk go through presigned URLs on the API, signed with a key derived from the
  // server secret; with s3 the bucket takes them directly and serves content, so no second listener.
  const uploadSecret = await hmacSecret(keys.sessionSecret, 'coursegate:uploads');
  let storage: Storage;
  let contentUrl = config.contentUrl;
  let orgContentUrl = config.orgContentUrl;
  let content: { close(): Promise<void> } | undefined;
  if (config.storage.driver === 's3') {
    const { driver: _d, ...s3 } = config.storage;
    storage = await createStorage({ driver: 's3', ...s3, publicBaseUrl: contentUrl });
  } else {
    storage = await createStorage({
      driver: 'fs',
      root: join(config.dataDir, 'content'),
      presign: { baseUrl: `${publicUrl}${UPLOADS_PATH}`, secret: uploadSecret },
    });
    // Routes by Host, so the origins are known before it answers; port 0 fills them in once bound.
    const origins = { shared: contentUrl, template: orgContentUrl };
    const served = await startContentServer({
      storage,
      host: config.host,
      port: config.contentPort,
      access: createHostAccess({ db, origins }),
    });
    if (config.contentPort === 0) {
      contentUrl = contentUrl.replace(/:0$/, `:${served.port}`);
      orgContentUrl = orgContentUrl?.replace(/:0$/, `:${served.port}`);
      origins.shared = contentUrl;
      origins.template = orgContentUrl;
    }
    content = served;
  }

  const forwardingKey = config.forwardingKey
    ? importForwardingKey(config.forwardingKey)
    : Promise.resolve(undefined);
  const players = readPlayerFiles(runtimeDir);
  players.catch(() => undefined);
  const app = createApp({
    db,
    keys,
    storage,
    playerFiles: () => players,
    exportPackage: exportDeployment,
    gatedPackages: withStubScript(
      () => readStubScript(runtimeDir),
      () => readCmi5LaunchScript(runtimeDir),
    ),
    ...(config.storage.driver === 'fs' ? { uploads: { secret: uploadSecret } } : {}),
    now: () => new Date(),
    webhooks: { allowHttpLoopback: config.webhooks.allowHttpLoopback },
    forwardingKey,
    config: { publicUrl, contentUrl, orgContentUrl, sessionTtlSeconds: config.sessionTtlSeconds },
    limits: {
      perLicense: createTokenBucket({
        capacity: config.launchRatePerLicense * 4,
        refillPerSecond: config.launchRatePerLicense,
      }),
      perAddress: createTokenBucket({
        capacity: config.launchRatePerAddress * 5,
        refillPerSecond: config.launchRatePerAddress,
      }),
      perSession: createTokenBucket({
        capacity: config.ingestRatePerSession * 10,
        refillPerSecond: config.ingestRatePerSession,
      }),
    },
    clientAddress: createClientAddress({
      peer: (c) => getConnInfo(c).remote.address,
      trustedProxies: config.trustedProxies,
    }),
    ...(config.logRequests ? { logger: (e) => process.stdout.write(`${JSON.stringify(e)}\n`) } : {}),
  });
  handler = app.fetch;
  const stopRetention = createRetention({
    db,
    days: config.retentionDays,
    now: () => new Date(),
    schedule: intervalScheduler,
    onError: (err) => process.stderr.write(`retention purge failed: ${String(err)}\n`),
  }).start();
  const stopOutbox = startOutbox({
    db,
    now: () => new Date(),
    send: createOutbound({ allowHttpLoopback: config.webhooks.allowHttpLoopback }),
    everyMs: config.webhooks.drainEveryMs,
    forwarding: { key: forwardingKey, homePage: publicUrl },
    schedule: intervalScheduler,
    onError: (err) => process.stderr.write(`webhook delivery failed: ${String(err)}\n`),
  });

  return {
    url: publicUrl,
    listenUrl: `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${api.port}`,
    contentUrl,
    orgContentUrl,
    warnings: orgContentUrl ? [] : [SHARED_ORIGIN_WARNING],
    close: () =>
      new Promise<void>((resolveClose) => {
        stopRetention();
        stopOutbox();
        api.server.close(() => {
          void Promise.all([db.close(), content?.close()]).then(() => resolveClose());
        });
        // Keep-alive sockets would otherwise hold close() open until they time out.
        (api.server as import('node:http').Server).closeAllConnections?.();
      }),
  };
}
