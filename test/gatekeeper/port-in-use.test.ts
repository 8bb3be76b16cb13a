import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/paths.js';

/** The Gatekeeper as operators start it, on a port another program holds: one line naming the setting. */
let taken: Server;
let port: number;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'cg-port-'));
  taken = createServer();
  await new Promise<void>((done) => taken.listen(0, '127.0.0.1', done));
  port = (taken.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise<void>((done) => taken.close(() => done()));
  rmSync(dataDir, { recursive: true, force: true });
});

function start(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'gatekeeper/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, COURSEGATE_DATA_DIR: dataDir, COURSEGATE_HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  return new Promise((done) => child.on('exit', (code) => done({ code, stderr })));
}

describe('a port another program holds', { timeout: 60_000 }, () => {
  it.each([
    ['API', { COURSEGATE_PORT: 'taken', COURSEGATE_CONTENT_PORT: '0' }],
    ['content', { COURSEGATE_PORT: '0', COURSEGATE_CONTENT_PORT: 'taken' }],
  ])('on the %s listener stops the start with one line naming the port and the settings', async (_, env) => {
    const withPort = Object.fromEntries(
      Object.entries(env).map(([k, v]) => [k, v === 'taken' ? String(port) : v]),
    );
    const { code, stderr } = await start(withPort);
    expect(code).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines, stderr).toHaveLength(1);
    expect(lines[0]).toBe(
      `Port ${port} is already in use by another program: stop it, or choose another port with COURSEGATE_PORT (API), COURSEGATE_CONTENT_PORT (content), COURSEGATE_DEMO_PORT (demo LMS).`,
    );
  });
});
