import { expect, it } from 'vitest';
import { randomToken } from '../../gatekeeper/crypto.js';
import { keyStoreFrom } from '../../gatekeeper/keys/key-store.js';
import { createTokenService, generateSigningKey } from '../../gatekeeper/tokens.js';
import { dashboardSignIn } from '../helpers/dashboard.js';
import { createTestApp, TEST_CONTENT_URL, TEST_PUBLIC_URL } from '../helpers/gatekeeper.js';
import { onWorker, sharedWorkerTarget } from '../helpers/worker-target.js';

const T0 = Date.parse('2026-03-01T12:00:00Z');
const HOUR = 3_600_000;

/**
 * A retired signing key on Node and on the Worker (whose keys come from `COURSEGATE_KEYS`, not D1): the
 * old key was rotated out an hour after the license was issued, then retired. Its token is refused with
 * `signing_key_retired`, the license is flagged in the API and the dashboard until it is reissued.
 */
it('refuses a retired key’s token, flags its license until reissued, on Node and the Worker', async () => {
  const [old, current] = [await generateSigningKey(T0 - HOUR), await generateSigningKey(T0 + HOUR)];
  const sessionSecret = randomToken(32);
  const keys = keyStoreFrom(
    { keys: [{ ...old, retiredAt: T0 + HOUR, revokedAt: T0 + HOUR + 1 }, current], sessionSecret },
    async () => {},
  );
  if (onWorker) await sharedWorkerTarget({ publicUrl: TEST_PUBLIC_URL, contentUrl: TEST_CONTENT_URL, keys });
  const t = await createTestApp({ keys });
  t.clock.now = new Date(T0);
  const a = await t.org('Org A');
  const { course } = await t.liveCourse(a.org.id, 'course');
  const issued = await t.call('POST', '/v1/licenses', {
    key: a.owner.key,
    body: { courseId: course.id, clientName: 'Client' },
  });
  const { license, token } = (await issued.json()) as {
    license: { id: string; signingKeyRetired: boolean };
    token: string;
  };
  expect(license.signingKeyRetired).toBe(true);

  // The package made while the old key was active: the same license, jti and iat, signed with it.
  const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as {
    jti: string;
    iat: number;
  };
  const then = createTokenService({
    keys: keyStoreFrom({ keys: [old], sessionSecret }, async () => {}),
    issuer: TEST_PUBLIC_URL,
    now: () => new Date(T0),
  });
  const oldToken = await then.signLicenseToken({
    licenseId: license.id,
    orgId: a.org.id,
    courseId: course.id,
    jti: claims.jti,
    iat: claims.iat,
  });
  const launch = (tok: string) => t.call('POST', '/v1/launch', { body: { token: tok, standard: 'scorm12' } });
  const refused = await launch(oldToken);
  expect(refused.status).toBe(403);
  expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('signing_key_retired');
  expect((await launch(token)).status).toBe(200);

  const dashboard = await dashboardSignIn(t, a.owner.member);
  const flag = /signing key retired: reissue/;
  expect(await (await dashboard('GET', '/licenses')).text()).toMatch(flag);
  expect(await (await dashboard('GET', `/licenses/${license.id}`)).text()).toMatch(flag);

  t.clock.now = new Date(T0 + 2 * HOUR);
  const reissued = await t.call('POST', `/v1/licenses/${license.id}/reissue`, {
    key: a.owner.key,
    body: { reason: 'key retired' },
  });
  const fresh = (await reissued.json()) as { license: { signingKeyRetired: boolean }; token: string };
  expect(fresh.license.signingKeyRetired).toBe(false);
  expect((await launch(fresh.token)).status).toBe(200);
  expect(await (await dashboard('GET', '/licenses')).text()).not.toMatch(flag);
});
