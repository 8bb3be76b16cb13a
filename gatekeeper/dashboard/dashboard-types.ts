import type { Context } from 'hono';
import type { Role } from '../db/members.js';
import type { ExportPackage } from '../deployments/deployment-deps.js';
import type { RouteDeps } from '../http/app-types.js';
import type { GatedPackageScripts } from '../licenses/gated-package.js';
import type { Storage } from '../storage/types.js';
import type { OutboundPolicy } from '../webhooks/address-policy.js';
import type { SignInBackoff } from './sign-in-backoff.js';

/** The signed-in member, read from the session on every request (role afresh from `members`). */
export interface DashboardUser {
  sessionId: string;
  memberId: string;
  orgId: string;
  email: string;
  role: Role;
  csrfToken: string;
}

export type DashboardEnv = { Variables: { user?: DashboardUser; csrf?: string } };
export type DashboardContext = Context<DashboardEnv>;

/** The API's route deps (`clientAddress` also keys the per-address login backoff) and the dashboard's own. */
export interface DashboardDeps extends RouteDeps {
  /** Where the dashboard is mounted, e.g. `/dashboard`. */
  basePath: string;
  /** Session lifetime in milliseconds. */
  sessionTtlMs: number;
  backoff: SignInBackoff;
  /** Content storage: with it the course page offers exports and preview links. */
  storage?: Storage | undefined;
  /** HMAC key of preview links, as the deployment routes sign them. */
  previewSecret?: (() => Promise<Uint8Array>) | undefined;
  /** Injected like the API's: both run the packager's Node streams, which the Workers build leaves out. */
  exportPackage?: ExportPackage | undefined;
  /** Rows a log export reads per page (default 1,000); tests make it small to export many pages. */
  exportPageRows?: number | undefined;
  /** Outbound policy of webhook URLs, as the API's (default: https only). */
  webhooks?: OutboundPolicy | undefined;
  /** The scripts gated packages carry: without them the dashboard offers no gated download. */
  gatedPackages?: GatedPackageScripts | undefined;
}

export function userOf(c: DashboardContext): DashboardUser {
  const user = c.get('user');
  if (!user) throw new Error('page mounted without requireLogin()');
  return user;
}
