import { createHmac } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, SignJWT } from 'jose';
import { beforeEach, describe, expect, it } from 'vitest';
import { listLaunchEvents } from '../../gatekeeper/db/launch-events.js';
import { insertLicenseStatement, newLicenseRow } from '../../gatekeeper/db/licenses.js';
import { getSession, insertSessionStatement, type Session } from '../../gatekeeper/db/sessions.js';
import { createTokenService } from '../../gatekeeper/tokens.js';
import { createTestApp, TEST_PUBLIC_URL, type TestApp, testOrgOrigin } from '../helpers/gatekeeper.js';
import { onWorker } from '../helpers/worker-target.js';
import { statement } from './ingest-setup.js';

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

interface Setup {
  t: TestApp;
  ownerKey: string;
  orgId: string;
  courseId: string;
  deploymentId: string;
}

async function setup(): Promise<Setup> {
  const t = await createTestApp();
  const a = await t.org('Acme');
  const { course, deployment } = await t.liveCourse(a.org.id, 'intro', 'start/index.html');
  return { t, ownerKey: a.owner.key, orgId: a.org.id, courseId: course.id, deploymentId: deployment.id };
}

async function issue(s: Setup, body: Record<string, unknown> = {}) {
  const res = await s.t.call('POST', '/v1/licenses', {
    key: s.ownerKey,
    body: { courseId: s.courseId, clientName: 'Client LMS', ...body },
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { license: { id: string }; token: string };
}

/** Either shape of a launch answer; each test reads the side it expects. */
interface LaunchAnswer {
  error: { code: string; message: string };
  session: { id: string; token: string; expiresAt: string };
  contentUrl: string;
}

async function launch(t: TestApp, token: string, origin?: string) {
  const res = await t.call('POST', '/v1/launch', {
    body: { token, standard: 'scorm12' },
    ...(origin ? { headers: { origin } } : {}),
  });
  return { status: res.status, body: (await res.json()) as LaunchAnswer, headers: res.headers };
}

/** The session row a launched session token carries, as the Gatekeeper verifies it. */
async function sessionRowOf(s: Setup, sessionToken: string): Promise<Session> {
  const tokens = createTokenService({ keys: s.t.keys, issuer: TEST_PUBLIC_URL, now: () => s.t.clock.now });
  const verified = tokens.verifySessionToken(sessionToken, s.t.clock.now.getTime());
  if (!verified?.session) throw new Error('not a session token carrying its row');
  return verified.session;
}

async function lastEvent(t: TestApp) {
  const events = await listLaunchEvents(t.db);
  return events[events.length - 1];
}

/** Signs a token with the Gatekeeper's real active private key, with any claims the test wants. */
async function signWithRealKey(
  t: TestApp,
  claims: Record<string, unknown>,
  header: Record<string, unknown> = {},
) {
  const active = t.keys.list()[0]!;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'EdDSA', kid: active.kid, ...header })
    .sign(await importJWK(active.privateJwk, 'EdDSA'));
}

function goodClaims(s: Setup, licenseId: string, jti: string) {
  return {
    iss: TEST_PUBLIC_URL,
    aud: 'coursegate:launch',
    sub: licenseId,
    org: s.orgId,
    course: s.courseId,
    jti,
    iat: 1,
  };
}

async function currentJti(token: string) {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).jti as string;
}

