import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { R2Bucket } from '@cloudflare/workers-types/latest/index.ts';
import { serve } from '@hono/node-server';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatekeeperError } from '../../gatekeeper/errors.js';
import {
  createFsStorage,
  createS3Storage,
  createUploadApp,
  type Storage,
} from '../../gatekeeper/storage/index.js';
import { createR2Storage } from '../../gatekeeper/storage/r2.js';

import { WORKER_COMPATIBILITY_DATE } from '../helpers/worker-target.js';

const require = createRequire(import.meta.url);
const S3rver = require('s3rver') as new (
  opts: Record<string, unknown>,
) => { run(): Promise<AddressInfo>; close(): Promise<void> };

const BUCKET = 'coursegate-test';

async function bytesOf(body: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(body).arrayBuffer());
}
const text = async (body: ReadableStream<Uint8Array>) => new TextDecoder().decode(await bytesOf(body));
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** A stream that hands `data` over in uneven chunks, as a network upload would. */
function chunked(data: Uint8Array): ReadableStream<Uint8Array> {
  let offset = 0;
  let n = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= data.byteLength) return controller.close();
      const size = [65_536, 1, 1_000_003, 4_096, 777][n++ % 5] as number;
      controller.enqueue(data.slice(offset, offset + size));
      offset += size;
    },
  });
}

async function expectCode(promise: Promise<unknown>, code: string) {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(GatekeeperError);
  expect((err as GatekeeperError).code).toBe(code);
}

interface Driver {
  storage: Storage;
  close(): Promise<void>;
}

const temps: string[] = [];
const tempDir = (prefix: string) => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  temps.push(d);
  return d;
};
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

const drivers: Record<'fs' | 's3' | 'r2', () => Promise<Driver>> = {
  async fs() {
    // Presigned PUTs of the fs driver go to the Gatekeeper's upload endpoint: serve it for real.
    const secret = randomBytes(32);
    let handler: (req: Request) => Response | Promise<Response> = () => new Response(null, { status: 503 });
    const server = serve({ fetch: (req) => handler(req), port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((r) => server.once('listening', () => r()));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/uploads`;
    const storage = await createFsStorage({
      root: join(tempDir('cg-fs-'), 'content'),
      presign: { baseUrl, secret },
    });
    handler = createUploadApp({ storage, secret, now: () => new Date(), basePath: '/v1/uploads' }).fetch;
    return {
      storage,
      close: () => new Promise<void>((r) => server.close(() => r())),
    };
  },
  async s3() {
    const server = new S3rver({
      address: '127.0.0.1',
      port: 0,
      silent: true,
      directory: tempDir('cg-s3rver-'),
      configureBuckets: [{ name: BUCKET }],
    });
    const { port } = await server.run();
    const storage = createS3Storage({
      endpoint: `http://127.0.0.1:${port}`,
      bucket: BUCKET,
      region: 'us-east-1',
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
      forcePathStyle: true,
      publicBaseUrl: 'https://cdn.example.test/',
      partSize: 5 * 1024 * 1024,
    });
    return { storage, close: () => server.close() };
  },
  async r2() {
    // The R2 binding of Miniflare, reached from Node through its proxy, as the Worker's driver uses it.
    const mf = new Miniflare({
      modules: true,
      script: 'export default { fetch: () => new Response(null, { status: 404 }) }',
      compatibilityDate: WORKER_COMPATIBILITY_DATE,
      r2Buckets: { CONTENT: BUCKET },
    });
    const bucket = (await mf.getR2Bucket('CONTENT')) as unknown as R2Bucket;
    const storage = createR2Storage({ bucket, publicBaseUrl: 'https://cdn.example.test/' });
    return { storage, close: () => mf.dispose() };
  },
};

