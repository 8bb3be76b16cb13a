import { Hono } from 'hono';
import { can } from '../auth/permissions.js';
import { hashPassword, randomToken } from '../crypto.js';
import { getApiKey, listApiKeys, revokeApiKey } from '../db/api-keys.js';
import { createMember, findMemberByEmail, listMembers, ROLES, type Role } from '../db/members.js';
import { refusingDuplicate } from '../db/unique-violation.js';
import { GatekeeperError } from '../errors.js';
import { type DashboardContext, type DashboardDeps, type DashboardEnv, userOf } from './context.js';
import { Csrf, fmtTime, Layout } from './layout.js';
import { render } from './render.js';

/** Members and API keys: owners only, checked through the permission matrix on every request. */
export function memberRoutes(deps: DashboardDeps) {
  const app = new Hono<DashboardEnv>();
  const base = deps.basePath;

  app.use('/members', ownerOnly);
  app.use('/members/*', ownerOnly);

  const page = async (c: DashboardContext, created?: { email: string; password: string }) => {
    const user = userOf(c);
    const members = await listMembers(deps.db, user.orgId);
    const emails = new Map(members.map((m) => [m.id, m.email]));
    const keys = await listApiKeys(deps.db, user.orgId);
    return render(
      c,
      <Layout
        base={base}
        title="Members & API keys"
        user={user}
        flash={created ? { kind: 'info', text: `Added ${created.email}.` } : undefined}
      >
        {created && (
          <div class="card">
            <p>
              One-time password for <strong>{created.email}</strong> (shown only now; they change it under
              Account):
            </p>
            <code class="token" id="one-time-password">
              {created.password}
            </code>
          </div>
        )}
        <h2>Members</h2>
        <section class="table-wrap" tabindex={0} aria-label="Members">
          <table class="responsive">
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Password set</th>
                <th scope="col">Since</th>
              </tr>
            </thead>
            <tbody>
              {members.map((m) => (
                <tr>
                  <td data-label="Email">{m.email}</td>
                  <td data-label="Role">{m.role}</td>
                  <td data-label="Password set">{m.passwordHash ? 'yes' : 'no'}</td>
                  <td data-label="Since">{fmtTime(m.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <form class="inline card" method="post" action={`${base}/members`}>
          <Csrf user={user} />
          <div>
            <label for="new-email">Email</label>
            <input id="new-email" name="email" type="email" required maxlength={254} />
          </div>
          <div>
            <label for="new-role">Role</label>
            <select id="new-role" name="role">
              <option value="member">member</option>
              <option value="owner">owner</option>
            </select>
          </div>
          <button type="submit">Add member</button>
        </form>
        <h2>API keys</h2>
        <section class="table-wrap" tabindex={0} aria-label="API keys">
          <table class="responsive">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Prefix</th>
                <th scope="col">Member</th>
                <th scope="col">Last used</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {keys.map((k) => (
                <tr>
                  <td data-label="Name">{k.name}</td>
                  <td data-label="Prefix">
                    <code>{k.prefix}…</code>
                  </td>
                  <td data-label="Member">{emails.get(k.memberId) ?? k.memberId}</td>
                  <td data-label="Last used">{fmtTime(k.lastUsedAt)}</td>
                  <td data-label="Status">
                    {k.revokedAt ? (
                      <span class="status-revoked">revoked {fmtTime(k.revokedAt)}</span>
                    ) : (
                      <form
                        class="inline"
                        method="post"
                        action={`${base}/members/keys/${encodeURIComponent(k.id)}/revoke`}
                      >
                        <Csrf user={user} />
                        <button type="submit" class="danger">
                          Revoke <span class="sr-only">{k.name}</span>
                        </button>
                      </form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <p>
          Create keys with <code>coursegate keys create</code>; the secret is shown once.
        </p>
      </Layout>,
    );
  };

  app.get('/members', (c) => page(c));

  app.post('/members', async (c) => {
    const user = userOf(c);
    const body = await c.req.parseBody();
    const email = typeof body.email === 'string' ? body.email.trim().toLowerCase() : '';
    const role = (ROLES as readonly string[]).includes(String(body.role)) ? (body.role as Role) : 'member';
    if (!/^[^\s@]+@[^\s@]+$/.test(email) || email.length > 254)
      throw new GatekeeperError('invalid_request', 'Give a valid email address');
    const exists = () => new GatekeeperError('member_exists', 'That email already belongs to a member');
    if (await findMemberByEmail(deps.db, email)) throw exists();
    const password = randomToken(12);
    const passwordHash = await hashPassword(password);
    await refusingDuplicate(
      createMember(deps.db, { orgId: user.orgId, email, role, passwordHash, now: deps.now().getTime() }),
      exists,
    );
    return page(c, { email, password });
  });

  app.post('/members/keys/:id/revoke', async (c) => {
    const user = userOf(c);
    // As on the API: another org's key id is not found, rather than silently left alone.
    if (!(await getApiKey(deps.db, user.orgId, c.req.param('id'))))
      throw new GatekeeperError('api_key_not_found', 'No such API key');
    await revokeApiKey(deps.db, user.orgId, c.req.param('id'), deps.now().getTime());
    return c.redirect(`${base}/members`, 303);
  });

  return app;
}

async function ownerOnly(c: DashboardContext, next: () => Promise<void>) {
  const role = userOf(c).role;
  if (!can(role, 'members:write') || !can(role, 'keys:write'))
    throw new GatekeeperError('forbidden', 'Only owners may manage members and API keys');
  await next();
}
