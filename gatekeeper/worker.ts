import { createApp, type GatekeeperApp, UPLOADS_PATH } from './app.js';
import { assertSeparateOrigins } from './content-origin.js';
import { openD1 } from './db/d1.js';
import { recordSigningKeys, signingKeyRows } from './db/signing-keys.js';
import { exportDeployment } from './deployments/export.js';
import {
  readStoredCmi5Launch,
  readStoredPlayerFiles,
  readStoredStub,
} from './deployments/stored-player-files.js';
import { importForwardingKey } from './forwarding/credentials.js';
import { createTokenBucket } from './http/rate-limit.js';
import { purgeBefore } from './ingest/retention.js';
import { createEnvKeyStore } from './keys/env-key-store.js';
import { withStubScript } from './licenses/gated-package.js';
import { assertOrgTemplate } from './orgs/content-url.js';
import { outboxTick } from './outbox/schedule.js';
import { createR2Storage } from './storage/r2.js';
import { hmacSecret } from './storage/upload-secret.js';
import { createFetchOutbound } from './webhooks/fetch-outbound.js';
import { TEST_CLOCK_HEADER, type WorkerEnv } from './worker-env.js';

/** The every-minute Cron Trigger (wrangler.toml) that drains the webhook outbox; the other one purges. */
const WEBHOOK_CRON = '* * * * *';

