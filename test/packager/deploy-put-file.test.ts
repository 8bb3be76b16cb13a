import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Storage } from '../../gatekeeper/storage/index.js';
import { collectFiles, isRetryableError, putFile, uploadFiles } from '../../packager/deploy/index.js';
import { PackagerError } from '../../packager/errors.js';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
let base: string;
const big = new Uint8Array(randomBytes(3 * 1024 * 1024 + 5));

function write(rel: string, content: string | Uint8Array = rel) {
  const file = join(base, 'dist', rel);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
}

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'cg-putfile-'));
  write('index.html', '<h1>Hi</h1>');
  write('media/big.mp4', big);
  write('js/app.js');
  write('js/app.js.map');
  write('.git/HEAD');
  write('node_modules/lib/index.js');
  write('.env', 'TOKEN=secret');
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('putFile against a real HTTP server', () => {
  let server: Server;
  let url: string;
  const seen: { headers: IncomingHttpHeaders; bytes: Buffer }[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ headers: req.headers, bytes: Buffer.concat(chunks) });
        if (req.url === '/busy') res.writeHead(503, { 'retry-after': '2' }).end('slow down');
        else if (req.url === '/denied') res.writeHead(403).end('<Error>AccessDenied</Error>');
        else res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('streams the file with an exact Content-Length and the given headers, never chunked', async () => {
    const file = {
      path: 'media/big.mp4',
      absolutePath: join(base, 'dist/media/big.mp4'),
      size: big.byteLength,
    };
    await putFile({ url: `${url}/ok`, headers: { 'content-type': 'video/mp4' }, file });
    const got = seen.at(-1)!;
    expect(got.headers['content-length']).toBe(String(big.byteLength));
    expect(got.headers['transfer-encoding']).toBeUndefined();
    expect(got.headers['content-type']).toBe('video/mp4');
    expect(sha256(got.bytes)).toBe(sha256(big));
  });

  it('throws with the status and Retry-After, retryable for 503 and final for 403', async () => {
    const file = { path: 'index.html', absolutePath: join(base, 'dist/index.html'), size: 11 };
    const busy = await putFile({ url: `${url}/busy`, file }).catch((e: unknown) => e);
    expect(busy).toBeInstanceOf(PackagerError);
    expect(busy).toMatchObject({ code: 'upload_failed', status: 503, retryAfterMs: 2000 });
    expect(isRetryableError(busy)).toBe(true);
    const denied = await putFile({ url: `${url}/denied`, file }).catch((e: unknown) => e);
    expect(denied).toMatchObject({ status: 403 });
    expect((denied as Error).message).toContain('AccessDenied');
    expect(isRetryableError(denied)).toBe(false);
  });
});

describe('collect, presign and upload into s3 (s3rver)', () => {
  it('uploads exactly the built output, byte for byte, and names what it left out', async () => {
    const require = createRequire(import.meta.url);
    const S3rver = require('s3rver') as new (
      o: Record<string, unknown>,
    ) => { run(): Promise<AddressInfo>; close(): Promise<void> };
    const s3rver = new S3rver({
      address: '127.0.0.1',
      port: 0,
      silent: true,
      directory: join(base, 's3rver'),
      configureBuckets: [{ name: 'coursegate-deploy' }],
    });
    const { port } = await s3rver.run();
    try {
      const storage = createS3Storage({
        endpoint: `http://127.0.0.1:${port}`,
        bucket: 'coursegate-deploy',
        region: 'us-east-1',
        accessKeyId: 'S3RVER',
        secretAccessKey: 'S3RVER',
        forcePathStyle: true,
      });
      const { files, skipped } = await collectFiles(join(base, 'dist'));
      const prefix = 'courses/demo/d1/';
      const progress: number[] = [];
      const result = await uploadFiles({
        files,
        concurrency: 3,
        send: async (file, { signal, onBytes }) => {
          const signed = await storage.presignPut!(`${prefix}${file.path}`, {
            contentType: 'application/octet-stream',
            sha256: file.sha256,
            expiresIn: 300,
          });
          await putFile({ url: signed.url, headers: signed.headers, file, signal, onBytes });
        },
        onProgress: (p) => progress.push(p.bytesDone),
      });
      expect(result.files).toBe(files.length);
      // Bytes are reported while the 3 MB video is sent, not only as each file finishes.
      const total = files.reduce((n, f) => n + f.size, 0);
      expect(progress.length).toBeGreaterThan(files.length + 3);
      expect(progress).toEqual([...progress].sort((a, b) => a - b));
      expect(progress.at(-1)).toBe(total);
      const listed = (await storage.list(prefix)).items.map((i) => i.key.slice(prefix.length));
      expect(listed).toEqual(['index.html', 'js/app.js', 'media/big.mp4']);
      expect(skipped.map((s) => s.path).sort()).toEqual(['.env', '.git/', 'js/app.js.map', 'node_modules/']);
      const got = await storage.get(`${prefix}media/big.mp4`);
      expect(sha256(new Uint8Array(await new Response(got!.body).arrayBuffer()))).toBe(sha256(big));
    } finally {
      await s3rver.close();
    }
  });
});
