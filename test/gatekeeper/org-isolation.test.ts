import { afterAll, describe, expect, it } from 'vitest';
import { listApiKeys } from '../../gatekeeper/db/api-keys.js';
import { createDeployment } from '../../gatekeeper/db/deployments.js';
import { exportDeployment } from '../../gatekeeper/deployments/export.js';
import { createIngestKeyFor } from '../../gatekeeper/ingest-keys/service.js';
import { createWebhook, sendTestEvent } from '../../gatekeeper/webhooks/service.js';
import { type DbSnapshot, restoreDb, snapshotDb } from '../helpers/db-snapshot.js';
import { tempFsStorage } from '../helpers/fs-storage.js';
import { createTestApp, type TestApp } from '../helpers/gatekeeper.js';
import { postStatements, statement } from './ingest-setup.js';

type Role = 'owner' | 'member';
type Kind = 'id' | 'ref' | 'list' | 'create';

interface Fixture {
  t: TestApp;
  a: Awaited<ReturnType<TestApp['org']>>;
  b: Awaited<ReturnType<TestApp['org']>>;
  ids: {
    member: string;
    key: string;
    course: string;
    license: string;
    deployment: string;
    staged: string;
    preview: string;
    ingestKey: string;
    session: string;
    webhook: string;
    webhookEvent: string;
  };
}

/**
 * Every org-scoped route, with the roles that may call it (docs/gatekeeper.md, permission matrix), how it
 * touches org A's data, and a valid body. A route the app serves but this table lacks fails the test.
 */
