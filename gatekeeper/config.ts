import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertSeparateOrigins } from './content-origin.js';
import { assertOrgTemplate, defaultOrgTemplate } from './orgs/content-url.js';

/** Everything the Gatekeeper takes from its environment. Only this file and the CLI read `process.env`. */
export interface GatekeeperConfig {
  /** Port of the API and dashboard origin. */
  port: number;
  /** Port of the content origin (fs storage only). */
  contentPort: number;
  host: string;
  /** Directory holding the SQLite file, the signing keys and (fs driver) the content. */
  dataDir: string;
  /** Public URL of the API origin; the `iss` of every token. */
  publicUrl: string;
  /**
   * The shared content origin of courses deployed before each org got its own (a different host from
   * `publicUrl`); the fs listener's bound address.
   */
  contentUrl: string;
  /**
   * Each org's content origin, `{org}` standing for its host label (docs/storage.md, "The content origin").
   * Local disk: `<org>.<content host>` by default. S3: only when set; orgs without one of their own then
   * share `contentUrl`, which start-up warns about.
   */
  orgContentUrl?: string;
  logRequests: boolean;
  /** Launches per second allowed per license (burst: 4×). */
  launchRatePerLicense: number;
  /**
   * Peers whose `X-Forwarded-For` names the client (reverse proxies, load balancers): exact IP addresses.
   * Empty (the default): the client is the TCP peer and the header is ignored.
   */
  trustedProxies: string[];
  /** Launches per second allowed per client address (burst: 5×). */
  launchRatePerAddress: number;
  /** Lifetime of session tokens in seconds, at most 24 h. */
  sessionTtlSeconds: number;
  /** Telemetry requests per second allowed per session (burst: 10×). */
  ingestRatePerSession: number;
  /** Where content is stored: local disk under the data dir (default), or an S3-compatible bucket. */
  storage: StorageConfig;
  /** Days telemetry and launch records are kept before the daily purge deletes them. */
  retentionDays: number;
  /**
   * Webhooks (docs/integrations.md): how often the outbox is drained (ms), and whether endpoints may be
   * plain http on loopback, a development setting (`COURSEGATE_WEBHOOKS_ALLOW_HTTP_LOOPBACK=true`).
   */
  webhooks: { drainEveryMs: number; allowHttpLoopback: boolean };
  /**
   * The AES-256 key (32 bytes, base64) that seals LRS credentials for statement forwarding
   * (`COURSEGATE_FORWARDING_KEY`, docs/integrations.md). Unset: no course can be given an LRS.
   */
  forwardingKey?: string;
  /**
   * The built browser assets (player, launch stub, cmi5 launch page): `dist/` of this checkout or package.
   * The server reads them and never builds them (`npm run build:runtime` does).
   */
  assetsDir: string;
}

