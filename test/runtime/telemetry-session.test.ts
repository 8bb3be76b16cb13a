import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryKeyStore } from '../../gatekeeper/keys/key-store.js';
import { createTokenService } from '../../gatekeeper/tokens.js';
import { sessionFromFragment, telemetryFromFragment } from '../../runtime/telemetry/index.js';

async function sessionToken() {
  const tokens = createTokenService({
    keys: await createMemoryKeyStore(),
    issuer: 'https://gk.example.com',
    now: () => new Date(),
  });
  return tokens.signSessionToken({
    sessionId: 'ses_1',
    orgId: 'org_1',
    courseId: 'crs_1',
    licenseId: 'lic_1',
    deploymentId: 'dep_1',
    standard: 'cmi5',
    createdAt: Date.now(),
    exp: Math.floor(Date.now() / 1000) + 3600,
  });
}

afterEach(() => sessionStorage.clear());

describe('session from the URL fragment (gated cmi5 launch)', () => {
  it('reads the Gatekeeper session token and removes it from the address bar', async () => {
    const token = await sessionToken();
    history.replaceState(null, '', `/au/index.html?endpoint=x#cg-session=${encodeURIComponent(token)}`);
    expect(sessionFromFragment()).toEqual({
      token,
      id: 'ses_1',
      endpoint: 'https://gk.example.com',
      course: 'crs_1',
    });
    expect(location.hash).toBe('');
    expect(location.search).toBe('?endpoint=x');
    // A reload of the same page keeps its session (this tab only); another page does not get it.
    expect(sessionFromFragment()?.id).toBe('ses_1');
    history.replaceState(null, '', '/other/index.html');
    expect(sessionFromFragment()).toBeUndefined();
    sessionStorage.clear();
    history.replaceState(null, '', '/au/index.html?endpoint=x');
    expect(sessionFromFragment()).toBeUndefined();
  });

  it('makes no telemetry without a session (portable packages) or with a malformed one', async () => {
    history.replaceState(null, '', '/au/index.html');
    expect(telemetryFromFragment()).toBeUndefined();
    history.replaceState(null, '', '/au/index.html#cg-session=not-a-token');
    expect(telemetryFromFragment()).toBeUndefined();
    const token = await sessionToken();
    history.replaceState(null, '', `/au/index.html#cg-session=${token}`);
    const t = telemetryFromFragment({ storage: null });
    expect(t).toBeDefined();
    expect(t?.statement('launched')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
