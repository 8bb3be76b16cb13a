import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../gatekeeper/db/database-file.js';
import { openSqlite } from '../../gatekeeper/db/open-sqlite.js';
import { createOrgWithOwner } from '../../gatekeeper/orgs/service.js';
import { startGatekeeper } from '../helpers/gatekeeper.js';

type Case = [name: string, body: string, contentType: string | null, status: number, code: string];

const big = (n: number) => 'a'.repeat(n);

/** Malformed requests every public endpoint must refuse with a 4xx and a code, staying up. */
const LAUNCH_CASES: Case[] = [
  ['not JSON', '{"token": ', 'application/json', 400, 'invalid_request'],
  ['text without a content type', 'token=abc', null, 400, 'invalid_request'],
  ['form-encoded', 'token=abc&standard=scorm12', 'application/x-www-form-urlencoded', 400, 'invalid_request'],
  ['JSON null', 'null', 'application/json', 400, 'invalid_request'],
  ['JSON array', '[1,2]', 'application/json', 400, 'invalid_request'],
  ['missing fields', '{}', 'application/json', 400, 'invalid_request'],
  ['missing standard', '{"token":"a.b.c"}', 'application/json', 400, 'invalid_request'],
  ['wrong types', '{"token":123,"standard":true}', 'application/json', 400, 'invalid_request'],
  ['unknown standard', '{"token":"a.b.c","standard":"aicc"}', 'application/json', 400, 'invalid_request'],
  ['empty token', '{"token":"","standard":"scorm12"}', 'application/json', 400, 'invalid_request'],
  [
    'a 3 KB token',
    JSON.stringify({ token: big(3000), standard: 'scorm12' }),
    'application/json',
    400,
    'invalid_request',
  ],
  [
    'a 10 KB token',
    JSON.stringify({ token: big(10240), standard: 'scorm12' }),
    'application/json',
    413,
    'payload_too_large',
  ],
  [
    'a body over the limit',
    JSON.stringify({ pad: big(100_000) }),
    'application/json',
    413,
    'payload_too_large',
  ],
  ['garbage token', '{"token":"a.b.c","standard":"scorm12"}', 'application/json', 403, 'token_invalid'],
  [
    'a JWT-shaped 2 KB token',
    JSON.stringify({ token: `${big(700)}.${big(700)}.${big(500)}`, standard: 'cmi5' }),
    'application/json',
    403,
    'token_invalid',
  ],
];

/** The same table shape for the authenticated JSON endpoints. */
const API_CASES: [route: string, name: string, body: string, status: number, code: string][] = [
  ['POST /v1/licenses', 'not JSON', 'nope', 400, 'invalid_request'],
  ['POST /v1/licenses', 'missing fields', '{}', 400, 'invalid_request'],
  ['POST /v1/licenses', 'wrong types', '{"courseId":1,"clientName":["x"]}', 400, 'invalid_request'],
  [
    'POST /v1/licenses',
    'bad origin',
    '{"courseId":"c","clientName":"x","allowedOrigins":["https://a.example/path"]}',
    400,
    'invalid_request',
  ],
  [
    'POST /v1/licenses',
    'bad date',
    '{"courseId":"c","clientName":"x","expiresAt":"tomorrow"}',
    400,
    'invalid_request',
  ],
  [
    'POST /v1/licenses',
    'body over the limit',
    JSON.stringify({ courseId: 'c', clientName: big(70_000) }),
    413,
    'payload_too_large',
  ],
  ['POST /v1/courses', 'bad slug', '{"slug":"Not A Slug","title":"x"}', 400, 'invalid_request'],
  ['POST /v1/courses', 'slug ending in a dash', '{"slug":"intro-","title":"x"}', 400, 'invalid_request'],
  ['POST /v1/courses', 'blank title', '{"slug":"ok","title":"   "}', 400, 'invalid_request'],
  [
    'POST /v1/courses',
    '10 KB title',
    JSON.stringify({ slug: 'ok', title: big(10240) }),
    400,
    'invalid_request',
  ],
  ['POST /v1/members', 'bad email', '{"email":"nope","role":"owner"}', 400, 'invalid_request'],
  ['POST /v1/members', 'bad role', '{"email":"a@b.test","role":"admin"}', 400, 'invalid_request'],
  ['POST /v1/keys', 'missing name', '{}', 400, 'invalid_request'],
  ['POST /v1/licenses/lic_x/extend', 'missing expiresAt', '{}', 400, 'invalid_request'],
];

describe('bad input against a real server', () => {
  let gk: Awaited<ReturnType<typeof startGatekeeper>>;
  let base: string;
  let key: string;

  beforeAll(async () => {
    gk = await startGatekeeper();
    base = gk.url.replace('localhost', '127.0.0.1');
    // Seed an owner through the data layer, on the same SQLite file the server has open (WAL).
    const db = await openSqlite({ file: join(gk.dataDir, DATABASE_FILE) });
    key = (
      await createOrgWithOwner(
        { db, now: () => new Date() },
        { name: 'Acme', owner: { email: 'o@acme.test' }, keyName: 't' },
      )
    ).key;
    await db.close();
  });
  afterAll(() => gk.close());

  const stillServing = async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
  };

  for (const [name, body, contentType, status, code] of LAUNCH_CASES) {
    it(`POST /v1/launch, ${name} → ${status} ${code}`, async () => {
      const res = await fetch(`${base}/v1/launch`, {
        method: 'POST',
        headers: contentType ? { 'content-type': contentType } : {},
        body,
      });
      expect(res.status).toBe(status);
      const json = (await res.json()) as { error: { code: string; message: string } };
      expect(json.error.code).toBe(code);
      expect(json.error.message).toBeTruthy();
      await stillServing();
    });
  }

  for (const [route, name, body, status, code] of API_CASES) {
    it(`${route}, ${name} → ${status} ${code}`, async () => {
      const [method, path] = route.split(' ') as [string, string];
      const res = await fetch(`${base}${path}`, {
        method,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body,
      });
      expect(res.status).toBe(status);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
      await stillServing();
    });
  }

  it('a chunked body (no Content-Length) over the limit is 413 payload_too_large', async () => {
    const chunk = new TextEncoder().encode(`{"token":"${big(4096)}`);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 4; i++) controller.enqueue(chunk);
        controller.close();
      },
    });
    const res = await fetch(`${base}/v1/launch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
    await stillServing();
  });

  it('a 10 KB Authorization header, or a key of the wrong shape, is 401 unauthorized', async () => {
    for (const authorization of [`Bearer cg_${big(10240)}`, 'Basic abc', `Bearer ${big(40)}`]) {
      const res = await fetch(`${base}/v1/licenses`, { headers: { authorization } });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    }
    await stillServing();
  });

  it('the public GET endpoints answer JSON', async () => {
    for (const path of ['/healthz', '/.well-known/jwks.json', '/openapi.json']) {
      const res = await fetch(`${base}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('application/json');
    }
  });
});
