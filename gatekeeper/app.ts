import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { keyRoutes } from './api-keys/api.js';
import { authenticate } from './auth/authenticate.js';
import { courseRoutes } from './courses/api.js';
import { createDashboard, createSignInBackoff, DASHBOARD_PATH } from './dashboard/index.js';
import type { Database } from './db/database.js';
import { isUniqueViolation } from './db/unique-violation.js';
import { deploymentRoutes } from './deployments/api.js';
import { channelRoutes } from './deployments/channel-api.js';
import { courseDeploymentRoutes } from './deployments/course-api.js';
import type { ExportPackage } from './deployments/deployment-deps.js';
import type { PlayerFile } from './deployments/player-files.js';
import { errorBody, GatekeeperError } from './errors.js';
import { forwardingRoutes } from './forwarding/api.js';
import type { AppConfig, AppEnv, RouteDeps } from './http/app-types.js';
import { limitBody } from './http/body-limit.js';
import { openCors } from './http/open-cors.js';
import { createTokenBucket, type RateLimiter } from './http/rate-limit.js';
import { readinessHandler } from './http/readiness.js';
import { errorRoutes } from './ingest/error-reports-api.js';
import { registerIngestOpenApi } from './ingest/ingest-openapi.js';
import { createSessionAuth } from './ingest/session-auth.js';
import { sessionReportRoutes } from './ingest/session-report-api.js';
import { statementRoutes } from './ingest/statements-api.js';
import { ingestKeyRoutes } from './ingest-keys/api.js';
import type { KeyStore } from './keys/key-store.js';
import { launchRoutes } from './launch/api.js';
import { licenseRoutes } from './licenses/api.js';
import { licenseFollowRoutes } from './licenses/follow-api.js';
import { type GatedPackageScripts, gatedPackageRoutes } from './licenses/gated-package.js';
import { type Logger, redact, requestLog } from './logger.js';
import { logRoutes } from './logs/api.js';
import { memberRoutes } from './members/api.js';
import { orgRoutes } from './orgs/api.js';
import { mountPreviewOpen, previewRoutes } from './previews/api.js';
import type { Storage } from './storage/types.js';
import { createUploadApp } from './storage/upload-app.js';
import { hmacSecret } from './storage/upload-secret.js';
import { createTokenService } from './tokens.js';
import type { OutboundPolicy } from './webhooks/address-policy.js';
import { webhookRoutes } from './webhooks/api.js';

export interface AppDeps {
  db: Database;
  keys: KeyStore;
  /** Content storage (`courses/<course>/<deployment>/<path>`). */
  storage?: Storage;
  /** With the fs driver: accept presigned uploads at `UPLOADS_PATH`, signed with this secret. */
  uploads?: { secret: Uint8Array };
  /** The gated-delivery player put under `_coursegate/` of every deployment (server.ts reads dist/player). */
  playerFiles?: () => Promise<PlayerFile[]>;
  /** Serves `GET /v1/courses/{id}/export` (server.ts and worker.ts pass `exportDeployment`). */
  exportPackage?: ExportPackage;
  /**
   * The scripts of `GET /v1/licenses/:id/package` and the dashboard's gated download
   * (`withStubScript`: dist/ on Node, the bucket on the Worker). Without it the route is not served.
   */
  gatedPackages?: GatedPackageScripts;
  /** Clock, injected so tests control time. */
  now: () => Date;
  config: AppConfig;
  /**
   * Rate limits; defaults: launches 50/s per license (burst 200) and 20/s per client address (burst
   * 100, also preview-link visits); telemetry requests 20/s per session (burst 200).
   */
  limits?: { perLicense: RateLimiter; perAddress: RateLimiter; perSession?: RateLimiter };
  /** The caller's network address, for the per-address limit (server.ts reads it off the socket). */
  clientAddress?: (c: Context) => string;
  /** Receives one structured record per request and per unexpected error; never a token. */
  logger?: Logger;
  /** Rows a log export (API and dashboard) reads per page; default 1,000. Tests export many small pages. */
  exportPageRows?: number;
  /** Webhook endpoint URLs: plain http on loopback only with `allowHttpLoopback` (development). */
  webhooks?: OutboundPolicy;
  /** The key sealing LRS credentials (`COURSEGATE_FORWARDING_KEY`); without it none can be stored. */
  forwardingKey?: Promise<CryptoKey | undefined>;
}

/** Routes that act on one organisation's data: each sits behind `authenticate` and `requireRole`. */
const ORG_SCOPED = {
  '/v1/org': orgRoutes,
  '/v1/members': memberRoutes,
  '/v1/keys': keyRoutes,
  '/v1/courses': courseRoutes,
  '/v1/licenses': licenseRoutes,
} as const;

