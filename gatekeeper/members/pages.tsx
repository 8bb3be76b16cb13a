import { Hono } from 'hono';
import { listApiKeysOf, revokeApiKeyOf } from '../api-keys/service.js';
import { can } from '../auth/permissions.js';
import { randomToken } from '../crypto.js';
import {
  type DashboardContext,
  type DashboardDeps,
  type DashboardEnv,
  userOf,
} from '../dashboard/dashboard-types.js';
import { Csrf, fmtTime, Layout } from '../dashboard/layout.js';
import { render } from '../dashboard/render.js';
import { listMembers, ROLES, type Role } from '../db/members.js';
import { GatekeeperError } from '../errors.js';
import { addMember, changeMemberRole, removeMember } from './service.js';

const roleOf = (v: unknown): Role => ((ROLES as readonly unknown[]).includes(v) ? (v as Role) : 'member');

/**
 * Members and API keys: owners only, checked through the permission matrix on every request. Adding,
 * re-roling and removing members go through the members service, as the API does (the last owner stays).
 */
export function memberPages(deps: DashboardDeps) {
  const app = new Hono<DashboardEnv>();
  const base = deps.basePath;

  app.use('/members', ownerOnly);
  app.use('/members/*', ownerOnly);

  const page = async (c: DashboardContext, created?: { email: string; password: string }) => {
    const user = userOf(c);
    const members = await listMembers(deps.db, user.orgId);
    const emails = new Map(members.map((m) => [m.id, m.email]));
    const keys = await listApiKeysOf(deps, user);
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
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {members.map((m) => (
                <tr>
                  <td data-label="Email">{m.email}</td>
                  <td data-label="Role">{m.role}</td>
                  <td data-label="Password set">{m.passwordHash ? 'yes' : 'no'}</td>
                  <td data-label="Since">{fmtTime(m.createdAt)}</td>
                  <td data-label="Actions">
                    <form
                      class="inline"
                      method="post"
                      action={`${base}/members/${encodeURIComponent(m.id)}/role`}
                    >
                      <Csrf user={user} />
                      <label for={`role-${m.id}`} class="sr-only">
                        Role of {m.email}
                      </label>
                      <select id={`role-${m.id}`} name="role">
                        {ROLES.map((r) => (
                          <option value={r} selected={r === m.role}>
                            {r}
                          </option>
                        ))}
                      </select>
                      <button type="submit" class="secondary">
                        Change role <span class="sr-only">of {m.email}</span>
                      </button>
                    </form>
                    <form
                      class="inline"
                      method="post"
                      action={`${base}/members/${encodeURIComponent(m.id)}/remove`}
                    >
                      <Csrf user={user} />
                      <button type="submit" class="danger">
                        Remove <span class="sr-only">{m.email}</span>
                      </button>
                    </form>
                  </td>
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
    const password = randomToken(12);
    await addMember(deps, user, { email, role: roleOf(body.role), password });
    return page(c, { email, password });
  });

  app.post('/members/:id/role', async (c) => {
    const body = await c.req.parseBody();
    // Not defaulted as on the add form: a role the service does not know is refused, never a demotion.
    await changeMemberRole(deps, userOf(c), { id: c.req.param('id'), role: String(body.role) as Role });
    return c.redirect(`${base}/members`, 303);
  });

  app.post('/members/:id/remove', async (c) => {
    await removeMember(deps, userOf(c), { id: c.req.param('id') });
    return c.redirect(`${base}/members`, 303);
  });

  app.post('/members/keys/:id/revoke', async (c) => {
    await revokeApiKeyOf(deps, userOf(c), c.req.param('id'));
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
