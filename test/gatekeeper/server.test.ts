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
