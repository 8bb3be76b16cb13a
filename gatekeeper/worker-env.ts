import type { D1Database, R2Bucket } from '@cloudflare/workers-types/latest/index.ts';

/** The bindings and variables of wrangler.toml; secrets are set with `wrangler secret put`. */
export interface WorkerEnv {
  DB: D1Database;
  /** Development only: `true` lets webhook endpoints be plain http on loopback. */
  COURSEGATE_WEBHOOKS_ALLOW_HTTP_LOOPBACK?: string;
  /** Secret: 32 bytes in base64 sealing LRS credentials (statement forwarding); unset, none can be stored. */
  COURSEGATE_FORWARDING_KEY?: string;
  CONTENT: R2Bucket;
  /** Secret: the JSON of `signing-keys.json` (Ed25519 keys and the session secret). */
  COURSEGATE_KEYS: string;
  COURSEGATE_PUBLIC_URL: string;
  /** R2's public bucket domain or custom domain: content is served there, never by the Worker. */
  COURSEGATE_CONTENT_URL: string;
  /**
   * Each org's content origin, `{org}` standing for its host label (docs/storage.md, "The content origin"),
   * e.g. `https://{org}.content.example.net` on a custom domain routed to the bucket. Unset: orgs without a
   * content URL of their own share COURSEGATE_CONTENT_URL.
   */
  COURSEGATE_ORG_CONTENT_URL?: string;
  COURSEGATE_SESSION_TTL?: string;
  COURSEGATE_LAUNCH_RATE_PER_LICENSE?: string;
  COURSEGATE_LAUNCH_RATE_PER_ADDRESS?: string;
  COURSEGATE_INGEST_RATE_PER_SESSION?: string;
  COURSEGATE_LOG?: string;
  /** Days of telemetry and launch records the daily Cron Trigger keeps (default 365). */
  COURSEGATE_RETENTION_DAYS?: string;
  /** R2's S3 API (`https://<account>.r2.cloudflarestorage.com`) and bucket name, for presigned uploads. */
  COURSEGATE_S3_ENDPOINT?: string;
  COURSEGATE_S3_BUCKET?: string;
  /** Secrets: an R2 API token's S3 credentials. With the two vars above they enable presigned uploads. */
  COURSEGATE_S3_ACCESS_KEY_ID?: string;
  COURSEGATE_S3_SECRET_ACCESS_KEY?: string;
  /**
   * Tests only: `on` makes the clock read the `x-coursegate-test-clock` request header, so suites can
   * move time under Miniflare. Never set it in production: anyone could then choose the time.
   */
  COURSEGATE_TEST_CLOCK?: string;
}

/** Read only when `COURSEGATE_TEST_CLOCK` is `on`. A Worker module may export nothing but handlers, hence this file. */
export const TEST_CLOCK_HEADER = 'x-coursegate-test-clock';