export type StorageConfig =
  | { driver: 'fs' }
  | {
      driver: 's3';
      endpoint?: string;
      bucket: string;
      region: string;
      accessKeyId: string;
      secretAccessKey: string;
      forcePathStyle: boolean;
    };

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name} is required when COURSEGATE_STORAGE=s3`);
  return value;
}

function storageConfig(env: NodeJS.ProcessEnv): StorageConfig {
  const driver = env.COURSEGATE_STORAGE ?? 'fs';
  if (driver === 'fs') return { driver };
  if (driver !== 's3') throw new Error(`COURSEGATE_STORAGE must be fs or s3, got "${driver}"`);
  // With s3 the bucket's public domain (or CDN) serves content, so its URL must be given.
  required(env, 'COURSEGATE_CONTENT_URL');
  return {
    driver,
    ...(env.COURSEGATE_S3_ENDPOINT ? { endpoint: env.COURSEGATE_S3_ENDPOINT } : {}),
    bucket: required(env, 'COURSEGATE_S3_BUCKET'),
    region: env.COURSEGATE_S3_REGION ?? 'auto',
    accessKeyId: required(env, 'COURSEGATE_S3_ACCESS_KEY_ID'),
    secretAccessKey: required(env, 'COURSEGATE_S3_SECRET_ACCESS_KEY'),
    forcePathStyle: env.COURSEGATE_S3_FORCE_PATH_STYLE === 'true',
  };
}

function positive(value: string | undefined, fallback: number, name: string, max: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > max)
    throw new Error(`${name} must be a number in (0, ${max}], got "${value}"`);
  return n;
}

function addressList(value: string | undefined, name: string): string[] {
  const list = (value ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  for (const a of list)
    if (isIP(a) === 0) throw new Error(`${name} must list IP addresses separated by commas, got "${a}"`);
  return list;
}

/** A port number from the environment (`0` picks a free port). */
export function portFromEnv(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new Error(`${name} must be a port number, got "${value}"`);
  return n;
}

/** Reads the configuration from the environment, with the embedded defaults of `npm start`. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): GatekeeperConfig {
  const port = portFromEnv(env.COURSEGATE_PORT ?? env.PORT, 8787, 'COURSEGATE_PORT');
  const contentPort = portFromEnv(
    env.COURSEGATE_CONTENT_PORT,
    port === 0 ? 0 : port + 1,
    'COURSEGATE_CONTENT_PORT',
  );
  // Content lives on another *host* by default: ports alone do not separate cookies
  // (docs/storage.md, "The content origin").
  const publicUrl = (env.COURSEGATE_PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, '');
  const contentUrl = (env.COURSEGATE_CONTENT_URL ?? `http://127.0.0.1:${contentPort}`).replace(/\/$/, '');
  assertSeparateOrigins({ publicUrl, contentUrl });
  const storage = storageConfig(env);
  const orgContentUrl = (
    env.COURSEGATE_ORG_CONTENT_URL ?? (storage.driver === 'fs' ? defaultOrgTemplate(contentUrl) : '')
  ).replace(/\/$/, '');
  if (orgContentUrl) {
    assertOrgTemplate(orgContentUrl, publicUrl);
  }
  return {
    port,
    contentPort,
    host: env.COURSEGATE_HOST ?? '127.0.0.1',
    dataDir: resolve(env.COURSEGATE_DATA_DIR ?? './data'),
    publicUrl,
    contentUrl,
    ...(orgContentUrl ? { orgContentUrl } : {}),
    logRequests: env.COURSEGATE_LOG !== 'off',
    trustedProxies: addressList(env.COURSEGATE_TRUSTED_PROXIES, 'COURSEGATE_TRUSTED_PROXIES'),
    launchRatePerLicense: positive(
      env.COURSEGATE_LAUNCH_RATE_PER_LICENSE,
      50,
      'COURSEGATE_LAUNCH_RATE_PER_LICENSE',
      1e9,
    ),
    launchRatePerAddress: positive(
      env.COURSEGATE_LAUNCH_RATE_PER_ADDRESS,
      20,
      'COURSEGATE_LAUNCH_RATE_PER_ADDRESS',
      1e9,
    ),
    sessionTtlSeconds: positive(env.COURSEGATE_SESSION_TTL, 8 * 3600, 'COURSEGATE_SESSION_TTL', 24 * 3600),
    ingestRatePerSession: positive(
      env.COURSEGATE_INGEST_RATE_PER_SESSION,
      20,
      'COURSEGATE_INGEST_RATE_PER_SESSION',
      1e9,
    ),
    storage,
    retentionDays: positive(env.COURSEGATE_RETENTION_DAYS, 365, 'COURSEGATE_RETENTION_DAYS', 36_500),
    webhooks: {
      drainEveryMs: positive(env.COURSEGATE_WEBHOOK_DRAIN_MS, 5000, 'COURSEGATE_WEBHOOK_DRAIN_MS', 3_600_000),
      allowHttpLoopback: env.COURSEGATE_WEBHOOKS_ALLOW_HTTP_LOOPBACK === 'true',
    },
    ...forwardingKey(env.COURSEGATE_FORWARDING_KEY),
    assetsDir: resolve(env.COURSEGATE_ASSETS_DIR ?? defaultAssetsDir()),
  };
}

function forwardingKey(value: string | undefined): { forwardingKey?: string } {
  if (!value) return {};
  if (Buffer.from(value, 'base64').length !== 32)
    throw new Error('COURSEGATE_FORWARDING_KEY must be 32 random bytes in base64 (openssl rand -base64 32)');
  return { forwardingKey: value };
}

/**
 * The published package's `dist/assets/` beside the bundle (`dist/main.js`), else the checkout's `dist/`
 * beside the sources (`gatekeeper/config.ts`), which `npm run build:runtime` writes.
 */
function defaultAssetsDir(): string {
  const packaged = fileURLToPath(new URL('./assets/', import.meta.url));
  return existsSync(packaged) ? packaged : fileURLToPath(new URL('../dist/', import.meta.url));
}