export const LAUNCH_BODY_LIMIT = 8 * 1024;
/** Where the fs driver's presigned PUT URLs point. */
export const UPLOADS_PATH = '/v1/uploads';
export const API_BODY_LIMIT = 64 * 1024;
/** A deploy plan request lists every file (about 120 bytes each): room for 100,000 files. */
export const DEPLOY_PLAN_BODY_LIMIT = 16 * 1024 * 1024;
const DEPLOY_PLAN = /^\/v1\/courses\/[^/]+\/deployments$/;

/**
 * Builds the Gatekeeper as a Hono app. No module-level state: everything comes in through `deps`,
 * so tests call `app.request()` on an in-memory setup.
 *
 * @example
 * const db = await openSqlite({ file: ':memory:' });
 * const keys = await createMemoryKeyStore();
 * const app = createApp({ db, keys, now: () => new Date(), config: { publicUrl, contentUrl } });
 * const res = await app.request('/healthz');
 */
export function createApp(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>();
  const logger = deps.logger;
  const routeDeps: RouteDeps = {
    db: deps.db,
    now: deps.now,
    config: deps.config,
    tokens: createTokenService({ keys: deps.keys, issuer: deps.config.publicUrl, now: deps.now }),
    limits: {
      perLicense: deps.limits?.perLicense ?? createTokenBucket({ capacity: 200, refillPerSecond: 50 }),
      perAddress: deps.limits?.perAddress ?? createTokenBucket({ capacity: 100, refillPerSecond: 20 }),
      perSession: deps.limits?.perSession ?? createTokenBucket({ capacity: 200, refillPerSecond: 20 }),
    },
    clientAddress: deps.clientAddress ?? (() => 'unknown'),
    logger: logger ?? ((e) => console.error(JSON.stringify(e))),
  };

  if (logger)
    app.use(
      '*',
      requestLog(logger, () => deps.now().getTime()),
    );
  app.use(
    '/v1/launch',
    openCors({ methods: 'POST', headers: 'Content-Type', maxAgeSeconds: 86400, postAnswersCarryIt: true }),
  );
  const launchLimit = limitBody(LAUNCH_BODY_LIMIT);
  const apiLimit = limitBody(API_BODY_LIMIT);
  const planLimit = limitBody(DEPLOY_PLAN_BODY_LIMIT);
  // Uploads carry whole course files and bound their own size; the rest of /v1 takes small JSON bodies.
  app.use('/v1/*', (c, next) =>
    c.req.path === '/v1/launch'
      ? launchLimit(c, next)
      : c.req.path.startsWith(`${UPLOADS_PATH}/`) || c.req.path === '/v1/errors'
        ? next()
        : DEPLOY_PLAN.test(c.req.path)
          ? planLimit(c, next)
          : apiLimit(c, next),
  );
  if (deps.storage && deps.uploads)
    app.route(
      '/',
      createUploadApp({
        storage: deps.storage,
        secret: deps.uploads.secret,
        now: deps.now,
        basePath: UPLOADS_PATH,
      }),
    );

  // Liveness: the process answers. Readiness (the database takes a write, the storage answers): /readyz.
  app.get('/healthz', (c) => c.json({ ok: true, time: deps.now().toISOString() }));
  // Browsers ask every origin for /favicon.ico; a 404 there fills server logs and devtools with noise.
  app.get('/favicon.ico', (c) => c.redirect(`${DASHBOARD_PATH}/static/favicon.svg`, 301));
  app.get('/readyz', readinessHandler({ db: deps.db, storage: deps.storage, now: deps.now }));
  app.get('/.well-known/jwks.json', (c) => {
    c.header('cache-control', 'public, max-age=300');
    return c.json(routeDeps.tokens.jwks());
  });

  app.route('/v1/launch', launchRoutes(routeDeps));
  // Telemetry ingest: session tokens, not API keys (their own limits and CORS for the content origin).
  const sessionAuth = createSessionAuth(routeDeps);
  app.route('/xapi/statements', statementRoutes({ ...routeDeps, sessionAuth }));
  app.route('/v1/errors', errorRoutes({ ...routeDeps, sessionAuth }));
  app.route('/v1/sessions/report', sessionReportRoutes({ ...routeDeps, sessionAuth }));
  const auth = authenticate(routeDeps);
  for (const [prefix, routes] of Object.entries(ORG_SCOPED)) {
    app.use(prefix, auth);
    app.use(`${prefix}/*`, auth);
    app.route(prefix, routes(routeDeps));
  }
  if (deps.storage) {
    let previewSecret: Promise<Uint8Array> | undefined;
    const deploy = {
      ...routeDeps,
      storage: deps.storage,
      playerFiles: deps.playerFiles ?? (async () => []),
      ...(deps.exportPackage ? { exportPackage: deps.exportPackage } : {}),
      previewSecret: () => {
        previewSecret ??= hmacSecret(deps.keys.sessionSecret, 'coursegate:previews');
        return previewSecret;
      },
    };
    app.route('/v1/courses', courseDeploymentRoutes(deploy));
    app.route('/v1/courses', channelRoutes(deploy));
    for (const [prefix, routes] of [
      ['/v1/deployments', deploymentRoutes],
      ['/v1/previews', previewRoutes],
    ] as const) {
      app.use(`${prefix}/*`, auth);
      app.route(prefix, routes(deploy));
    }
    mountPreviewOpen(app, deploy);
  }
  app.route('/v1/courses', logRoutes({ ...routeDeps, exportPageRows: deps.exportPageRows }));
  app.route('/v1/courses', ingestKeyRoutes(routeDeps));
  app.route('/v1/licenses', licenseFollowRoutes(routeDeps));
  app.use('/v1/webhooks', auth);
  app.use('/v1/webhooks/*', auth);
  app.route(
    '/v1/webhooks',
    webhookRoutes({ ...routeDeps, policy: deps.webhooks ?? { allowHttpLoopback: false } }),
  );
  app.route(
    '/v1/courses',
    forwardingRoutes({
      ...routeDeps,
      policy: deps.webhooks ?? { allowHttpLoopback: false },
      forwardingKey: deps.forwardingKey ?? Promise.resolve(undefined),
    }),
  );
  if (deps.gatedPackages)
    app.route(
      '/v1/licenses',
      gatedPackageRoutes({ ...routeDeps, ...deps.gatedPackages, storage: deps.storage }),
    );

  app.route(
    DASHBOARD_PATH,
    createDashboard({
      ...routeDeps,
      basePath: DASHBOARD_PATH,
      sessionTtlMs: 12 * 3600_000,
      backoff: createSignInBackoff({ now: deps.now }),
      storage: deps.storage,
      previewSecret: () => hmacSecret(deps.keys.sessionSecret, 'coursegate:previews'),
      exportPackage: deps.exportPackage,
      gatedPackages: deps.gatedPackages,
      exportPageRows: deps.exportPageRows,
      webhooks: deps.webhooks,
    }),
  );

  app.openAPIRegistry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key, `cg_…`',
  });
  registerIngestOpenApi(app.openAPIRegistry);
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'Coursegate Gatekeeper', version: '1' },
    servers: [{ url: deps.config.publicUrl }],
    security: [{ apiKey: [] }],
  });

  app.notFound(() => {
    throw new GatekeeperError('route_not_found', 'No such route');
  });

  app.onError((err, c) => {
    const known = err instanceof GatekeeperError ? err : (knownError(err) ?? deps.db.fault(err));
    if (known) {
      if (known.retryAfter !== undefined) c.header('retry-after', String(known.retryAfter));
      // A fault of the disk, database or store is the operator's to see; its cause never reaches the client.
      if (known.status === 503)
        routeDeps.logger({
          level: 'error',
          msg: 'fault',
          code: known.code,
          path: redact(c.req.path),
          error: redact(String(known.cause ?? known.message)),
        });
      return c.json(known.toBody(), known.status);
    }
    routeDeps.logger({
      level: 'error',
      msg: 'unhandled',
      path: redact(c.req.path),
      error: redact(String(err)),
    });
    return c.json(errorBody('internal_error', 'Internal error'), 500);
  });

  return app;
}

/** A thrown error that is not a server fault, as the `GatekeeperError` it stands for. */
function knownError(err: unknown): GatekeeperError | undefined {
  if (isUniqueViolation(err))
    return new GatekeeperError('already_exists', 'That already exists (another request created it first)');
  if (!(err instanceof HTTPException)) return undefined;
  if (err.status === 413) return new GatekeeperError('payload_too_large', 'Request body too large');
  if (err.status === 401) return new GatekeeperError('unauthorized', err.message);
  // Malformed JSON and a body that is not JSON at all are validation failures like any other.
  const message = err.status === 415 ? 'Send a JSON body (Content-Type: application/json)' : err.message;
  return new GatekeeperError('invalid_request', message || 'Bad request');
}

export type GatekeeperApp = ReturnType<typeof createApp>;