describe.each(['fs', 's3', 'r2'] as const)('storage contract: %s driver', (name) => {
  let driver: Driver;
  let s: Storage;
  beforeAll(async () => {
    driver = await drivers[name]();
    s = driver.storage;
  });
  afterAll(async () => {
    await driver?.close();
  });

  it('round-trips text with a content type taken from the extension or given', async () => {
    const put = await s.put('courses/c1/d1/index.html', '<h1>Grüße</h1>');
    expect(put.size).toBe(Buffer.byteLength('<h1>Grüße</h1>'));
    const got = await s.get('courses/c1/d1/index.html');
    expect(got).not.toBeNull();
    expect(got?.contentType).toBe('text/html; charset=utf-8');
    expect(got?.size).toBe(put.size);
    expect(got?.etag).toMatch(/^".+"$/);
    expect(await text(got!.body)).toBe('<h1>Grüße</h1>');

    await s.put('courses/c1/d1/data.bin', new Uint8Array([1, 2, 3]), { contentType: 'application/x-custom' });
    expect((await s.head('courses/c1/d1/data.bin'))?.contentType).toBe('application/x-custom');
  });

  // 3 MiB goes up in one request, 12 MiB in parts: both paths must keep the bytes free of chunk framing.
  it.each([3, 12])('stores a %i MiB binary streamed in uneven chunks byte for byte', async (mib) => {
    const data = new Uint8Array(randomBytes(mib * 1024 * 1024 + 123));
    const key = `courses/c1/d1/media/video-${mib}.mp4`;
    const put = await s.put(key, chunked(data), { sha256: sha256(data), size: data.byteLength });
    expect(put.size).toBe(data.byteLength);
    const got = await s.get(key);
    expect(got?.size).toBe(data.byteLength);
    expect(got?.contentType).toBe('video/mp4');
    const back = await bytesOf(got!.body);
    expect(back.byteLength).toBe(data.byteLength);
    expect(sha256(back)).toBe(sha256(data));
  });

  it('refuses a body whose sha256 or size differs, keeping nothing', async () => {
    const wrong = sha256(new TextEncoder().encode('other'));
    await expectCode(s.put('courses/c1/bad.txt', 'hello', { sha256: wrong }), 'checksum_mismatch');
    await expectCode(
      s.put('courses/c1/bad2.txt', chunked(new Uint8Array(10)), { size: 11 }),
      'checksum_mismatch',
    );
    expect(await s.head('courses/c1/bad.txt')).toBeNull();
    expect(await s.head('courses/c1/bad2.txt')).toBeNull();
  });

  it('serves byte ranges, clamps the end and refuses a start past the end', async () => {
    await s.put('courses/c1/d1/abc.txt', 'abcdefghij');
    const mid = await s.get('courses/c1/d1/abc.txt', { range: { start: 2, end: 4 } });
    expect(mid?.range).toEqual({ start: 2, end: 4 });
    expect(mid?.size).toBe(10);
    expect(await text(mid!.body)).toBe('cde');
    const tail = await s.get('courses/c1/d1/abc.txt', { range: { start: 7 } });
    expect(await text(tail!.body)).toBe('hij');
    const clamped = await s.get('courses/c1/d1/abc.txt', { range: { start: 8, end: 99 } });
    expect(clamped?.range).toEqual({ start: 8, end: 9 });
    expect(await text(clamped!.body)).toBe('ij');
    await expectCode(s.get('courses/c1/d1/abc.txt', { range: { start: 10 } }), 'range_not_satisfiable');
  });

  it('heads an object and gives a new etag when its content changes', async () => {
    await s.put('courses/c1/d1/app.js', 'console.log(1)');
    const first = await s.head('courses/c1/d1/app.js');
    expect(first).toMatchObject({
      key: 'courses/c1/d1/app.js',
      size: 14,
      contentType: 'text/javascript; charset=utf-8',
    });
    await s.put('courses/c1/d1/app.js', 'console.log(2)');
    const second = await s.head('courses/c1/d1/app.js');
    expect(second?.size).toBe(14);
    expect(second?.etag).not.toBe(first?.etag);
  });

  it('lists by prefix in key order, one page at a time', async () => {
    const keys = [
      'courses/l/a/1',
      'courses/l/a/2',
      'courses/l/a/sub/3',
      'courses/l/a/sub/4',
      'courses/l/a/5',
    ];
    for (const k of ['courses/l/ab/x', 'courses/l/b/y', ...keys]) await s.put(k, k);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await s.list('courses/l/a/', { limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((i) => i.key));
      expect(page.items.every((i) => i.size === i.key.length)).toBe(true);
      cursor = page.cursor;
      pages++;
    } while (cursor);
    expect(seen).toEqual([...keys].sort());
    expect(pages).toBe(3);
    const partial = await s.list('courses/l/a');
    expect(partial.items.map((i) => i.key)).toContain('courses/l/ab/x');
    expect(partial.cursor).toBeUndefined();
    expect((await s.list('courses/nothing-here/')).items).toEqual([]);
  });

  it('copies server-side and reports a missing source', async () => {
    await s.put('courses/c2/d1/style.css', 'body{}', { cacheControl: 'public, max-age=31536000, immutable' });
    expect(await s.copy('courses/c2/d1/style.css', 'courses/c2/d2/style.css')).toBe(true);
    const got = await s.get('courses/c2/d2/style.css');
    expect(got?.contentType).toBe('text/css; charset=utf-8');
    // Where the store serves content itself, the copy keeps the immutable caching of the original.
    if (name !== 'fs') expect(got?.cacheControl).toBe('public, max-age=31536000, immutable');
    expect(await text(got!.body)).toBe('body{}');
    expect(await s.copy('courses/c2/d1/missing.css', 'courses/c2/d2/missing.css')).toBe(false);
    expect(await s.head('courses/c2/d2/missing.css')).toBeNull();
  });

  it('keeps empty objects, from bytes or from a stream', async () => {
    await s.put('courses/c6/empty.txt', '');
    await s.put('courses/c6/empty-stream.txt', chunked(new Uint8Array(0)));
    for (const key of ['courses/c6/empty.txt', 'courses/c6/empty-stream.txt']) {
      const got = await s.get(key);
      expect(got?.size).toBe(0);
      expect((await bytesOf(got!.body)).byteLength).toBe(0);
      await expectCode(s.get(key, { range: { start: 0 } }), 'range_not_satisfiable');
    }
  });

  it('handles keys with spaces and non-ASCII names in every operation', async () => {
    // No `#`, `&` or `+`: s3rver decodes copy sources with decodeURI, which leaves their escapes alone.
    const from = 'courses/c7/d1/Grüße aus Köln/vidéo (1).mp4';
    const to = 'courses/c7/d2/Grüße aus Köln/vidéo (1).mp4';
    await s.put(from, 'ü');
    expect(await s.copy(from, to)).toBe(true);
    expect(await text((await s.get(to))!.body)).toBe('ü');
    expect((await s.list('courses/c7/d2/')).items.map((i) => i.key)).toEqual([to]);
    await s.delete(to);
    expect(await s.head(to)).toBeNull();
  });

  it('deletes, idempotently', async () => {
    await s.put('courses/c3/d1/gone.txt', 'x');
    await s.delete('courses/c3/d1/gone.txt');
    expect(await s.head('courses/c3/d1/gone.txt')).toBeNull();
    await s.delete('courses/c3/d1/gone.txt');
    expect((await s.list('courses/c3/')).items).toEqual([]);
  });

  it('answers null for missing keys and for a prefix that is not an object', async () => {
    expect(await s.get('courses/none/x.html')).toBeNull();
    expect(await s.head('courses/none/x.html')).toBeNull();
    await s.put('courses/c4/d1/index.html', 'x');
    expect(await s.get('courses/c4/d1')).toBeNull();
    expect(await s.head('courses/c4')).toBeNull();
  });

  it('rejects hostile keys in every operation with invalid_storage_key', async () => {
    const hostile = [
      '../x',
      'courses/../../etc/passwd',
      '/etc/passwd',
      'a\\b',
      'a\0b',
      'a//b',
      '',
      'a/',
      './a',
      'C:/x',
    ];
    for (const key of hostile) {
      await expectCode(s.put(key, 'x'), 'invalid_storage_key');
      await expectCode(s.get(key), 'invalid_storage_key');
      await expectCode(s.head(key), 'invalid_storage_key');
      await expectCode(s.delete(key), 'invalid_storage_key');
      await expectCode(s.copy('courses/c1/d1/abc.txt', key), 'invalid_storage_key');
    }
    await expectCode(s.list('../'), 'invalid_storage_key');
  });

  // A binding cannot presign: against R2 the s3 driver presigns through R2's S3 API (docs/deploy-cloudflare.md).
  it.skipIf(name === 'r2')('uploads through a presigned PUT with fetch', async () => {
    const body = new TextEncoder().encode('{"direct":true}');
    const signed = await s.presignPut!('courses/c5/d1/direct.json', {
      contentType: 'application/json; charset=utf-8',
      sha256: sha256(body),
      expiresIn: 300,
      cacheControl: 'public, max-age=31536000, immutable',
    });
    expect(signed.url).toMatch(
      name === 's3' ? /X-Amz-Signature=/ : /\/v1\/uploads\/courses\/c5\/d1\/direct\.json\?.*sig=/,
    );
    const res = await fetch(signed.url, { method: signed.method, headers: signed.headers, body });
    expect(res.status).toBe(200);
    const got = await s.get('courses/c5/d1/direct.json');
    expect(got?.contentType).toBe('application/json; charset=utf-8');
    if (name === 's3') expect(got?.cacheControl).toBe('public, max-age=31536000, immutable');
    expect(await text(got!.body)).toBe('{"direct":true}');
    if (name === 'fs') {
      // The signature covers the exact bytes: other bytes on the same URL are refused and not stored.
      // (R2 and S3 check x-amz-checksum-sha256 the same way; s3rver does not, so it is not asserted there.)
      const other = await fetch(signed.url, {
        method: 'PUT',
        headers: signed.headers,
        body: '{"direct":false}',
      });
      expect(other.status).toBe(400);
      expect(((await other.json()) as { error: { code: string } }).error.code).toBe('checksum_mismatch');
      expect(await text((await s.get('courses/c5/d1/direct.json'))!.body)).toBe('{"direct":true}');
      return;
    }
    expect(s.publicUrl?.('courses/c5/d1/a b.json')).toBe('https://cdn.example.test/courses/c5/d1/a%20b.json');
  });
});

