import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../gatekeeper/config.js';
import { DATABASE_FILE } from '../../gatekeeper/db/database-file.js';
import { openSqlite } from '../../gatekeeper/db/open-sqlite.js';
import { openFileKeyStore } from '../../gatekeeper/keys/file-key-store.js';
import { startServer } from '../../gatekeeper/server.js';
import { startGatekeeper } from '../helpers/gatekeeper.js';
import { seedLicenses } from '../helpers/gatekeeper-process.js';

describe('startServer', () => {
  it('listens on a free port over real HTTP and cleans its data dir on close', async () => {
    const gk = await startGatekeeper();
    expect(gk.url).toMatch(/^http:\/\/localhost:\d+$/);
    expect(gk.url).not.toMatch(/:0$/);
    const res = await fetch(`${gk.url.replace('localhost', '127.0.0.1')}/healthz`);
    expect(res.status).toBe(200);
    expect(existsSync(gk.dataDir)).toBe(true);
    await gk.close();
    expect(existsSync(gk.dataDir)).toBe(false);
  });

  it('reads its browser assets and builds nothing: without them it refuses to start, saying how to build', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'cg-assets-'));
    const dataDir = mkdtempSync(join(tmpdir(), 'cg-data-'));
    try {
      const config = loadConfig({
        COURSEGATE_PORT: '0',
        COURSEGATE_DATA_DIR: dataDir,
        COURSEGATE_LOG: 'off',
        COURSEGATE_ASSETS_DIR: empty,
      });
      await expect(startServer(config)).rejects.toThrow(/npm run build:runtime/);
      // Nothing was built into it, and no database was opened for a server that never started.
      expect(readdirSync(empty)).toEqual([]);
      expect(existsSync(join(dataDir, DATABASE_FILE))).toBe(false);
    } finally {
      rmSync(empty, { recursive: true, force: true });
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('content origin (fs storage)', () => {
  it('serves content from another host than the API, with no listing and traversal refused', async () => {
    const gk = await startGatekeeper();
    try {
      const api = new URL(gk.url);
      const content = new URL(gk.contentUrl);
      expect(content.hostname).not.toBe(api.hostname);
      expect(content.port).not.toBe('0');
      const missing = await fetch(`${gk.contentUrl}/courses/nope/nope/index.html`);
      expect(missing.status).toBe(404);
      expect(missing.headers.get('x-content-type-options')).toBe('nosniff');
      expect((await fetch(`${gk.contentUrl}/courses/`)).status).toBe(404);
      // The API does not serve content, and the content origin does not serve the API.
      expect((await fetch(`${gk.contentUrl}/healthz`)).status).toBe(404);
    } finally {
      await gk.close();
    }
  });
});

/**
 * A raw HTTP/1.1 POST on its own socket, so a test sends exactly the headers it names (one name twice,
 * chunked framing); the server closes the connection after answering (`Connection: close`).
 */
function post(url: string, headers: [string, string][], body: string, chunked = false) {
  const { hostname, port, pathname } = new URL(url);
  const framing: [string, string] = chunked
    ? ['Transfer-Encoding', 'chunked']
    : ['Content-Length', String(Buffer.byteLength(body))];
  const head = [`POST ${pathname} HTTP/1.1`, `Host: ${hostname}:${port}`, 'Connection: close']
    .concat([...headers, framing].map(([name, value]) => `${name}: ${value}`))
    .join('\r\n');
  const payload = chunked ? `${Buffer.byteLength(body).toString(16)}\r\n${body}\r\n0\r\n\r\n` : body;
  return new Promise<{
    status: number;
    cors: string | undefined;
    body: { error?: { code: string; message: string } };
  }>((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let raw = '';
    socket.on('data', (d) => {
      raw += d;
    });
    socket.on('end', () => {
      const split = raw.indexOf('\r\n\r\n');
      resolve({
        status: Number(raw.split(' ')[1]),
        cors: /^access-control-allow-origin: (.*)$/im.exec(raw.slice(0, split))?.[1],
        body: JSON.parse(raw.slice(split + 4)),
      });
    });
    socket.on('error', reject);
    socket.write(`${head}\r\n\r\n${payload}`);
  });
}

describe('POST /v1/launch over real HTTP', () => {
  it('judges the Origin, Content-Type and body size headers as sent on the wire', async () => {
    const gk = await startGatekeeper();
    try {
      const db = await openSqlite({ file: join(gk.dataDir, DATABASE_FILE) });
      const { tokens } = await seedLicenses(db, await openFileKeyStore(gk.dataDir), gk.url, {
        name: 'Wire',
        allowedOrigins: ['https://lms.example'],
      });
      await db.close();
      const url = `${gk.listenUrl}/v1/launch`;
      const body = JSON.stringify({ token: tokens[0], standard: 'scorm12' });
      const json: [string, string] = ['Content-Type', 'application/json; charset=utf-8'];
      const allowed = await post(url, [json, ['Origin', 'https://lms.example']], body);
      expect([allowed.status, allowed.cors]).toEqual([200, '*']);
      const elsewhere = await post(url, [json, ['Origin', 'https://other.example']], body);
      expect([elsewhere.status, elsewhere.cors, elsewhere.body.error?.code]).toEqual([
        403,
        '*',
        'origin_not_allowed',
      ]);
      // Two Origin headers are one value "a, b", as fetch's Headers joins them: not an allowed origin.
      const twice = await post(
        url,
        [json, ['Origin', 'https://lms.example'], ['Origin', 'https://x.example']],
        body,
      );
      expect(twice.body.error?.code).toBe('origin_not_allowed');
      // JSON as text/plain, as the stub sends it (no preflight), is a launch; another type is refused.
      const plain = await post(
        url,
        [
          ['Content-Type', 'text/plain;charset=UTF-8'],
          ['Origin', 'https://lms.example'],
        ],
        body,
      );
      expect([plain.status, plain.cors]).toEqual([200, '*']);
      const notJson = await post(
        url,
        [
          ['Content-Type', 'application/x-www-form-urlencoded'],
          ['Origin', 'https://lms.example'],
        ],
        body,
      );
      expect([notJson.status, notJson.cors, notJson.body.error?.message]).toEqual([
        400,
        '*',
        'Send a JSON body (Content-Type: application/json)',
      ]);
      const big = JSON.stringify({ token: 'x'.repeat(20_000), standard: 'scorm12' });
      const tooBig = await post(url, [json], big);
      // Rendered by the app's error handler, not the route: the browser must still be able to read it.
      expect([tooBig.status, tooBig.cors, tooBig.body.error?.code]).toEqual([413, '*', 'payload_too_large']);
      const chunked = await post(url, [json], big, true);
      expect([chunked.status, chunked.cors, chunked.body.error?.code]).toEqual([
        413,
        '*',
        'payload_too_large',
      ]);
    } finally {
      await gk.close();
    }
  });
});
