import { describe, expect, it } from 'vitest';
import { TEST_CLOCK_HEADER } from '../../gatekeeper/worker-env.js';
import { startWorkerTarget } from '../helpers/worker-target.js';

describe('the Worker test clock stays out of production', () => {
  it('ignores the clock header unless COURSEGATE_TEST_CLOCK=on', async () => {
    const w = await startWorkerTarget({
      publicUrl: 'https://gatekeeper.example.com',
      contentUrl: 'https://content.example-cdn.com',
      testClock: false,
    });
    try {
      const res = await w.fetch('/healthz', { headers: { [TEST_CLOCK_HEADER]: '2001-01-01T00:00:00Z' } });
      expect(res.status).toBe(200);
      const { time } = (await res.json()) as { time: string };
      expect(time.startsWith('2001')).toBe(false);
    } finally {
      await w.mf.dispose();
    }
  });

  it('refuses to serve with COURSEGATE_TEST_CLOCK=on behind a public URL', async () => {
    const w = await startWorkerTarget({
      publicUrl: 'https://gatekeeper.example.com',
      contentUrl: 'https://content.example-cdn.com',
    });
    try {
      const res = await w.fetch('/healthz', { headers: { [TEST_CLOCK_HEADER]: '2001-01-01T00:00:00Z' } });
      expect(res.status).toBe(500);
      expect(await res.text()).not.toContain('2001');
    } finally {
      await w.mf.dispose();
    }
  });
});

describe('the Worker refuses unsafe URLs', () => {
  it('refuses to serve with its content URL on its own host', async () => {
    const w = await startWorkerTarget({
      publicUrl: 'https://gatekeeper.example.com',
      contentUrl: 'https://gatekeeper.example.com/content',
      testClock: false,
    });
    try {
      const res = await w.fetch('/healthz');
      expect(res.status).toBe(500);
      expect(await res.text()).toContain('must be on another host than COURSEGATE_PUBLIC_URL');
    } finally {
      await w.mf.dispose();
    }
  });

  it('refuses a COURSEGATE_ORG_CONTENT_URL without {org} as a label of its host', async () => {
    const w = await startWorkerTarget({
      publicUrl: 'https://gatekeeper.example.com',
      contentUrl: 'https://content.example-cdn.com',
      orgContentUrl: 'https://content.example-cdn.com/{org}',
      testClock: false,
    });
    try {
      const res = await w.fetch('/healthz');
      expect(res.status).toBe(500);
      expect(await res.text()).toContain('COURSEGATE_ORG_CONTENT_URL must be a URL whose host holds {org}');
    } finally {
      await w.mf.dispose();
    }
  });
});
