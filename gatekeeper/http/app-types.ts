import type { Context } from 'hono';
import type { Database } from '../db/database.js';
import type { Role } from '../db/members.js';
import type { Logger } from '../logger.js';
import type { TokenService } from '../tokens.js';
import type { RateLimiter } from './rate-limit.js';

/** Who is calling: every org-scoped query takes `orgId` from here, never from the request. */
export interface Principal {
  keyId: string;
  orgId: string;
  memberId: string;
  role: Role;
}

export type AppEnv = { Variables: { principal?: Principal } };

export interface AppConfig {
  /** The API origin; the `iss` of every token. */
  publicUrl: string;
  /** Base URL of the shared content origin: courses deployed before each org got its own (gatekeeper/orgs/content-url.ts). */
  contentUrl: string;
  /** Each org's content origin, `{org}` standing for its host label; absent, orgs without a URL of their own share `contentUrl`. */
  orgContentUrl?: string | undefined;
  /** Lifetime of session tokens, at most 24 h. */
  sessionTtlSeconds?: number;
}

/** What route modules get from `createApp`. */
export interface RouteDeps {
  db: Database;
  tokens: TokenService;
  now: () => Date;
  config: AppConfig;
  limits: { perLicense: RateLimiter; perAddress: RateLimiter; perSession: RateLimiter };
  clientAddress: (c: Context) => string;
  logger: Logger;
}

/** The principal set by `authenticate`; only reachable on routes mounted behind it. */
export function principalOf(c: Context<AppEnv>): Principal {
  const p = c.get('principal');
  if (!p) throw new Error('route mounted without authenticate()');
  return p;
}
