import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { backoffDelay } from '../../packager/deploy/retry-policy.js';
import { type UploadProgress, uploadFiles } from '../../packager/deploy/upload.js';
import { PackagerError } from '../../packager/errors.js';

interface TestFile {
  path: string;
  size: number;
  body: string;
}

const file = (path: string, body = `content of ${path}`): TestFile => ({ path, size: body.length, body });

/** A real upload target: PUT /<path> stores the body, with some paths failing on purpose. */
let server: Server;
let base: string;
let stored: Map<string, string>;
let attempts: Map<string, number>;
let inFlight = 0;
let maxInFlight = 0;
let held: Array<() => void> = [];
let closedEarly = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').slice(1));
    const n = (attempts.get(path) ?? 0) + 1;
    attempts.set(path, n);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    res.on('close', () => {
      inFlight--;
      if (!res.writableFinished) closedEarly++;
    });
    req.on('end', () => {
      const answer = (status: number, headers: Record<string, string> = {}) => {
        if (status === 200) stored.set(path, Buffer.concat(chunks).toString());
        res.writeHead(status, headers).end();
      };
      if (path.startsWith('flaky') && n <= 2) return answer(503);
      if (path === 'rate.txt' && n === 1) return answer(429);
      if (path === 'reset.bin' && n === 1) return req.socket.destroy();
      if (path === 'bad.txt') return answer(400);
      if (path === 'always-503.txt') return answer(503);
      if (path.startsWith('hold')) return held.push(() => answer(200));
      setTimeout(() => answer(200), 2);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const release of held) release();
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});
beforeEach(() => {
  stored = new Map();
  attempts = new Map();
  maxInFlight = 0;
  closedEarly = 0;
});

async function send(f: TestFile, ctx: { signal: AbortSignal }) {
  const res = await fetch(`${base}/${encodeURIComponent(f.path)}`, {
    method: 'PUT',
    body: f.body,
    signal: ctx.signal,
  });
  if (!res.ok) throw Object.assign(new Error(`HTTP ${res.status}`), { status: res.status });
}

const fast = { retry: { baseDelayMs: 1, maxDelayMs: 5 } };

describe('uploadFiles against a real HTTP server', () => {
  it('uploads every file, retrying 503, 429 and a reset connection, within the concurrency bound', async () => {
    const files = [
      ...Array.from({ length: 12 }, (_, i) => file(`ok-${i}.txt`)),
      file('flaky-1.txt'),
      file('flaky-2.txt'),
      file('rate.txt'),
      file('reset.bin'),
    ];
    const progress: UploadProgress[] = [];
    const retried: string[] = [];
    const result = await uploadFiles({
      files,
      send,
      concurrency: 3,
      ...fast,
      onProgress: (p) => progress.push(p),
      onRetry: (r) => retried.push(`${r.path}#${r.attempt}`),
    });
    expect(result).toEqual({ files: 16, bytes: files.reduce((n, f) => n + f.size, 0), retries: 6 });
    for (const f of files) expect(stored.get(f.path)).toBe(f.body);
    expect(attempts.get('flaky-1.txt')).toBe(3);
    expect(attempts.get('rate.txt')).toBe(2);
    expect(attempts.get('reset.bin')).toBe(2);
    expect(attempts.get('ok-0.txt')).toBe(1);
    expect(retried.sort()).toEqual(
      [
        'flaky-1.txt#1',
        'flaky-1.txt#2',
        'flaky-2.txt#1',
        'flaky-2.txt#2',
        'rate.txt#1',
        'reset.bin#1',
      ].sort(),
    );
    expect(maxInFlight).toBeLessThanOrEqual(3);
    expect(progress[0]).toEqual({ filesDone: 0, filesTotal: 16, bytesDone: 0, bytesTotal: result.bytes });
    expect(progress.at(-1)).toMatchObject({ filesDone: 16, bytesDone: result.bytes });
    for (let i = 1; i < progress.length; i++) {
      expect(progress[i]!.filesDone).toBe(progress[i - 1]!.filesDone + 1);
      expect(progress[i]!.bytesDone).toBeGreaterThan(progress[i - 1]!.bytesDone);
    }
  });

  it.each([Number.NaN, 0, -3])(
    'uploads every file, one at a time, when concurrency is %s',
    async (concurrency) => {
      const files = Array.from({ length: 5 }, (_, i) => file(`ok-${i}.txt`));
      const result = await uploadFiles({ files, send, concurrency, ...fast });
      expect(result.files).toBe(5);
      for (const f of files) expect(stored.get(f.path)).toBe(f.body);
      expect(maxInFlight).toBe(1);
    },
  );

  it('stops at a 400 without retrying it and names the file', async () => {
    const files = [file('bad.txt'), ...Array.from({ length: 20 }, (_, i) => file(`ok-${i}.txt`))];
    const err = await uploadFiles({ files, send, concurrency: 2, ...fast }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PackagerError);
    expect((err as PackagerError).code).toBe('upload_failed');
    expect((err as PackagerError).message).toContain('bad.txt');
    expect(attempts.get('bad.txt')).toBe(1);
    expect(stored.size).toBeLessThan(20);
  });

  it('gives up after the retries are spent', async () => {
    const err = await uploadFiles({ files: [file('always-503.txt')], send, retries: 2, ...fast }).catch(
      (e: unknown) => e,
    );
    expect((err as PackagerError).code).toBe('upload_failed');
    expect((err as PackagerError).message).toContain('after 3 attempts');
    expect(attempts.get('always-503.txt')).toBe(3);
  });

  it('aborts cleanly: requests in flight are cancelled and nothing new starts', async () => {
    held = [];
    const files = [file('hold-1.txt'), file('hold-2.txt'), file('later-1.txt'), file('later-2.txt')];
    const controller = new AbortController();
    const run = uploadFiles({ files, send, concurrency: 2, signal: controller.signal, ...fast });
    await expect.poll(() => held.length).toBe(2);
    controller.abort();
    const err = await run.catch((e: unknown) => e);
    expect((err as PackagerError).code).toBe('aborted');
    await expect.poll(() => closedEarly).toBe(2);
    expect(attempts.has('later-1.txt')).toBe(false);
    expect(stored.size).toBe(0);
    held = [];
  });
});

describe('backoffDelay', () => {
  it('doubles per attempt, stays within its jitter band and is capped', () => {
    expect(backoffDelay(1, 100, 10_000, () => 0)).toBe(50);
    expect(backoffDelay(1, 100, 10_000, () => 0.999)).toBe(100);
    expect(backoffDelay(3, 100, 10_000, () => 0.5)).toBe(300);
    expect(backoffDelay(20, 100, 10_000, () => 0.999)).toBe(9_995);
  });
});