const ROUTES: Record<string, { roles: Role[]; kind: Kind; body?: (f: Fixture) => unknown; query?: string }> =
  {
    'GET /v1/org': { roles: ['owner', 'member'], kind: 'list' },
    'GET /v1/members': { roles: ['owner', 'member'], kind: 'list' },
    'POST /v1/members': {
      roles: ['owner'],
      kind: 'create',
      body: () => ({ email: `new-${Math.random()}@x.test`, role: 'member' }),
    },
    'PATCH /v1/members/:id': { roles: ['owner'], kind: 'id', body: () => ({ role: 'member' }) },
    'DELETE /v1/members/:id': { roles: ['owner'], kind: 'id' },
    'GET /v1/keys': { roles: ['owner', 'member'], kind: 'list' },
    'POST /v1/keys': { roles: ['owner'], kind: 'ref', body: (f) => ({ name: 'ci', memberId: f.ids.member }) },
    'DELETE /v1/keys/:id': { roles: ['owner'], kind: 'id' },
    'POST /v1/courses': {
      roles: ['owner', 'member'],
      kind: 'create',
      body: () => ({ slug: 'fresh', title: 'F' }),
    },
    'GET /v1/courses': { roles: ['owner', 'member'], kind: 'list' },
    'GET /v1/courses/:id': { roles: ['owner', 'member'], kind: 'id' },
    'POST /v1/licenses': {
      roles: ['owner', 'member'],
      kind: 'ref',
      body: (f) => ({ courseId: f.ids.course, clientName: 'Client' }),
    },
    'GET /v1/licenses': { roles: ['owner', 'member'], kind: 'list' },
    'GET /v1/licenses/:id': { roles: ['owner', 'member'], kind: 'id' },
    'POST /v1/licenses/:id/revoke': { roles: ['owner'], kind: 'id', body: () => ({}) },
    'POST /v1/licenses/:id/unrevoke': { roles: ['owner'], kind: 'id', body: () => ({}) },
    'POST /v1/licenses/:id/extend': {
      roles: ['owner', 'member'],
      kind: 'id',
      body: () => ({ expiresAt: '2030-01-01T00:00:00Z' }),
    },
    'POST /v1/licenses/:id/reissue': { roles: ['owner', 'member'], kind: 'id', body: () => ({}) },
    'POST /v1/courses/:id/deployments': {
      roles: ['owner', 'member'],
      kind: 'id',
      body: () => ({ entry: 'index.html', files: [{ path: 'index.html', sha256: 'b'.repeat(64), size: 2 }] }),
    },
    'GET /v1/courses/:id/deployments': { roles: ['owner', 'member'], kind: 'id' },
    'POST /v1/courses/:id/promote': {
      roles: ['owner', 'member'],
      kind: 'id',
      body: (f) => ({ deployment: f.ids.staged, reason: 'ready', expectedLive: f.ids.deployment }),
    },
    'POST /v1/courses/:id/rollback': {
      roles: ['owner', 'member'],
      kind: 'id',
      body: (f) => ({ to: f.ids.staged, reason: 'broken', expectedLive: f.ids.deployment }),
    },
    'GET /v1/courses/:id/history': { roles: ['owner', 'member'], kind: 'id' },
    'GET /v1/courses/:id/forwarding': { roles: ['owner'], kind: 'id' },
    'PUT /v1/courses/:id/forwarding': {
      roles: ['owner'],
      kind: 'id',
      body: () => ({ endpoint: 'https://lrs.example.com/xapi', username: 'cg', password: 'secret' }),
    },
    'DELETE /v1/courses/:id/forwarding': { roles: ['owner'], kind: 'id' },
    'GET /v1/courses/:id/channels': { roles: ['owner', 'member'], kind: 'id' },
    'POST /v1/courses/:id/channels': { roles: ['owner'], kind: 'id', body: () => ({ name: 'q3' }) },
    'DELETE /v1/courses/:id/channels/:name': { roles: ['owner'], kind: 'id' },
    'POST /v1/courses/:id/channels/:name/previews': {
      roles: ['owner', 'member'],
      kind: 'id',
      body: () => ({}),
    },
    'POST /v1/licenses/:id/follow': {
      roles: ['owner', 'member'],
      kind: 'id',
      body: () => ({ channel: 'beta', reason: 'pilot' }),
    },
    'GET /v1/courses/:id/export': { roles: ['owner', 'member'], kind: 'id', query: '?format=scorm12' },
    'GET /v1/deployments/:id': { roles: ['owner', 'member'], kind: 'id' },
    'POST /v1/deployments/:id/finalize': { roles: ['owner', 'member'], kind: 'id' },
    'POST /v1/deployments/:id/previews': { roles: ['owner', 'member'], kind: 'id', body: () => ({}) },
    'DELETE /v1/previews/:id': { roles: ['owner', 'member'], kind: 'id' },
    'GET /v1/courses/:id/launches': { roles: ['owner', 'member'], kind: 'id' },
    'GET /v1/courses/:id/errors': { roles: ['owner', 'member'], kind: 'id' },
    'GET /v1/courses/:id/completions': { roles: ['owner', 'member'], kind: 'id' },
    'GET /v1/licenses/:id/package': { roles: ['owner', 'member'], kind: 'id' },
    'GET /v1/courses/:id/ingest-keys': { roles: ['owner'], kind: 'id' },
    'POST /v1/courses/:id/ingest-keys': { roles: ['owner'], kind: 'id', body: () => ({ name: 'p' }) },
    'DELETE /v1/courses/:id/ingest-keys/:keyId': { roles: ['owner'], kind: 'id' },
    'GET /xapi/statements': { roles: ['owner', 'member'], kind: 'list' },
    'GET /v1/webhooks': { roles: ['owner'], kind: 'list' },
    'POST /v1/webhooks': {
      roles: ['owner'],
      kind: 'create',
      body: () => ({ url: 'https://hooks.example.com/b', events: ['*'] }),
    },
    'DELETE /v1/webhooks/:id': { roles: ['owner'], kind: 'id' },
    'POST /v1/webhooks/:id/rotate': { roles: ['owner'], kind: 'id', body: () => ({}) },
    'POST /v1/webhooks/:id/test': { roles: ['owner'], kind: 'id', body: () => ({}) },
    'GET /v1/webhooks/:id/deliveries': { roles: ['owner'], kind: 'id' },
    'POST /v1/webhooks/:id/deliveries/:eventId/redeliver': { roles: ['owner'], kind: 'id', body: () => ({}) },
  };

/** The live deployment's one file, which the export reads (and a promote or rollback may delete). */
function putLiveFile(t: TestApp, course: string, deployment: string) {
  return t.storage?.put(`courses/${course}/${deployment}/index.html`, 'x');
}

