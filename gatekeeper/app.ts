import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { GatekeeperError } from './errors.js';

export interface AppDeps {
  /** Clock, injected so tests control time. */
  now: () => Date;
  config: { publicUrl: string; contentUrl: string };
}

/**
 * Builds the Gatekeeper as a Hono app. No module-level state: everything comes in through `deps`,
 * so tests call `app.request()` on an in-memory setup.
 *
 * @example
 * const app = createApp({ now: () => new Date(), config: { publicUrl, contentUrl } });
 * const res = await app.request('/healthz');
 */
export function createApp(deps: AppDeps) {
  const app = new Hono();

  app.get('/healthz', (c) => c.json({ ok: true, time: deps.now().toISOString() }));

  app.notFound(() => {
    throw new GatekeeperError(404, 'not_found', 'No such route');
  });

  app.onError((err, c) => {
    if (err instanceof GatekeeperError) return c.json(err.toBody(), err.status);
    if (err instanceof HTTPException) {
      const code =
        err.status === 413 ? 'payload_too_large' : err.status === 401 ? 'unauthorized' : 'invalid_request';
      return c.json({ error: { code, message: err.message || 'Bad request' } }, err.status);
    }
    console.error(JSON.stringify({ level: 'error', msg: 'unhandled', error: String(err) }));
    return c.json({ error: { code: 'internal_error', message: 'Internal error' } }, 500);
  });

  return app;
}

export type GatekeeperApp = ReturnType<typeof createApp>;
