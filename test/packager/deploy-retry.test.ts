import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../../packager/commands/api-client.js';
import { describeCause, failureHost } from '../../packager/deploy/failure-cause.js';
import { putFile } from '../../packager/deploy/put-file.js';
import { DEFAULT_RETRY_POLICY, isRetryableError, retryDelay } from '../../packager/deploy/retry-policy.js';
import { type UploadRetryInfo, uploadFiles } from '../../packager/deploy/upload.js';
import { withRetries } from '../../packager/deploy/with-retries.js';
import { PackagerError } from '../../packager/errors.js';
import { makeCourseDir, removeDir } from './fixtures.js';

/** The waits a file goes through while it keeps failing at once, and when each try happens. */
function schedule(random: () => number) {
  const tries = [0];
  let t = 0;
  for (let attempt = 1; ; attempt++) {
    const delay = retryDelay({ attempt, failingForMs: t }, DEFAULT_RETRY_POLICY, random);
    if (delay === undefined) return { tries, delays: tries.slice(1).map((at, i) => at - tries[i]!) };
    t += delay;
    tries.push(t);
  }
}

describe('the default retry schedule', () => {
  it.each([
    ['the shortest jitter', () => 0],
    ['the longest jitter', () => 0.999],
    ['random jitter', Math.random],
  ])('keeps trying for 60 s, waits at most 8 s, so a 30 s outage is ridden out (%s)', (_, random) => {
    const { tries, delays } = schedule(random);
    expect(tries.at(-1)).toBe(60_000);
    expect(Math.max(...delays)).toBeLessThanOrEqual(8_000);
    // The first try after a 30 s outage comes within the cap of its end.
    expect(tries.find((t) => t >= 30_000)).toBeLessThanOrEqual(38_000);
  });

  it('doubles from 250–500 ms up to the cap, half of each wait random', () => {
    expect(schedule(() => 0).delays.slice(0, 7)).toEqual([250, 500, 1_000, 2_000, 4_000, 4_000, 4_000]);
    expect(schedule(() => 0.999).delays.slice(0, 6)).toEqual([500, 1_000, 1_999, 3_998, 7_996, 7_996]);
  });

  it('honours Retry-After, even past the cap, and gives up at once when it is past the budget', () => {
    const policy = DEFAULT_RETRY_POLICY;
    expect(retryDelay({ attempt: 1, failingForMs: 0, retryAfterMs: 3_000 }, policy, () => 0)).toBe(3_000);
    expect(retryDelay({ attempt: 1, failingForMs: 0, retryAfterMs: 20_000 }, policy, () => 0)).toBe(20_000);
    expect(retryDelay({ attempt: 4, failingForMs: 50_000, retryAfterMs: 20_000 }, policy, () => 0)).toBe(
      undefined,
    );
    // The last wait is cut to the budget's end, so the last try comes at 60 s, not past it.
    expect(retryDelay({ attempt: 9, failingForMs: 59_000 }, policy, () => 0.999)).toBe(1_000);
    expect(retryDelay({ attempt: 9, failingForMs: 60_000 }, policy, () => 0)).toBe(undefined);
  });
});

