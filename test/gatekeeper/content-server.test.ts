import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningContentServer, startContentServer } from '../../gatekeeper/content/index.js';
import { createFsStorage } from '../../gatekeeper/storage/index.js';

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Sends the request line exactly as written: fetch and http.request would normalise `../` first. */
function rawGet(port: number, target: string, extra = ''): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', reject);
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', body = ''] = text.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const i = line.indexOf(':');
        headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
      }
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body });
    });
    socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n${extra}Connection: close\r\n\r\n`);
  });
}

let dir: string;
let server: RunningContentServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cg-content-srv-'));
  const storage = await createFsStorage({ root: dir });
  await storage.put('courses/intro/d1/index.html', '<h1>Intro</h1>');
  await storage.put('courses/intro/d1/media/clip.mp3', '0123456789');
  await storage.put('private/secret.txt', 'secret');
  server = await startContentServer({ storage, host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('content server over raw HTTP', () => {
  it('listens on its own port and serves with immutable caching and nosniff', async () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    const res = await rawGet(server.port, '/courses/intro/d1/index.html');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers.etag).toMatch(/^"[0-9a-f]{64}"$/);
    expect(res.body).toBe('<h1>Intro</h1>');
  });

  it('serves a media range as 206', async () => {
    const res = await rawGet(server.port, '/courses/intro/d1/media/clip.mp3', 'Range: bytes=3-5\r\n');
    expect(res.status).toBe(206);
    expect(res.headers['content-range']).toBe('bytes 3-5/10');
    expect(res.headers['content-type']).toBe('audio/mpeg');
    expect(res.body).toBe('345');
  });

  it.each([
    '/courses/intro/d1/../../../private/secret.txt',
    '/courses/intro/d1/../d1/index.html',
    '/courses/intro/d1/%2e%2e/%2e%2e/%2e%2e/private/secret.txt',
    '/courses/intro/d1/%2E%2E/%2E%2E/%2E%2E/private/secret.txt',
    '/courses/intro/d1/.%2e/.%2e/.%2e/private/secret.txt',
    '/courses/intro/d1/..%2f..%2f..%2fprivate%2fsecret.txt',
    '/courses/intro/d1/..\\..\\..\\private\\secret.txt',
    '/courses/intro/d1/%5c..%5c..%5cindex.html',
    '//etc/passwd',
    '/etc/passwd',
    '/courses/intro/d1/%2fetc%2fpasswd',
    'http://127.0.0.1/courses/intro/d1/index.html',
    '/courses/intro/d1/',
    '/private/secret.txt',
  ])('answers %s with 404', async (target) => {
    const res = await rawGet(server.port, target);
    expect(res.status).toBe(404);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.body).not.toContain('secret');
    expect(res.body).not.toContain('Intro');
  });
});