describe('POST /v1/launch: allowed', () => {
  it('returns an anonymous session and the live content URL, and records the launch', async () => {
    const s = await setup();
    const { token, license } = await issue(s);
    const r = await launch(s.t, token);
    expect(r.status).toBe(200);
    expect(r.body.contentUrl).toBe(
      `${testOrgOrigin(s.orgId)}/courses/${s.courseId}/${s.deploymentId}/start/index.html`,
    );
    expect(r.body.session.id).toMatch(/^ses_/);
    expect(Date.parse(r.body.session.expiresAt) - s.t.clock.now.getTime()).toBeLessThanOrEqual(
      24 * 3600 * 1000,
    );
    const tokens = createTokenService({ keys: s.t.keys, issuer: TEST_PUBLIC_URL, now: () => s.t.clock.now });
    const claims = tokens.verifySessionToken(r.body.session.token, s.t.clock.now.getTime());
    expect(claims).toMatchObject({
      sessionId: r.body.session.id,
      licenseId: license.id,
      courseId: s.courseId,
    });
    const header = JSON.parse(Buffer.from(r.body.session.token.split('.')[0]!, 'base64url').toString());
    expect(header.alg).toBe('HS256');
    expect(await lastEvent(s.t)).toMatchObject({
      allowed: true,
      reason: 'ok',
      licenseId: license.id,
      sessionId: r.body.session.id,
    });
    // The launch writes its event only; the session's row is written from its token by its first
    // request, as many first requests at once as the runtime's outbox sends.
    expect(await getSession(s.t.db, r.body.session.id)).toBeUndefined();
    const auth = { authorization: `Bearer ${r.body.session.token}`, 'x-experience-api-version': '1.0.3' };
    const firsts = await Promise.all(
      [0, 1, 2].map(() =>
        s.t.call('POST', '/xapi/statements', { body: statement(r.body.session.id), headers: auth }),
      ),
    );
    expect(firsts.map((f) => f.status)).toEqual([200, 200, 200]);
    expect(await getSession(s.t.db, r.body.session.id)).toEqual({
      id: r.body.session.id,
      orgId: s.orgId,
      licenseId: license.id,
      courseId: s.courseId,
      deploymentId: s.deploymentId,
      standard: 'scorm12',
      createdAt: s.t.clock.now.getTime(),
      expiresAt: Date.parse(r.body.session.expiresAt),
    });
    expect(r.headers.get('access-control-allow-origin')).toBe('*');
    expect(r.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('accepts a session token without the row in it only while its row exists; a forged one writes nothing', async () => {
    const s = await setup();
    const { token, license } = await issue(s);
    const launched = (await launch(s.t, token)).body.session;
    const auth = (bearer: string) => ({
      authorization: `Bearer ${bearer}`,
      'x-experience-api-version': '1.0.3',
    });
    const send = (bearer: string, id: string) =>
      s.t.call('POST', '/xapi/statements', { body: statement(id), headers: auth(bearer) });
    // As the Gatekeeper signed them before tokens carried the row: the launch wrote the row instead.
    const id = 'ses_0000000000000000before';
    const h = b64({ alg: 'HS256', typ: 'JWT' });
    const p = b64({
      iss: TEST_PUBLIC_URL,
      aud: 'coursegate:ingest',
      sub: id,
      course: s.courseId,
      license: license.id,
      exp: Math.floor(s.t.clock.now.getTime() / 1000) + 3600,
    });
    const old = `${h}.${p}.${createHmac('sha256', s.t.keys.sessionSecret).update(`${h}.${p}`).digest('base64url')}`;
    expect((await send(old, id)).status).toBe(401);
    expect(await getSession(s.t.db, id)).toBeUndefined();
    const row = { ...(await sessionRowOf(s, launched.token)), id };
    await s.t.db.batch([insertSessionStatement(s.t.db, row)]);
    expect((await send(old, id)).status).toBe(200);
    // A launched token with its payload changed (another session id) fails its HMAC: no row appears.
    const [head, payload, sig] = launched.token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = `${head}.${b64({ ...claims, sub: 'ses_0000000000000000forged' })}.${sig}`;
    expect((await send(forged, 'ses_0000000000000000forged')).status).toBe(401);
    expect(await getSession(s.t.db, 'ses_0000000000000000forged')).toBeUndefined();
  });

  it('sends CORS headers on refusals too, so the stub can read the code', async () => {
    const s = await setup();
    const r = await launch(s.t, 'a.b.c', 'https://lms.example');
    expect(r.status).toBe(403);
    expect(r.headers.get('access-control-allow-origin')).toBe('*');
    const bad = await s.t.request('/v1/launch', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{',
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('answers the CORS preflight from any origin without credentials', async () => {
    const s = await setup();
    const res = await s.t.request('/v1/launch', {
      method: 'OPTIONS',
      headers: {
        origin: 'https://lms.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
  });

  // A Worker's keys are a secret rotated by redeploying (gatekeeper/keys/env-key-store.ts), not at run time.
  it.skipIf(onWorker)(
    'keeps verifying tokens signed by a retired key after rotation, and new tokens use the new key',
    async () => {
      const s = await setup();
      const { token, license } = await issue(s);
      const oldKid = s.t.keys.list()[0]!.kid;
      await s.t.keys.rotate(Date.now());
      expect((await launch(s.t, token)).status).toBe(200);
      const fresh = await s.t.call('GET', `/v1/licenses/${license.id}`, { key: s.ownerKey });
      const freshToken = ((await fresh.json()) as { token: string }).token;
      expect(JSON.parse(Buffer.from(freshToken.split('.')[0]!, 'base64url').toString()).kid).not.toBe(oldKid);
      expect((await launch(s.t, freshToken)).status).toBe(200);
      // Forgetting the retired key clears the memo: its tokens stop working at once.
      await s.t.keys.remove(oldKid);
      const r = await launch(s.t, token);
      expect(r.body.error.code).toBe('token_invalid');
      expect(await lastEvent(s.t)).toMatchObject({ reason: 'token_invalid', detail: 'kid' });
    },
  );
});

describe('POST /v1/launch: token attack matrix', () => {
  let s: Setup;
  let valid: { license: { id: string }; token: string };
  beforeEach(async () => {
    s = await setup();
    valid = await issue(s);
  });

  const forged: [string, (s: Setup, lic: string, jti: string, token: string) => Promise<string>, string][] = [
    [
      'alg: none',
      async (s, lic, jti) => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(goodClaims(s, lic, jti))}.`,
      'alg',
    ],
    [
      'HS256 signed with the public key',
      async (s, lic, jti) => {
        const pub = s.t.keys.list()[0]!;
        const input = `${b64({ alg: 'HS256', typ: 'JWT', kid: pub.kid })}.${b64(goodClaims(s, lic, jti))}`;
        const secret = Buffer.from(pub.publicJwk.x as string, 'base64url');
        return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
      },
      'alg',
    ],
    [
      'unknown kid',
      async (s, lic, jti) => signWithRealKey(s.t, goodClaims(s, lic, jti), { kid: 'no-such-key' }),
      'kid',
    ],
    [
      'wrong iss',
      async (s, lic, jti) =>
        signWithRealKey(s.t, { ...goodClaims(s, lic, jti), iss: 'https://evil.example' }),
      'iss',
    ],
    [
      'wrong aud',
      async (s, lic, jti) => signWithRealKey(s.t, { ...goodClaims(s, lic, jti), aud: 'coursegate:ingest' }),
      'aud',
    ],
    [
      'payload tampered after signing',
      async (_s, _lic, _jti, token) => {
        const [h, p, sig] = token.split('.');
        const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
        return `${h}.${b64({ ...claims, course: 'crs_other' })}.${sig}`;
      },
      'signature',
    ],
    [
      'signed by another key pair under the real kid',
      async (s, lic, jti) => {
        const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
        return new SignJWT(goodClaims(s, lic, jti))
          .setProtectedHeader({ alg: 'EdDSA', kid: s.t.keys.list()[0]!.kid })
          .sign(privateKey);
      },
      'signature',
    ],
    [
      'signed by another Gatekeeper (its own kid)',
      async (s, lic, jti) => {
        const { privateKey, publicKey } = await generateKeyPair('EdDSA', {
          crv: 'Ed25519',
          extractable: true,
        });
        const kid = ((await exportJWK(publicKey)).x as string).slice(0, 20);
        return new SignJWT(goodClaims(s, lic, jti))
          .setProtectedHeader({ alg: 'EdDSA', kid })
          .sign(privateKey);
      },
      'kid',
    ],
    ['not a JWT at all', async () => 'hello.world', 'malformed'],
  ];

  for (const [name, make, detail] of forged) {
    it(`refuses ${name} with token_invalid`, async () => {
      const jti = await currentJti(valid.token);
      const token = await make(s, valid.license.id, jti, valid.token);
      const r = await launch(s.t, token);
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe('token_invalid');
      expect(await lastEvent(s.t)).toMatchObject({ allowed: false, reason: 'token_invalid', detail });
      // The genuine token still works: nothing about the attack poisoned the verifier.
      expect((await launch(s.t, valid.token)).status).toBe(200);
    });
  }

  it('refuses a revoked license with license_revoked', async () => {
    await s.t.call('POST', `/v1/licenses/${valid.license.id}/revoke`, { key: s.ownerKey, body: {} });
    const r = await launch(s.t, valid.token);
    expect([r.status, r.body.error.code]).toEqual([403, 'license_revoked']);
    // The words the launch page shows the learner for this code (protocol/refusals.ts), not a second text.
    expect(r.body.error.message).toBe('Access has been revoked. Please contact your training administrator.');
    expect(await lastEvent(s.t)).toMatchObject({ reason: 'license_revoked', licenseId: valid.license.id });
  });

  it('refuses an expired license with license_expired', async () => {
    const lic = await issue(s, { expiresAt: '2026-02-01T00:00:00Z' });
    const r = await launch(s.t, lic.token);
    expect(r.body.error.code).toBe('license_expired');
  });

  it('refuses a license that has not started with license_not_started', async () => {
    const lic = await issue(s, { startsAt: '2026-04-01T00:00:00Z' });
    const r = await launch(s.t, lic.token);
    expect(r.body.error.code).toBe('license_not_started');
  });

  it('refuses an origin not allowed (and a missing Origin) with origin_not_allowed', async () => {
    const lic = await issue(s, { allowedOrigins: ['https://lms.client.example'] });
    expect((await launch(s.t, lic.token, 'https://elsewhere.example')).body.error.code).toBe(
      'origin_not_allowed',
    );
    expect((await launch(s.t, lic.token)).body.error.code).toBe('origin_not_allowed');
    expect((await launch(s.t, lic.token, 'https://lms.client.example')).status).toBe(200);
    expect(await lastEvent(s.t)).toMatchObject({ allowed: true, origin: 'https://lms.client.example' });
  });

  it('stores an allowed origin as browsers send it, so a differently written one still matches', async () => {
    const res = await s.t.call('POST', '/v1/licenses', {
      key: s.ownerKey,
      body: {
        courseId: s.courseId,
        clientName: 'Client LMS',
        allowedOrigins: ['https://LMS.Client.example:443/'],
      },
    });
    const lic = (await res.json()) as { license: { allowedOrigins: string[] }; token: string };
    expect(lic.license.allowedOrigins).toEqual(['https://lms.client.example']);
    expect((await launch(s.t, lic.token, 'https://lms.client.example')).status).toBe(200);
    const pathy = await s.t.call('POST', '/v1/licenses', {
      key: s.ownerKey,
      body: {
        courseId: s.courseId,
        clientName: 'Client LMS',
        allowedOrigins: ['https://lms.client.example/lms'],
      },
    });
    expect(pathy.status).toBe(400);
  });

  it('refuses with launch_limit_reached once the cap is used, and a new period starts afresh', async () => {
    const lic = await issue(s, { launchCap: { limit: 2, period: 'day' } });
    expect((await launch(s.t, lic.token)).status).toBe(200);
    expect((await launch(s.t, lic.token)).status).toBe(200);
    expect((await launch(s.t, lic.token)).body.error.code).toBe('launch_limit_reached');
    s.t.clock.now = new Date('2026-03-02T00:00:01Z');
    expect((await launch(s.t, lic.token)).status).toBe(200);
  });

  it('lets exactly the cap through when launches arrive all at once, and records every refusal', async () => {
    const lic = await issue(s, { launchCap: { limit: 3, period: 'day' } });
    const before = (await listLaunchEvents(s.t.db, lic.license.id)).length;
    const answers = await Promise.all(Array.from({ length: 12 }, () => launch(s.t, lic.token)));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(3);
    const refused = answers.filter((a) => a.status !== 200);
    expect(refused.map((a) => [a.status, a.body.error.code])).toEqual(
      Array.from({ length: 9 }, () => [403, 'launch_limit_reached']),
    );
    const events = (await listLaunchEvents(s.t.db, lic.license.id)).slice(before);
    expect(events.filter((e) => e.allowed)).toHaveLength(3);
    expect(events.filter((e) => !e.allowed && e.reason === 'launch_limit_reached')).toHaveLength(9);
    // Each allowed event names a session that exists; no refused launch left a session behind.
    for (const a of answers.filter((x) => x.status === 200))
      expect(await getSession(s.t.db, a.body.session.id)).toMatchObject({ licenseId: lic.license.id });
    for (const e of events.filter((x) => !x.allowed)) expect(e.sessionId).toBeNull();
  });

  it('refuses a token naming a course of another org (signed with the real key) with token_invalid', async () => {
    const other = await s.t.org('Other');
    const { course } = await s.t.liveCourse(other.org.id, 'theirs');
    const jti = await currentJti(valid.token);
    const token = await signWithRealKey(s.t, { ...goodClaims(s, valid.license.id, jti), course: course.id });
    expect((await launch(s.t, token)).body.error.code).toBe('token_invalid');
    expect(await lastEvent(s.t)).toMatchObject({ detail: 'claims_mismatch' });
    // Even a license row pointing across orgs (which the API never writes) is refused.
    const row = newLicenseRow({
      orgId: s.orgId,
      courseId: course.id,
      clientName: 'x',
      allowedOrigins: [],
      startsAt: null,
      expiresAt: null,
      launchCap: null,
      notes: '',
      createdBy: 'test',
      now: Date.now(),
    });
    await s.t.db.batch([insertLicenseStatement(s.t.db, row)]);
    const cross = await signWithRealKey(s.t, {
      ...goodClaims(s, row.id, row.currentJti),
      course: course.id,
    });
    expect((await launch(s.t, cross)).body.error.code).toBe('token_invalid');
    expect(await lastEvent(s.t)).toMatchObject({ detail: 'course_org' });
  });

  it('refuses a course with nothing live with course_not_live', async () => {
    const created = await s.t.call('POST', '/v1/courses', {
      key: s.ownerKey,
      body: { slug: 'draft', title: 'Draft' },
    });
    const courseId = ((await created.json()) as { id: string }).id;
    const lic = await issue(s, { courseId });
    expect((await launch(s.t, lic.token)).body.error.code).toBe('course_not_live');
  });

  it('refuses the previous token after a reissue, and accepts the new one', async () => {
    const res = await s.t.call('POST', `/v1/licenses/${valid.license.id}/reissue`, {
      key: s.ownerKey,
      body: {},
    });
    const { token } = (await res.json()) as { token: string };
    expect(token).not.toBe(valid.token);
    expect((await launch(s.t, valid.token)).body.error.code).toBe('token_invalid');
    expect(await lastEvent(s.t)).toMatchObject({ detail: 'reissued' });
    expect((await launch(s.t, token)).status).toBe(200);
  });
});

describe('revocation takes effect on the very next launch', () => {
  it('launch OK → revoke → refused → un-revoke → OK, with the same (memoized) token string', async () => {
    const s = await setup();
    const { token, license } = await issue(s);
    expect((await launch(s.t, token)).status).toBe(200);
    const revoke = await s.t.call('POST', `/v1/licenses/${license.id}/revoke`, {
      key: s.ownerKey,
      body: { reason: 'unpaid' },
    });
    expect(revoke.status).toBe(200);
    expect((await launch(s.t, token)).body.error.code).toBe('license_revoked');
    await s.t.call('POST', `/v1/licenses/${license.id}/unrevoke`, { key: s.ownerKey, body: {} });
    expect((await launch(s.t, token)).status).toBe(200);
  });

  it('expired → extend → OK on the next launch, with the injected clock', async () => {
    const s = await setup();
    const { token, license } = await issue(s, { expiresAt: '2026-03-10T00:00:00Z' });
    expect((await launch(s.t, token)).status).toBe(200);
    s.t.clock.now = new Date('2026-03-10T00:00:00Z');
    expect((await launch(s.t, token)).body.error.code).toBe('license_expired');
    const res = await s.t.call('POST', `/v1/licenses/${license.id}/extend`, {
      key: s.ownerKey,
      body: { expiresAt: '2027-03-10T00:00:00Z' },
    });
    expect(res.status).toBe(200);
    expect((await launch(s.t, token)).status).toBe(200);
  });
});

describe('launch rate limits', () => {
  // The buckets are injected into the app; the Worker builds its own from vars (tested on Node).
  it.skipIf(onWorker)(
    'answers 429 rate_limited per license and per client address, from injected buckets',
    async () => {
      const { createTokenBucket } = await import('../../gatekeeper/http/rate-limit.js');
      const t = await createTestApp({
        limits: {
          perLicense: createTokenBucket({ capacity: 2, refillPerSecond: 0.001 }),
          perAddress: createTokenBucket({ capacity: 5, refillPerSecond: 0.001 }),
        },
        clientAddress: (c) => c.req.header('x-test-address') ?? 'a',
      });
      const a = await t.org('Acme');
      const { course } = await t.liveCourse(a.org.id, 'c');
      const lic = await t.call('POST', '/v1/licenses', {
        key: a.owner.key,
        body: { courseId: course.id, clientName: 'x' },
      });
      const { token } = (await lic.json()) as { token: string };
      const s = await issue({
        t,
        ownerKey: a.owner.key,
        orgId: a.org.id,
        courseId: course.id,
        deploymentId: '',
      });
      expect((await launch(t, token)).status).toBe(200);
      expect((await launch(t, token)).status).toBe(200);
      const limited = await launch(t, token);
      expect([limited.status, limited.body.error.code]).toEqual([429, 'rate_limited']);
      // The clock stands still: the license's empty bucket gets its next token in 1 / 0.001 s, and the
      // stub on the LMS origin can read when.
      expect(limited.headers.get('retry-after')).toBe('1000');
      expect(limited.headers.get('access-control-expose-headers')).toMatch(/retry-after/i);
      // A refusal by the license's bucket is a launch attempt like any other, and is recorded.
      expect(await lastEvent(t)).toMatchObject({ allowed: false, reason: 'rate_limited' });
      // Another license from the same address still gets through until the address bucket is empty.
      expect((await launch(t, s.token)).status).toBe(200);
      expect((await launch(t, s.token)).status).toBe(200);
      const byAddress = await launch(t, s.token);
      expect(byAddress.body.error.code).toBe('rate_limited');
      expect(byAddress.headers.get('retry-after')).toBe('1000');
    },
  );
});
