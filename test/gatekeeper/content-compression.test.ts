import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningContentServer, startContentServer } from '../../gatekeeper/content/index.js';
import { createFsStorage } from '../../gatekeeper/storage/index.js';
import type { Storage } from '../../gatekeeper/storage/types.js';

/**
 * The content origin's compressed representations over real HTTP (docs/storage.md, "Compression"):
 * node:http never decodes a body, so each test sees the bytes on the wire and judges them by decoding
 * them with zlib against what was stored.
 */
interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function get(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

// Varied enough that no coding shrinks it to nothing, repetitive enough to compress well.
const SCRIPT = Buffer.from(
  Array.from({ length: 600 }, (_, i) => `var item${i} = { id: ${i}, label: "Question ${i * 7919}" };\n`).join(
    '',
  ),
);
const IMAGE = Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 2654435761) >>> 24));
const SMALL = Buffer.from('<h1>Hi</h1>');
const JS = '/courses/c/d1/app.js';

let dir: string;
let storage: Storage;
let server: RunningContentServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cg-compress-'));
  storage = await createFsStorage({ root: dir });
  await storage.put('courses/c/d1/app.js', SCRIPT);
  await storage.put('courses/c/d1/photo.png', IMAGE);
  await storage.put('courses/c/d1/photo.svg', SCRIPT);
  await storage.put('courses/c/d1/index.html', SMALL);
  server = await startContentServer({ storage, host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('compressed representations on the content origin', () => {
  it('gzip: a client accepting gzip gets gzip bytes that decode to the file, with Vary and their own length', async () => {
    const res = await get(JS, { 'accept-encoding': 'gzip' });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers.vary).toBe('Accept-Encoding');
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(Number(res.headers['content-length'])).toBe(res.body.length);
    expect(res.body.length).toBeLessThan(SCRIPT.length / 3);
    expect(gunzipSync(res.body).equals(SCRIPT)).toBe(true);
  });

  it('br: preferred when both are accepted at the same q; q-values decide otherwise', async () => {
    const both = await get(JS, { 'accept-encoding': 'gzip, deflate, br' });
    expect(both.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(both.body).equals(SCRIPT)).toBe(true);
    expect(Number(both.headers['content-length'])).toBe(both.body.length);
    const gzipFirst = await get(JS, { 'accept-encoding': 'br;q=0.5, gzip;q=0.8' });
    expect(gzipFirst.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzipFirst.body).equals(SCRIPT)).toBe(true);
    const star = await get(JS, { 'accept-encoding': '*' });
    expect(star.headers['content-encoding']).toBe('br');
  });

  it('q=0 refuses a coding; refusing all of them, or sending no Accept-Encoding, gets the file as stored', async () => {
    expect((await get(JS, { 'accept-encoding': 'br;q=0, gzip' })).headers['content-encoding']).toBe('gzip');
    expect((await get(JS, { 'accept-encoding': '*;q=0, gzip' })).headers['content-encoding']).toBe('gzip');
    for (const accept of [undefined, 'identity', 'gzip;q=0, br;q=0', '*;q=0', 'deflate']) {
      const res = await get(JS, accept === undefined ? {} : { 'accept-encoding': accept });
      expect(res.headers['content-encoding'], accept).toBeUndefined();
      expect(res.body.equals(SCRIPT), accept).toBe(true);
      expect(Number(res.headers['content-length'])).toBe(SCRIPT.length);
      // The identity answer depends on Accept-Encoding too: a cache must not hand it to a br client.
      expect(res.headers.vary).toBe('Accept-Encoding');
    }
  });

  it('each representation has its own ETag, and If-None-Match answers 304 only for its own', async () => {
    const plain = await get(JS);
    const gz = await get(JS, { 'accept-encoding': 'gzip' });
    const br = await get(JS, { 'accept-encoding': 'br' });
    const tags = [plain.headers.etag, gz.headers.etag, br.headers.etag];
    expect(new Set(tags).size).toBe(3);
    const again = await get(JS, { 'accept-encoding': 'gzip', 'if-none-match': String(gz.headers.etag) });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers.vary).toBe('Accept-Encoding');
    const other = await get(JS, { 'accept-encoding': 'gzip', 'if-none-match': String(plain.headers.etag) });
    expect(other.status).toBe(200);
    expect(gunzipSync(other.body).equals(SCRIPT)).toBe(true);
    expect((await get(JS, { 'if-none-match': String(plain.headers.etag) })).status).toBe(304);
  });

  it('HEAD announces what GET sends, without a body', async () => {
    for (const accept of ['br', 'gzip', 'identity']) {
      const got = await get(JS, { 'accept-encoding': accept });
      const head = await get(JS, { 'accept-encoding': accept }, 'HEAD');
      expect(head.status).toBe(200);
      expect(head.body.length).toBe(0);
      for (const h of ['content-encoding', 'content-length', 'etag', 'vary', 'content-type'])
        expect(head.headers[h], `${accept} ${h}`).toEqual(got.headers[h]);
    }
  });

  it('Range: bytes of the file itself, never of a compressed form, whatever Accept-Encoding says', async () => {
    const res = await get(JS, { 'accept-encoding': 'gzip, br', range: 'bytes=100-199' });
    expect(res.status).toBe(206);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers['content-range']).toBe(`bytes 100-199/${SCRIPT.length}`);
    expect(res.body.equals(SCRIPT.subarray(100, 200))).toBe(true);
    const plain = await get(JS);
    const ifRange = await get(JS, {
      'accept-encoding': 'br',
      range: 'bytes=-10',
      'if-range': String(plain.headers.etag),
    });
    expect(ifRange.status).toBe(206);
    expect(ifRange.body.equals(SCRIPT.subarray(-10))).toBe(true);
  });

  it('already-compressed types are never encoded; small text goes as it is', async () => {
    const png = await get('/courses/c/d1/photo.png', { 'accept-encoding': 'gzip, br' });
    expect(png.headers['content-encoding']).toBeUndefined();
    expect(png.headers.vary).toBeUndefined();
    expect(png.body.equals(IMAGE)).toBe(true);
    const svg = await get('/courses/c/d1/photo.svg', { 'accept-encoding': 'gzip' });
    expect(svg.headers['content-encoding']).toBe('gzip');
    const small = await get('/courses/c/d1/index.html', { 'accept-encoding': 'gzip, br' });
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(small.body.equals(SMALL)).toBe(true);
  });

  it('the compressed forms are no objects: listings and plain reads see only what was stored', async () => {
    const { items } = await storage.list('');
    expect(items.map((i) => i.key)).toEqual([
      'courses/c/d1/app.js',
      'courses/c/d1/index.html',
      'courses/c/d1/photo.png',
      'courses/c/d1/photo.svg',
    ]);
    const head = await storage.head('courses/c/d1/app.js');
    expect(head?.size).toBe(SCRIPT.length);
    expect(head?.encoding).toBeUndefined();
    const got = await storage.get('courses/c/d1/app.js');
    expect(Buffer.from(await new Response(got!.body).arrayBuffer()).equals(SCRIPT)).toBe(true);
  });
});
