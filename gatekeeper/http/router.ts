import { OpenAPIHono } from '@hono/zod-openapi';
import { GatekeeperError } from '../errors.js';
import type { AppEnv } from './app-types.js';

/** Every router validates with zod and answers a failure as `400 invalid_request` with the issues. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const issues = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
        const first = issues[0];
        const err = new GatekeeperError(
          'invalid_request',
          first ? `${first.path || 'body'}: ${first.message}` : 'Invalid request',
          issues,
        );
        return c.json(err.toBody(), err.status);
      }
    },
  });
}
