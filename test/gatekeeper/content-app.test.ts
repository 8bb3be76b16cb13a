import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContentApp } from '../../gatekeeper/content/index.js';
import { faultError } from '../../gatekeeper/faults.js';
import { createFsStorage, keyToUrlPath, type Storage } from '../../gatekeeper/storage/index.js';

const D = '/courses/intro/d1';
let dir: string;
let storage: Storage;
let app: ReturnType<typeof createContentApp>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cg-content-'));
  storage = await createFsStorage({ root: dir });
  await storage.put('courses/intro/d1/index.html', '<h1>Intro</h1>');
  await storage.put('courses/intro/d1/media/clip.mp4', '0123456789');
  await storage.put('courses/intro/d1/a b.txt', 'spaced');
  // Uploaded with a misleading type: the extension still decides what the browser is told.
  await storage.put('courses/intro/d1/pic.png', 'png', { contentType: 'text/html' });
  await storage.put('private/secret.txt', 'secret');
  app = createContentApp({ storage });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('content origin (app.request)', () => {
  it('serves a file with its type, immutable caching, nosniff, an etag and its length', async () => {
    const res = await app.request(`${D}/index.html`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('etag')).toMatch(/^"[0-9a-f]{64}"$/);
    expect(res.headers.get('content-length')).toBe('14');
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect(await res.text()).toBe('<h1>Intro</h1>');
  });

  it.each([
    ['app.js', 'text/javascript; charset=utf-8'],
    ['style.css', 'text/css; charset=utf-8'],
    ['data.json', 'application/json; charset=utf-8'],
    ['logo.svg', 'image/svg+xml'],
    ['pic.png', 'image/png'],
    ['photo.JPG', 'image/jpeg'],
    ['anim.gif', 'image/gif'],
    ['img.webp', 'image/webp'],
    ['video.mp4', 'video/mp4'],
    ['sound.mp3', 'audio/mpeg'],
    ['font.woff2', 'font/woff2'],
    ['imsmanifest.xml', 'application/xml; charset=utf-8'],
    ['captions.vtt', 'text/vtt; charset=utf-8'],
    ['blob.unknownext', 'application/octet-stream'],
  ])('answers %s as %s', async (name, type) => {
    if (name !== 'pic.png') await storage.put(`courses/intro/d1/types/${name}`, 'x');
    const path = name === 'pic.png' ? `${D}/pic.png` : `${D}/types/${name}`;
    const res = await app.request(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(type);
  });

  it('decodes percent-encoded names', async () => {
    const res = await app.request(`${D}/a%20b.txt`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('spaced');
  });

  it('serves names with URL-special characters at the URL keyToUrlPath builds', async () => {
    const key = 'courses/intro/d1/50% off #1? (final).txt';
    await storage.put(key, 'special');
    const res = await app.request(`/${keyToUrlPath(key)}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('special');
  });

  it('answers HEAD with the headers and no body, without opening the file', async () => {
    let gets = 0;
    const counted = createContentApp({
      storage: {
        ...storage,
        get: (key, opts) => {
          gets++;
          return storage.get(key, opts);
        },
      },
    });
    const res = await counted.request(`${D}/media/clip.mp4`, { method: 'HEAD' });
    expect(gets).toBe(0);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe('10');
    expect(res.headers.get('content-type')).toBe('video/mp4');
    expect(await res.text()).toBe('');
  });

  it('answers 304 when the etag matches', async () => {
    const first = await app.request(`${D}/index.html`);
    const etag = first.headers.get('etag') ?? '';
    const res = await app.request(`${D}/index.html`, { headers: { 'if-none-match': etag } });
    expect(res.status).toBe(304);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it.each([
    ['bytes=2-4', 'bytes 2-4/10', '234'],
    ['bytes=7-', 'bytes 7-9/10', '789'],
    ['bytes=-3', 'bytes 7-9/10', '789'],
    ['bytes=8-100', 'bytes 8-9/10', '89'],
  ])('serves media range %s as 206 %s', async (range, contentRange, body) => {
    const res = await app.request(`${D}/media/clip.mp4`, { headers: { range } });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe(contentRange);
    expect(res.headers.get('content-length')).toBe(String(body.length));
    expect(await res.text()).toBe(body);
  });

  it('answers 416 with the size for an unsatisfiable range', async () => {
    const res = await app.request(`${D}/media/clip.mp4`, { headers: { range: 'bytes=10-' } });
    expect(res.status).toBe(416);
    expect(res.headers.get('content-range')).toBe('bytes */10');
  });

  it('serves the whole file for several ranges or a range under a stale If-Range', async () => {
    const multi = await app.request(`${D}/media/clip.mp4`, { headers: { range: 'bytes=0-1,4-5' } });
    expect(multi.status).toBe(200);
    expect(await multi.text()).toBe('0123456789');
    const stale = await app.request(`${D}/media/clip.mp4`, {
      headers: { range: 'bytes=0-1', 'if-range': '"old"' },
    });
    expect(stale.status).toBe(200);
  });

  it.each([
    '/',
    '/courses/',
    '/courses/intro/d1',
    '/courses/intro/d1/',
    '/courses/intro/d1/media/',
    '/courses/intro/d1/missing.html',
    '/private/secret.txt',
  ])('lists nothing and serves nothing outside courses/: %s is 404', async (path) => {
    const res = await app.request(path);
    expect(res.status).toBe(404);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it.each([
    `${D}/%2e%2e/%2e%2e/%2e%2e/private/secret.txt`,
    `${D}/..%2f..%2f..%2fprivate%2fsecret.txt`,
    '/courses%2fintro%2fd1%2findex.html',
    `${D}/%5c..%5c..%5cindex.html`,
    `${D}/%2fetc%2fpasswd`,
    '/courses//intro/d1/index.html',
    `${D}/index.html%00.png`,
    '/%2fprivate/secret.txt',
  ])('refuses traversal %s with 404', async (path) => {
    const res = await app.request(path);
    expect(res.status).toBe(404);
  });

  it('answers other methods with 405', async () => {
    const res = await app.request(`${D}/index.html`, { method: 'POST', body: 'x' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
  });

  it('answers 503 with Retry-After when the store is down, not 500 (issue 22)', async () => {
    const down = (): never => {
      throw faultError('storage_unavailable', new Error('connect ECONNREFUSED'));
    };
    const broken = createContentApp({ storage: { ...storage, get: down, head: down } });
    for (const method of ['GET', 'HEAD']) {
      const res = await broken.request(`${D}/index.html`, { method });
      expect(res.status).toBe(503);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
  });
});
