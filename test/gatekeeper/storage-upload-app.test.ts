import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFsStorage, createUploadApp, type Storage } from '../../gatekeeper/storage/index.js';

const SECRET = 'test-upload-secret-0123456789abcdef';
const T0 = new Date('2026-01-01T00:00:00Z');
let clock = T0;
let dir: string;
let storage: Storage;
let app: ReturnType<typeof createUploadApp>;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cg-upload-'));
  storage = await createFsStorage({
    root: dir,
    presign: { baseUrl: 'http://localhost:8787/v1/uploads', secret: SECRET, now: () => clock },
  });
  app = createUploadApp({
    storage,
    secret: SECRET,
    now: () => clock,
    basePath: '/v1/uploads',
    maxBytes: 1000,
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function sign(key: string, body: string, expiresIn = 60) {
  const signed = await storage.presignPut!(key, {
    contentType: 'text/html; charset=utf-8',
    sha256: sha256(body),
    expiresIn,
  });
  const url = new URL(signed.url);
  return { path: `${url.pathname}${url.search}`, headers: signed.headers, expiresAt: signed.expiresAt };
}

function put(path: string, body: string, headers: Record<string, string>) {
  return app.request(path, {
    method: 'PUT',
    body,
    headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
  });
}

const code = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

describe('fs upload endpoint (presigned PUT)', () => {
  it('stores the signed body under the signed key with the signed type', async () => {
    const s = await sign('courses/c/d1/index.html', '<h1>up</h1>');
    expect(s.expiresAt.toISOString()).toBe('2026-01-01T00:01:00.000Z');
    const res = await put(s.path, '<h1>up</h1>', s.headers);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ key: 'courses/c/d1/index.html', size: 11 });
    const head = await storage.head('courses/c/d1/index.html');
    expect(head).toMatchObject({
      size: 11,
      contentType: 'text/html; charset=utf-8',
      etag: `"${sha256('<h1>up</h1>')}"`,
    });
  });

  it('refuses other bytes with checksum_mismatch and keeps nothing', async () => {
    const s = await sign('courses/c/d1/a.html', 'good');
    const res = await put(s.path, 'evil', s.headers);
    expect(res.status).toBe(400);
    expect(await code(res)).toBe('checksum_mismatch');
    expect(await storage.head('courses/c/d1/a.html')).toBeNull();
  });

  it('refuses a URL moved to another key, a forged signature, another type, or an expired URL', async () => {
    const s = await sign('courses/c/d1/b.html', 'b');
    const moved = await put(s.path.replace('/b.html', '/c.html'), 'b', s.headers);
    const forged = await put(s.path.replace(/sig=[0-9a-f]{4}/, 'sig=0000'), 'b', s.headers);
    const retyped = await put(s.path, 'b', { 'content-type': 'image/svg+xml' });
    for (const refused of [moved, forged, retyped])
      expect([refused.status, await code(refused)]).toEqual([403, 'upload_signature_invalid']);
    clock = new Date(T0.getTime() + 61_000);
    const late = await put(s.path, 'b', s.headers);
    clock = T0;
    expect([late.status, await code(late)]).toEqual([403, 'upload_url_expired']);
    expect(await storage.head('courses/c/d1/b.html')).toBeNull();
    expect(await storage.head('courses/c/d1/c.html')).toBeNull();
  });

  it('refuses traversal and keys outside courses/, and answers 413 over the size limit', async () => {
    const s = await sign('courses/c/d1/x.html', 'x');
    const query = s.path.slice(s.path.indexOf('?'));
    for (const p of [
      '/v1/uploads/courses/c/d1/%2e%2e/%2e%2e/x.html',
      '/v1/uploads/private/x.html',
      '/v1/uploads/courses%2fc%2fx.html',
    ]) {
      // 404 when the path names no key; 403 when URL parsing resolved it to another key than the signed one.
      expect([403, 404]).toContain((await put(`${p}${query}`, 'x', s.headers)).status);
    }
    expect((await storage.list('')).items.map((i) => i.key)).not.toContain('courses/x.html');
    expect((await storage.list('private/')).items).toEqual([]);
    const big = 'x'.repeat(1001);
    const s2 = await sign('courses/c/d1/big.html', big);
    const res = await put(s2.path, big, s2.headers);
    expect(res.status).toBe(413);
    expect(await code(res)).toBe('payload_too_large');
  });
});