async function fixture(): Promise<Fixture> {
  // Shared by every test of the file, like the fixture.
  const storage = await tempFsStorage({ onDone: (remove) => removals.push(remove) });
  const t = await createTestApp({ storage, exportPackage: exportDeployment });
  const a = await t.org('Org A');
  const b = await t.org('Org B');
  const { course, deployment } = await t.liveCourse(a.org.id, 'a-course');
  await putLiveFile(t, course.id, deployment.id);
  const staged = await createDeployment(t.db, {
    orgId: a.org.id,
    courseId: course.id,
    entry: 'index.html',
    files: [],
    now: t.clock.now.getTime(),
  });
  // A named channel holding the live deployment: what the channel routes name as `:name`.
  await t.call('POST', `/v1/courses/${course.id}/channels`, { key: a.owner.key, body: { name: 'beta' } });
  await t.call('POST', `/v1/courses/${course.id}/promote`, {
    key: a.owner.key,
    body: { channel: 'beta', deployment: deployment.id, reason: 'pilot', expectedLive: null },
  });
  // An LRS target, so reading and clearing it are allowed (nothing is sent: no outbox tick runs here).
  await t.call('PUT', `/v1/courses/${course.id}/forwarding`, {
    key: a.owner.key,
    body: { endpoint: 'https://lrs.example.com/xapi', username: 'cg', password: 'secret' },
  });
  const pv = await t.call('POST', `/v1/deployments/${deployment.id}/previews`, {
    key: a.owner.key,
    body: {},
  });
  const preview = ((await pv.json()) as { id: string }).id;
  const lic = await t.call('POST', '/v1/licenses', {
    key: a.owner.key,
    body: { courseId: course.id, clientName: 'A client' },
  });
  const issued = (await lic.json()) as { license: { id: string }; token: string };
  const license = issued.license.id;
  const licToken = issued.token;
  const key = (await listApiKeys(t.db, a.org.id)).find((k) => k.memberId === a.member.member.id)!.id;
  const ingestKey = (
    await createIngestKeyFor(
      { db: t.db, now: () => t.clock.now },
      { orgId: a.org.id, memberId: a.owner.member.id },
      { course: course.id },
    )
  ).row.id;
  // One stored statement of org A, so the statements listing has something of A's to leak.
  const launched = await t.call('POST', '/v1/launch', { body: { token: licToken, standard: 'scorm12' } });
  const session = ((await launched.json()) as { session: { id: string; token: string } }).session;
  const stored = await postStatements(t, session.token, [statement(session.id)]);
  expect(stored.status).toBe(200);
  const webhookDeps = { db: t.db, now: () => t.clock.now, policy: { allowHttpLoopback: false } };
  const owner = { orgId: a.org.id, memberId: a.owner.member.id };
  const webhook = (
    await createWebhook(webhookDeps, owner, { url: 'https://hooks.example.com/a', events: ['*'] })
  ).row.id;
  const webhookEvent = await sendTestEvent(webhookDeps, owner, webhook);
  return {
    t,
    a,
    b,
    ids: {
      member: a.member.member.id,
      key,
      course: course.id,
      license,
      deployment: deployment.id,
      staged: staged.id,
      preview,
      ingestKey,
      session: session.id,
      webhook,
      webhookEvent,
    },
  };
}

const removals: (() => void)[] = [];
afterAll(() => {
  for (const remove of removals) remove();
});

let made: Promise<{ f: Fixture; snapshot: DbSnapshot }> | undefined;

/**
 * The fixture, made once per file through the services and the API (two dozen round trips, ~1-2 s each
 * time on the Worker under Miniflare); every later test first puts the database back to the rows it
 * left (and the live file back in storage), so each probe still meets org A and B exactly as the
 * fixture made them, whatever the probe before it deleted, revoked or created.
 */
async function freshFixture(): Promise<Fixture> {
  if (!made) {
    made = fixture().then(async (f) => ({ f, snapshot: await snapshotDb(f.t.db) }));
    return (await made).f;
  }
  const { f, snapshot } = await made;
  await restoreDb(f.t.db, snapshot);
  await putLiveFile(f.t, f.ids.course, f.ids.deployment);
  return f;
}

/**
 * The org-scoped routes as the app's router knows them: every /v1 route except the public launch, and
 * the API-key side of the LRS (`GET /xapi/statements`; its writes take a session token).
 */
function orgScopedRoutes(t: TestApp): string[] {
  const seen = new Set<string>();
  for (const r of t.app.routes) {
    const apiKeyRoute = r.path.startsWith('/v1/') || (r.path.startsWith('/xapi/') && r.method === 'GET');
    if (r.method === 'ALL' || !apiKeyRoute || r.path.startsWith('/v1/launch')) continue;
    // Telemetry ingest takes a session token, like launch takes a license token: not org-scoped.
    if (r.path.startsWith('/v1/errors')) continue;
    if (r.path.startsWith('/v1/sessions/report')) continue;
    seen.add(`${r.method} ${r.path}`);
  }
  return [...seen].sort();
}

