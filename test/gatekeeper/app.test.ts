import { describe, expect, it } from 'vitest';
import { createApp } from '../../gatekeeper/app.js';

const app = createApp({
  now: () => new Date('2026-01-02T03:04:05Z'),
  config: { publicUrl: 'http://localhost:1', contentUrl: 'http://127.0.0.1:2' },
});

describe('createApp', () => {
  it('answers /healthz with the injected clock', async () => {
    const res = await app.request('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, time: '2026-01-02T03:04:05.000Z' });
  });

  it('renders an unknown route as the standard error body', async () => {
    const res = await app.request('/nope');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'No such route' } });
  });
});