describe('fs driver specifics', () => {
  it('never follows a symbolic link, inside or out of the root', async () => {
    const root = join(tempDir('cg-fs-'), 'content');
    const s = await createFsStorage({ root });
    const outside = tempDir('cg-outside-');
    writeFileSync(join(outside, 'secret.txt'), 'secret');
    await mkdir(join(root, 'objects', 'courses', 'c'), { recursive: true });
    symlinkSync(join(outside, 'secret.txt'), join(root, 'objects', 'courses', 'c', 'link.txt'));
    symlinkSync(outside, join(root, 'objects', 'courses', 'dir'));
    expect(await s.get('courses/c/link.txt')).toBeNull();
    expect(await s.head('courses/dir/secret.txt')).toBeNull();
    expect((await s.list('courses/')).items).toEqual([]);
    await expectCode(s.put('courses/dir/new.txt', 'x'), 'invalid_storage_key');
    expect(readdirSync(outside)).toEqual(['secret.txt']);
  });

  it('leaves no object and no temporary file when a streamed write fails', async () => {
    const root = join(tempDir('cg-fs-'), 'content');
    const s = await createFsStorage({ root });
    let sent = 0;
    const failing = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 3) controller.enqueue(new Uint8Array(1024));
        else controller.error(new Error('connection reset'));
      },
    });
    await expect(s.put('courses/c/half.bin', failing)).rejects.toThrow('connection reset');
    expect(await s.head('courses/c/half.bin')).toBeNull();
    expect(readdirSync(join(root, 'tmp'))).toEqual([]);
  });

  it('does not trust a sidecar once the file was replaced behind its back', async () => {
    const root = join(tempDir('cg-fs-'), 'content');
    const s = await createFsStorage({ root });
    const put = await s.put('courses/c/page.html', 'aaaa');
    expect((await s.head('courses/c/page.html'))?.etag).toBe(put.etag);
    const file = join(root, 'objects', 'courses', 'c', 'page.html');
    writeFileSync(`${file}.new`, 'bbbb');
    renameSync(`${file}.new`, file);
    const after = await s.head('courses/c/page.html');
    expect(after?.size).toBe(4);
    expect(after?.etag).not.toBe(put.etag);
    expect(after?.contentType).toBe('text/html; charset=utf-8');
  });

  it('keeps a copy unchanged when its source is replaced or deleted, and leaves no temporary file', async () => {
    const root = join(tempDir('cg-fs-'), 'content');
    const s = await createFsStorage({ root });
    await s.put('courses/c/d1/app.js', 'v1');
    expect(await s.copy('courses/c/d1/app.js', 'courses/c/d2/app.js')).toBe(true);
    expect(await s.copy('courses/c/d1/app.js', 'courses/c/d2/app.js')).toBe(true);
    await s.put('courses/c/d1/app.js', 'v2 longer');
    expect(await text((await s.get('courses/c/d2/app.js'))!.body)).toBe('v1');
    const copy = await s.head('courses/c/d2/app.js');
    expect(copy?.etag).toBe(`"${sha256(new TextEncoder().encode('v1'))}"`);
    await s.delete('courses/c/d1/app.js');
    expect(await text((await s.get('courses/c/d2/app.js'))!.body)).toBe('v1');
    expect(readdirSync(join(root, 'tmp'))).toEqual([]);
  });
});
