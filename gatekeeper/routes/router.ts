import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from './context.js';

/** Every router validates with zod and answers a failure as `400 invalid_request` with the issues. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const issues = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
        const first = issues[0];
        return c.json(
          {
            error: {
              code: 'invalid_request' as const,
              message: first ? `${first.path || 'body'}: ${first.message}` : 'Invalid request',
              details: issues,
            },
          },
          400,
        );
      }
    },
  });
}