describe('which failures are retried, and how they are named (real servers and sockets)', () => {
  let server: Server;
  let base: string;
  let closedPort: number;
  let dir: string;
  const file = () => ({ path: 'a.txt', absolutePath: `${dir}/a.txt`, size: 5 });

  beforeAll(async () => {
    dir = makeCourseDir({ 'a.txt': 'hello' });
    server = createServer((req, res) => {
      req.resume();
      const status = Number(req.url?.split('/')[1]);
      const body =
        status === 503
          ? JSON.stringify({ error: { code: 'storage_unavailable', message: 'Storage is not answering' } })
          : '<Error><Code>AccessDenied</Code></Error>';
      res.writeHead(status, status === 503 ? { 'retry-after': '4' } : {}).end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const spare = createServer();
    await new Promise<void>((r) => spare.listen(0, '127.0.0.1', () => r()));
    closedPort = (spare.address() as AddressInfo).port;
    await new Promise((r) => spare.close(r));
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    removeDir(dir);
  });

  const failure = (url: string) => putFile({ url, file: file() }).catch((e: unknown) => e);

  it.each([
    [429, true],
    [500, true],
    [502, true],
    [503, true],
    [504, true],
    [400, false],
    [403, false],
    [404, false],
    [501, false],
  ])('HTTP %s: retried %s', async (status, retried) => {
    const err = await failure(`${base}/${status}`);
    expect(isRetryableError(err)).toBe(retried);
  });

  it('a 503 names the server code and carries Retry-After', async () => {
    const err = await failure(`${base}/503`);
    expect(err).toMatchObject({ status: 503, retryAfterMs: 4_000 });
    expect(describeCause(err)).toBe('HTTP 503 Service Unavailable (storage_unavailable)');
    expect(failureHost(err)).toBe(new URL(base).host);
    expect(describeCause(await failure(`${base}/403`))).toBe('HTTP 403 Forbidden (AccessDenied)');
  });

  it('a refused connection is retried and named with its host', async () => {
    const err = await failure(`http://127.0.0.1:${closedPort}/x`);
    expect(isRetryableError(err)).toBe(true);
    expect(describeCause(err)).toBe('connection refused (ECONNREFUSED)');
    expect(failureHost(err)).toBe(`127.0.0.1:${closedPort}`);
    expect((err as Error).message).not.toMatch(/^fetch failed/);
  });

  it('a TLS failure is not retried and says TLS', async () => {
    const err = await failure(`https://127.0.0.1:${new URL(base).port}/200`);
    expect(isRetryableError(err)).toBe(false);
    expect(describeCause(err)).toMatch(/^TLS: wrong version number \(ERR_SSL_\w+\)$/);
  });

  it('an unknown host says DNS', async () => {
    const err = await failure('http://no-such-host.invalid/x');
    expect(describeCause(err)).toMatch(/^DNS: .* \((ENOTFOUND|EAI_AGAIN)\)$/);
    expect(failureHost(err)).toBe('no-such-host.invalid');
  });

  describe('uploadFiles on a clock of its own (no sleeping)', () => {
    /** A clock that moves only when `uploadFiles` waits. */
    const fakeTime = () => {
      let t = 0;
      return {
        now: () => t,
        sleep: async (ms: number) => {
          t += ms;
        },
      };
    };

    it('rides out a 30 s outage with the default schedule, saying why each time', async () => {
      const clock = fakeTime();
      const retried: UploadRetryInfo[] = [];
      const sent: string[] = [];
      const result = await uploadFiles({
        files: [file()],
        ...clock,
        send: async (f, { signal }) => {
          const url = clock.now() < 30_000 ? `http://127.0.0.1:${closedPort}/x` : `${base}/200`;
          await putFile({ url, file: f, signal });
          sent.push(url);
        },
        onRetry: (r) => retried.push(r),
      });
      expect(result.files).toBe(1);
      expect(sent).toEqual([`${base}/200`]);
      expect(clock.now()).toBeGreaterThanOrEqual(30_000);
      expect(clock.now()).toBeLessThanOrEqual(38_000);
      expect(describeCause(retried[0]!.error)).toBe('connection refused (ECONNREFUSED)');
    });

    it('gives up after retryForMs with the host, the cause and how to resume', async () => {
      const clock = fakeTime();
      const err = await uploadFiles({
        files: [file()],
        ...clock,
        retry: { retryForMs: 5_000 },
        send: (f, { signal }) => putFile({ url: `http://127.0.0.1:${closedPort}/x`, file: f, signal }),
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PackagerError);
      expect(clock.now()).toBe(5_000);
      expect((err as PackagerError).message).toMatch(
        new RegExp(
          `^Upload of a\\.txt to 127\\.0\\.0\\.1:${closedPort} failed after \\d+ attempts over 5 s: ` +
            'connection refused \\(ECONNREFUSED\\)\\. Files already stored are kept: run the same command again to resume$',
        ),
      );
    });

    it('waits as long as Retry-After says, and never retries a 403', async () => {
      const clock = fakeTime();
      const waits: number[] = [];
      let busy = true;
      await uploadFiles({
        files: [file()],
        now: clock.now,
        sleep: async (ms) => {
          waits.push(ms);
          busy = false;
          await clock.sleep(ms);
        },
        send: (f, { signal }) => putFile({ url: `${base}/${busy ? 503 : 200}`, file: f, signal }),
      });
      expect(waits).toEqual([4_000]);
      let tries = 0;
      const denied = await uploadFiles({
        files: [file()],
        ...clock,
        send: (f, { signal }) => {
          tries++;
          return putFile({ url: `${base}/403`, file: f, signal });
        },
      }).catch((e: unknown) => e);
      expect(tries).toBe(1);
      expect((denied as Error).message).toContain('failed: HTTP 403 Forbidden (AccessDenied)');
    });
  });
  it('the API client: a 503 carries Retry-After, an unreachable Gatekeeper names the cause', async () => {
    const io = { stdout: process.stdout, stderr: process.stderr, env: {}, fetch };
    const busy = await apiClient(io, { url: `${base}/503`, apiKey: 'k' })('GET /v1/org').catch(
      (e: unknown) => e,
    );
    expect(busy).toMatchObject({ status: 503, retryAfterMs: 4_000, host: new URL(base).host });
    expect(isRetryableError(busy)).toBe(true);
    const down = await apiClient(io, { url: `http://127.0.0.1:${closedPort}`, apiKey: 'k' })(
      'GET /v1/org',
    ).catch((e: unknown) => e);
    expect((down as Error).message).toBe(
      `Cannot reach http://127.0.0.1:${closedPort}: connection refused (ECONNREFUSED)`,
    );
    expect(isRetryableError(down)).toBe(true);
    const waits: number[] = [];
    let calls = 0;
    const answer = await withRetries(
      async () => {
        calls++;
        if (calls === 1) throw busy;
        return 'ok';
      },
      { sleep: async (ms) => void waits.push(ms) },
    );
    expect([answer, waits]).toEqual(['ok', [4_000]]);
  });
});
