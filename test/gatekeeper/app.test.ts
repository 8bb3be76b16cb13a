import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { UPLOADS_PATH } from '../../gatekeeper/app.js';
import { exportDeployment } from '../../gatekeeper/deployments/export.js';
import { withStubScript } from '../../gatekeeper/licenses/gated-package.js';
import { tempFsStorage } from '../helpers/fs-storage.js';
import { createTestApp } from '../helpers/gatekeeper.js';
import { onWorker } from '../helpers/worker-target.js';

describe('createApp', () => {
  it('answers /healthz with the injected clock', async () => {
    const t = await createTestApp();
    t.clock.now = new Date('2026-01-02T03:04:05Z');
    const res = await t.request('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, time: '2026-01-02T03:04:05.000Z' });
  });

  it('answers /favicon.ico with the dashboard icon, an SVG image, rather than a 404', async () => {
    const t = await createTestApp();
    const res = await t.request('/favicon.ico', { redirect: 'manual' });
    expect(res.status).toBe(301);
    const icon = await t.request(res.headers.get('location')!);
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toBe('image/svg+xml');
    expect(await icon.text()).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]*>.*<\/svg>$/);
  });

  it('renders an unknown route as the standard error body', async () => {
    const t = await createTestApp();
    const res = await t.request('/nope');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'route_not_found', message: 'No such route' } });
  });

  it('publishes an OpenAPI document generated from the route schemas', async () => {
    const t = await createTestApp();
    const res = await t.request('/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/launch',
        '/v1/licenses',
        '/v1/licenses/{id}/revoke',
        '/v1/members',
        '/v1/keys',
        '/xapi/statements',
        '/v1/errors',
        '/v1/courses/{id}/launches',
        '/v1/courses/{id}/errors',
        '/v1/courses/{id}/completions',
      ]),
    );
    expect(doc.paths['/v1/launch']?.post).toMatchObject({ security: [] });
    // The ingest routes, documented though they check bodies by hand: writes take the session token.
    const statements = doc.paths['/xapi/statements'] ?? {};
    expect(Object.keys(statements)).toEqual(expect.arrayContaining(['post', 'put', 'get']));
    expect(statements.post).toMatchObject({ security: [{ sessionToken: [] }] });
    expect(doc.paths['/v1/errors']?.post).toMatchObject({ security: [{ sessionToken: [] }] });
    expect(JSON.stringify(statements.post)).toContain('#/components/schemas/XapiStatement');
  });

  // The app's router is read in process; the Worker serves the same app.
  it.skipIf(onWorker)('documents every /v1 and /xapi route the app serves, with its method', async () => {
    const storage = await tempFsStorage();
    const t = await createTestApp({
      storage,
      uploads: { secret: randomBytes(32) },
      exportPackage: exportDeployment,
      gatedPackages: withStubScript(
        async () => new Uint8Array(),
        async () => '',
      ),
    });
    const doc = (await (await t.request('/openapi.json')).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const served = new Set(
      t.app.routes
        .filter((r) => r.method !== 'ALL' && /^\/(v1|xapi)\//.test(r.path))
        // The presigned upload endpoint is addressed only through the URLs a deploy plan hands out.
        .filter((r) => !r.path.startsWith(`${UPLOADS_PATH}/`))
        .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, '{$1}').replace(/\/$/, '')}`),
    );
    const undocumented = [...served].filter((route) => {
      const [method, path] = route.split(' ') as [string, string];
      return !doc.paths[path]?.[method];
    });
    expect(undocumented).toEqual([]);
  });

  it('publishes the signing keys at /.well-known/jwks.json, public halves only', async () => {
    const t = await createTestApp();
    const res = await t.request('/.well-known/jwks.json');
    const jwks = (await res.json()) as { keys: Record<string, string>[] };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({
      kty: 'OKP',
      crv: 'Ed25519',
      alg: 'EdDSA',
      kid: t.keys.list()[0]?.kid,
    });
    expect(jwks.keys[0]?.d).toBeUndefined();
    // A Worker's keys are a secret rotated by redeploying (gatekeeper/keys/env-key-store.ts).
    if (onWorker) return;
    await t.keys.rotate(Date.now());
    const after = (await (await t.request('/.well-known/jwks.json')).json()) as { keys: unknown[] };
    expect(after.keys).toHaveLength(2);
  });
});
