import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startGatekeeper } from '../helpers/gatekeeper.js';

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
});