function number(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got "${value}"`);
  return n;
}

function required(
  env: WorkerEnv,
  name: 'COURSEGATE_KEYS' | 'COURSEGATE_PUBLIC_URL' | 'COURSEGATE_CONTENT_URL',
) {
  const value = env[name];
  if (!value) throw new Error(`${name} is not set (see docs/deploy-cloudflare.md)`);
  return value;
}

const S3_NAMES = [
  'COURSEGATE_S3_ENDPOINT',
  'COURSEGATE_S3_BUCKET',
  'COURSEGATE_S3_ACCESS_KEY_ID',
  'COURSEGATE_S3_SECRET_ACCESS_KEY',
] as const;

/** R2's S3 API for presigned uploads: all four settings or none. */
function presignTarget(env: WorkerEnv) {
  const set = S3_NAMES.filter((n) => env[n]);
  if (set.length === 0) return undefined;
  if (set.length < S3_NAMES.length)
    throw new Error(`Presigned uploads need all of ${S3_NAMES.join(', ')}; missing some`);
  return {
    endpoint: env.COURSEGATE_S3_ENDPOINT as string,
    bucket: env.COURSEGATE_S3_BUCKET as string,
    accessKeyId: env.COURSEGATE_S3_ACCESS_KEY_ID as string,
    secretAccessKey: env.COURSEGATE_S3_SECRET_ACCESS_KEY as string,
  };
}

/** Development only: webhook endpoints may be plain http on loopback (as on Node, docs/integrations.md). */
const allowHttpLoopback = (env: WorkerEnv) => env.COURSEGATE_WEBHOOKS_ALLOW_HTTP_LOOPBACK === 'true';

/** The key sealing LRS credentials (docs/integrations.md, "Statement forwarding"), if the secret is set. */
const forwardingKey = (env: WorkerEnv) =>
  env.COURSEGATE_FORWARDING_KEY
    ? importForwardingKey(env.COURSEGATE_FORWARDING_KEY)
    : Promise.resolve(undefined);

interface Isolate {
  keysJson: string;
  /** Built once the key history is mirrored into D1 (as server.ts does at start) and the upload secret derived. */
  app: Promise<GatekeeperApp>;
  /** What `now()` returns while the test clock is on. */
  testNow: Date;
}

/** One app per isolate, rebuilt only when the keys secret changes (a new deploy gives a new isolate anyway). */
let isolate: Isolate | undefined;

const unlimited = { take: () => true, retryAfter: () => 0 };

function isolateFor(env: WorkerEnv): Isolate {
  const keysJson = required(env, 'COURSEGATE_KEYS');
  if (isolate && isolate.keysJson === keysJson) return isolate;
  const publicUrl = required(env, 'COURSEGATE_PUBLIC_URL').replace(/\/$/, '');
  const contentUrl = required(env, 'COURSEGATE_CONTENT_URL').replace(/\/$/, '');
  assertSeparateOrigins({ publicUrl, contentUrl });
  const orgContentUrl = env.COURSEGATE_ORG_CONTENT_URL?.replace(/\/$/, '') || undefined;
  if (orgContentUrl) {
    assertOrgTemplate(orgContentUrl, publicUrl);
  }
  const testClock = env.COURSEGATE_TEST_CLOCK === 'on';
  // A settable clock would let anyone launch an expired license: only ever on a loopback URL.
  if (testClock && !/^http:\/\/(localhost|127\.\d+\.\d+\.\d+)(:\d+)?$/.test(publicUrl))
    throw new Error('COURSEGATE_TEST_CLOCK is for tests on loopback only; unset it');
  const db = openD1(env.DB);
  const keys = createEnvKeyStore(keysJson);
  const perLicense = number(env.COURSEGATE_LAUNCH_RATE_PER_LICENSE, 50, 'COURSEGATE_LAUNCH_RATE_PER_LICENSE');
  const perAddress = number(env.COURSEGATE_LAUNCH_RATE_PER_ADDRESS, 20, 'COURSEGATE_LAUNCH_RATE_PER_ADDRESS');
  const perSession = number(env.COURSEGATE_INGEST_RATE_PER_SESSION, 20, 'COURSEGATE_INGEST_RATE_PER_SESSION');
  // Buckets live per isolate: a first line of defence; Cloudflare rate-limiting rules are the global one.
  // Test time jumps back and forth, which would drain them, so the test clock turns them off.
  const limits = testClock
    ? { perLicense: unlimited, perAddress: unlimited, perSession: unlimited }
    : {
        perLicense: createTokenBucket({ capacity: perLicense * 4, refillPerSecond: perLicense }),
        perAddress: createTokenBucket({ capacity: perAddress * 5, refillPerSecond: perAddress }),
        perSession: createTokenBucket({ capacity: perSession * 10, refillPerSecond: perSession }),
      };
  const ttl = Math.min(number(env.COURSEGATE_SESSION_TTL, 8 * 3600, 'COURSEGATE_SESSION_TTL'), 24 * 3600);
  const logger = env.COURSEGATE_LOG === 'off' ? undefined : (e: unknown) => console.log(JSON.stringify(e));
  const now = testClock ? () => created.testNow : () => new Date();
  const presign = presignTarget(env);
  const build = async (): Promise<GatekeeperApp> => {
    await recordSigningKeys(db, signingKeyRows(keys));
    // Without R2's S3 API, uploads come to the Worker itself, signed as the fs driver's are on Node.
    const uploads = presign
      ? undefined
      : { secret: await hmacSecret(keys.sessionSecret, 'coursegate:uploads') };
    const storage = createR2Storage({
      bucket: env.CONTENT,
      publicBaseUrl: contentUrl,
      now,
      ...(presign ? { presign } : {}),
      ...(uploads ? { uploads: { baseUrl: `${publicUrl}${UPLOADS_PATH}`, secret: uploads.secret } } : {}),
    });
    return createApp({
      db,
      keys,
      storage,
      ...(uploads ? { uploads } : {}),
      playerFiles: () => readStoredPlayerFiles(storage),
      exportPackage: exportDeployment,
      gatedPackages: withStubScript(
        () => readStoredStub(storage),
        () => readStoredCmi5Launch(storage),
      ),
      now,
      config: { publicUrl, contentUrl, orgContentUrl, sessionTtlSeconds: ttl },
      limits,
      clientAddress: (c) => c.req.header('cf-connecting-ip') ?? 'unknown',
      ...(logger ? { logger } : {}),
      webhooks: { allowHttpLoopback: allowHttpLoopback(env) },
      forwardingKey: forwardingKey(env),
    });
  };
  const created: Isolate = { keysJson, testNow: new Date(), app: build() };
  // A failed start (e.g. migrations not applied yet) is retried by the next request, not kept.
  created.app.catch(() => {
    if (isolate === created) isolate = undefined;
  });
  isolate = created;
  return created;
}

/**
 * The Gatekeeper as a Cloudflare Worker: the same Hono app as `server.ts`, over D1 and R2, one per
 * isolate. Keys come from the `COURSEGATE_KEYS` secret, URLs from vars (wrangler.toml).
 *
 * @example
 * // wrangler.toml: main = "gatekeeper/worker.ts"; then `wrangler deploy`
 */
export default {
  async fetch(request: Request, env: WorkerEnv): Promise<Response> {
    const current = isolateFor(env);
    const app = await current.app;
    // One clock per isolate: right for tests, which send one request at a time.
    if (env.COURSEGATE_TEST_CLOCK === 'on')
      current.testNow = new Date(request.headers.get(TEST_CLOCK_HEADER) ?? Date.now());
    return app.fetch(request);
  },

  /**
   * The Cron Triggers in wrangler.toml (the Node server runs timers instead): every minute the webhook
   * outbox (alerts, then deliveries; docs/integrations.md); on the daily one the retention purge, which
   * deletes telemetry and launch records older than COURSEGATE_RETENTION_DAYS (365).
   */
  async scheduled(controller: { scheduledTime: number; cron?: string }, env: WorkerEnv): Promise<void> {
    const db = openD1(env.DB);
    await outboxTick({
      db,
      now: () => new Date(controller.scheduledTime),
      send: createFetchOutbound({ allowHttpLoopback: allowHttpLoopback(env) }),
      forwarding: { key: forwardingKey(env), homePage: env.COURSEGATE_PUBLIC_URL.replace(/\/$/, '') },
    })();
    if (controller.cron === WEBHOOK_CRON) return;
    const days = Math.min(number(env.COURSEGATE_RETENTION_DAYS, 365, 'COURSEGATE_RETENTION_DAYS'), 36_500);
    await purgeBefore(db, controller.scheduledTime - days * 86_400_000);
  },
};
