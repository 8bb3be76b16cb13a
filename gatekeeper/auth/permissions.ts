import type { MiddlewareHandler } from 'hono';
import type { Role } from '../db/members.js';
import { GatekeeperError } from '../errors.js';
import type { AppEnv } from '../http/app-types.js';

/**
 * The permission matrix: the one place that says which role may do what (docs/gatekeeper.md mirrors it).
 * Every org-scoped route names its action through `requireRole`.
 */
export const PERMISSIONS = {
  'org:read': ['owner', 'member'],
  'members:read': ['owner', 'member'],
  'members:write': ['owner'],
  'keys:read': ['owner', 'member'],
  'keys:write': ['owner'],
  'courses:read': ['owner', 'member'],
  'courses:write': ['owner', 'member'],
  'licenses:read': ['owner', 'member'],
  'licenses:write': ['owner', 'member'],
  'licenses:revoke': ['owner'],
  'deployments:read': ['owner', 'member'],
  'deployments:write': ['owner', 'member'],
  'deployments:promote': ['owner', 'member'],
  'channels:write': ['owner'],
  'statements:read': ['owner', 'member'],
  'logs:read': ['owner', 'member'],
  'licenses:package': ['owner', 'member'],
  'ingest-keys:read': ['owner'],
  'ingest-keys:write': ['owner'],
  'webhooks:read': ['owner'],
  'webhooks:write': ['owner'],
  'forwarding:read': ['owner'],
  'forwarding:write': ['owner'],
} as const satisfies Record<string, readonly Role[]>;

export type Action = keyof typeof PERMISSIONS;

export function can(role: Role, action: Action): boolean {
  return (PERMISSIONS[action] as readonly Role[]).includes(role);
}

/** Refuses (`forbidden`) a role that may not perform `action`: the API's and the dashboard's words. */
export function assertCan(role: Role, action: Action): void {
  if (!can(role, action)) throw new GatekeeperError('forbidden', `Your role (${role}) may not ${action}`);
}

/** Lets the request through only when the authenticated principal's role may perform `action`. */
export function requireRole(action: Action): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = c.get('principal');
    if (!principal) throw new GatekeeperError('unauthorized', 'An API key is required');
    assertCan(principal.role, action);
    await next();
  };
}