function concretePath(route: string, f: Fixture): [string, string] {
  const [method, path] = route.split(' ') as [string, string];
  const resource = path.split('/')[2] as
    | 'members'
    | 'keys'
    | 'courses'
    | 'licenses'
    | 'deployments'
    | 'previews'
    | 'webhooks';
  const id = {
    members: f.ids.member,
    keys: f.ids.key,
    courses: f.ids.course,
    licenses: f.ids.license,
    deployments: f.ids.deployment,
    previews: f.ids.preview,
    webhooks: f.ids.webhook,
  }[resource];
  const concrete = path
    .replace(':id', id)
    .replace(':keyId', f.ids.ingestKey)
    .replace(':name', 'beta')
    .replace(':eventId', f.ids.webhookEvent);
  return [method, concrete + (ROUTES[route]?.query ?? '')];
}

describe('org isolation, over every org-scoped route of the router', () => {
  it('the table covers exactly the routes the app serves', async () => {
    const f = await freshFixture();
    expect(orgScopedRoutes(f.t)).toEqual(Object.keys(ROUTES).sort());
  });

  it("answers 401 without a key, and 404 (or nothing of A's) to org B's owner key on org A's resources", async () => {
    const f = await freshFixture();
    const aIds = [f.a.org.id, ...Object.values(f.ids)];
    for (const route of orgScopedRoutes(f.t)) {
      const spec = ROUTES[route]!;
      const [method, path] = concretePath(route, f);
      const body = spec.body?.(f);
      const anonymous = await f.t.call(method, path, { body });
      expect([route, anonymous.status], route).toEqual([route, 401]);
      expect(((await anonymous.json()) as { error: { code: string } }).error.code).toBe('unauthorized');

      const res = await f.t.call(method, path, { key: f.b.owner.key, body });
      const text = await res.text();
      if (spec.kind === 'id' || spec.kind === 'ref') {
        expect([route, res.status], text).toEqual([route, 404]);
        // What the path names is missing in B's organisation; the route itself exists.
        expect(JSON.parse(text).error.code).toMatch(/^(?!route_)[a-z_]+_not_found$/);
      } else {
        expect(res.status, `${route}: ${text}`).toBeLessThan(300);
        for (const id of aIds) expect(text, route).not.toContain(id);
      }
    }
    // And org A's data is untouched by all of that.
    const license = await f.t.call('GET', `/v1/licenses/${f.ids.license}`, { key: f.a.owner.key });
    expect(
      ((await license.json()) as { license: { status: string; expiresAt: null } }).license,
    ).toMatchObject({
      status: 'active',
      expiresAt: null,
    });
    const members = await f.t.call('GET', '/v1/members', { key: f.a.owner.key });
    expect(((await members.json()) as { members: unknown[] }).members).toHaveLength(2);
  });

  it('a revoked API key is refused with 401', async () => {
    const f = await freshFixture();
    const res = await f.t.call('DELETE', `/v1/keys/${f.ids.key}`, { key: f.a.owner.key });
    expect(res.status).toBe(200);
    expect((await f.t.call('GET', '/v1/org', { key: f.a.member.key })).status).toBe(401);
    const keys = await f.t.call('GET', '/v1/keys', { key: f.a.owner.key });
    const listed = ((await keys.json()) as { keys: { id: string; lastUsedAt: string | null }[] }).keys;
    expect(JSON.stringify(listed)).not.toMatch(/"hash"/);
    expect(listed.find((k) => k.id !== f.ids.key)?.lastUsedAt).not.toBeNull();
  });
});

describe('role matrix: every route × role', () => {
  for (const [route, spec] of Object.entries(ROUTES)) {
    for (const role of ['owner', 'member'] as const) {
      const allowed = spec.roles.includes(role);
      it(`${route} as ${role} → ${allowed ? 'allowed' : '403 forbidden'}`, async () => {
        const f = await freshFixture();
        const [method, path] = concretePath(route, f);
        const res = await f.t.call(method, path, { key: f.a[role].key, body: spec.body?.(f) });
        const text = await res.text();
        if (allowed) expect(res.status, text).toBeLessThan(300);
        else expect([res.status, JSON.parse(text).error.code]).toEqual([403, 'forbidden']);
      });
    }
  }
});
