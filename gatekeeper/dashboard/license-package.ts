import { Hono } from 'hono';
import { isGatekeeperErrorCode } from '../../protocol/errors.js';
import { GatekeeperError } from '../errors.js';
import type { AppEnv, Principal } from '../routes/context.js';
import type { DashboardDeps, DashboardUser } from './context.js';

/**
 * The gated package of a license, built by the API's own route (`GET /v1/licenses/:id/package`) on
 * behalf of the signed-in member: same permission check, same package, no second implementation.
 */
export function licensePackages(deps: DashboardDeps) {
  const gated = deps.gatedPackages;
  if (!gated)
    return async (): Promise<Response> => {
      throw new GatekeeperError('feature_unavailable', 'This Gatekeeper does not build gated packages');
    };
  const routes = gated({ ...deps, storage: deps.storage });
  type Env = AppEnv & { Bindings: { principal: Principal } };
  const app = new Hono<Env>();
  app.use('*', async (c, next) => {
    c.set('principal', c.env.principal);
    await next();
  });
  app.route('/', routes as unknown as Hono<Env>);
  app.onError((err, c) => {
    if (err instanceof GatekeeperError) return c.json(err.toBody(), err.status);
    throw err;
  });

  return async (user: DashboardUser, licenseId: string, format: string): Promise<Response> => {
    const principal: Principal = {
      keyId: 'dashboard',
      orgId: user.orgId,
      memberId: user.memberId,
      role: user.role,
    };
    const query = new URLSearchParams({ format }).toString();
    const res = await app.request(`/${encodeURIComponent(licenseId)}/package?${query}`, {}, { principal });
    if (res.ok) return res;
    const body = (await res.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
    // The route's own answer, code and all: its status follows from the code.
    throw new GatekeeperError(
      isGatekeeperErrorCode(body.error?.code) ? body.error.code : 'internal_error',
      body.error?.message ?? 'The package could not be built',
    );
  };
}
