import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ErrorReport } from '../../protocol/telemetry.js';
import {
  createOutbox,
  makeStatement,
  OUTBOX_PREFIX,
  type OutboxOptions,
  type Statement,
} from '../../runtime/telemetry/index.js';
import { createIngestStub } from '../helpers/ingest-stub.js';

const HOME = 'https://gk.example.com';
const scopeOf = (sessionId: string) => ({
  homePage: HOME,
  sessionId,
  course: 'intro',
  now: () => new Date(),
});
const statements = (n: number, sessionId = 's1') =>
  Array.from({ length: n }, () =>
    makeStatement(scopeOf(sessionId), 'progressed', undefined, { progress: 0.5 }),
  );

function report(message: string, fingerprint = message): ErrorReport {
  const at = new Date().toISOString();
  return {
    id: crypto.randomUUID(),
    fingerprint,
    kind: 'error',
    message,
    count: 1,
    firstAt: at,
    lastAt: at,
    course: 'intro',
    breadcrumbs: [],
  };
}

let ingest: ReturnType<typeof createIngestStub>;
const boxes: ReturnType<typeof createOutbox>[] = [];
function outbox(o: Partial<OutboxOptions> = {}) {
  const box = createOutbox({
    endpoint: HOME,
    token: 't1',
    sessionId: 's1',
    storage: localStorage,
    fetch: ingest.fetch,
    flushDelayMs: 60_000,
    ...o,
  });
  boxes.push(box);
  return box;
}
/** An outbox whose requests' options are kept in `inits`. */
function recordingOutbox() {
  const inits: RequestInit[] = [];
  const box = outbox({
    fetch: (async (u: RequestInfo | URL, i?: RequestInit) => {
      inits.push(i ?? {});
      return ingest.fetch(u, i);
    }) as typeof fetch,
  });
  return { inits, box };
}
const statementPosts = () => ingest.requests.filter((r) => r.path === '/xapi/statements');

beforeEach(() => {
  localStorage.clear();
  ingest = createIngestStub({ homePage: HOME, sessions: [{ id: 's1', token: 't1' }] });
});
afterEach(() => {
  for (const b of boxes.splice(0)) b.uninstall();
  vi.useRealTimers();
});

describe('outbox', () => {
  it('sends statements in batches with the session token and the xAPI version header, each stored once', async () => {
    const box = outbox();
    const sent = statements(120);
    for (const s of sent) box.statement(s);
    expect(await box.flush()).toBe(true);
    expect(ingest.statements().map((s) => s.id)).toEqual(sent.map((s) => s.id));
    expect(statementPosts().map((r) => JSON.parse(r.body).length)).toEqual([50, 50, 20]);
    for (const r of statementPosts()) {
      expect(r.authorization).toBe('Bearer t1');
      expect(r.version).toBe('1.0.3');
      expect(r.status).toBe(200);
    }
    expect(box.pending()).toBe(0);
  });

  it('sends no Referer: the course page URL may carry LMS launch parameters', async () => {
    const { inits, box } = recordingOutbox();
    box.statement(statements(1)[0]!);
    box.error(report('TypeError: x'));
    await box.flush();
    expect(inits.length).toBe(2);
    expect(inits.map((i) => i.referrerPolicy)).toEqual(['no-referrer', 'no-referrer']);
  });

  it('keeps what could not be sent across a reload and sends it once the ingest is back', async () => {
    ingest.setReachable(false);
    const first = outbox();
    const sent = statements(30);
    for (const s of sent) first.statement(s);
    expect(await first.flush()).toBe(false);
    first.uninstall();

    const reloaded = outbox();
    expect(reloaded.pending()).toBe(30);
    ingest.setReachable(true);
    expect(await reloaded.flush()).toBe(true);
    expect(ingest.statements().map((s) => s.id)).toEqual(sent.map((s) => s.id));
    // Delivered, nothing of the session stays: no record, and so no session token.
    expect(localStorage.getItem(`${OUTBOX_PREFIX}s1`)).toBeNull();
    expect(Object.values({ ...localStorage }).some((v) => String(v).includes('t1'))).toBe(false);
  });

  it('keeps the fingerprint cap across a reload while errors are queued, and removes an empty record at install', async () => {
    ingest.setReachable(false);
    const first = outbox({ maxErrors: 1 });
    first.error(report('A'));
    await first.flush();
    first.uninstall();
    expect(outbox({ maxErrors: 1 }).error(report('B')), 'capped: A is still queued').toBe(false);

    // An empty record an older runtime kept, token and all, goes at the next install of the session.
    localStorage.clear();
    localStorage.setItem(
      `${OUTBOX_PREFIX}s1`,
      JSON.stringify({ k: 't1', u: HOME, q: [], f: ['A'], t: Date.now() }),
    );
    outbox().install(window);
    expect(localStorage.length).toBe(0);
  });

  it('retries on its own with exponential backoff', async () => {
    vi.useFakeTimers();
    const attempts: number[] = [];
    const box = outbox({
      retryBaseMs: 1000,
      fetch: (async (u: RequestInfo | URL, i?: RequestInit) => {
        attempts.push(Date.now());
        return ingest.fetch(u, i);
      }) as typeof fetch,
    });
    ingest.setReachable(false);
    box.statement(statements(1)[0]!);
    await box.flush();
    await vi.advanceTimersByTimeAsync(15_000 + 100);
    // The n-th retry waits between half and all of 1 s × 2^n (virtual time): 1, 2, 4, 8 s.
    const gaps = attempts.slice(1).map((t, n) => t - attempts[n]!);
    expect(gaps).toHaveLength(4);
    gaps.forEach((gap, n) => {
      expect(gap).toBeGreaterThanOrEqual(500 * 2 ** n);
      expect(gap).toBeLessThanOrEqual(1000 * 2 ** n);
    });
    ingest.setReachable(true);
    await vi.advanceTimersByTimeAsync(16_000 + 100);
    expect(ingest.statements()).toHaveLength(1);
    expect(box.pending()).toBe(0);
  });

  it('waits at least the Retry-After of a 429 before its next send, even when asked to flush or the page unloads', async () => {
    vi.useFakeTimers();
    const attempts: number[] = [];
    let refusals = 1;
    const box = outbox({
      retryBaseMs: 1000,
      fetch: (async (u: RequestInfo | URL, i?: RequestInit) => {
        attempts.push(Date.now());
        if (refusals-- > 0)
          return Response.json(
            { error: { code: 'rate_limited', message: 'slow down' } },
            { status: 429, headers: { 'retry-after': '30' } },
          );
        return ingest.fetch(u, i);
      }) as typeof fetch,
    });
    box.statement(statements(1)[0]!);
    expect(await box.flush()).toBe(false);
    await vi.advanceTimersByTimeAsync(29_000);
    expect(await box.flush()).toBe(false);
    box.flushOnUnload();
    expect(attempts).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_100);
    expect(attempts).toHaveLength(2);
    expect(attempts[1]! - attempts[0]!).toBeGreaterThanOrEqual(30_000);
    expect(ingest.statements()).toHaveLength(1);
    expect(box.pending()).toBe(0);
  });

  it('retries a batch whose answer was lost without storing anything twice', async () => {
    const box = outbox();
    const sent = statements(10);
    for (const s of sent) box.statement(s);
    ingest.loseResponses(1);
    expect(await box.flush()).toBe(false);
    expect(ingest.statements()).toHaveLength(10);
    expect(await box.flush()).toBe(true);
    expect(statementPosts()).toHaveLength(2);
    expect(ingest.statements().map((s) => s.id)).toEqual(sent.map((s) => s.id));
    expect(ingest.conflicts()).toBe(0);
  });

  it('is bounded: past maxItems the oldest are dropped', async () => {
    ingest.setReachable(false);
    const box = outbox({ maxItems: 100 });
    const sent = statements(150);
    for (const s of sent) box.statement(s);
    expect(box.pending()).toBe(100);
    ingest.setReachable(true);
    await box.flush();
    expect(ingest.statements().map((s) => s.id)).toEqual(sent.slice(50).map((s) => s.id));
  });

  it('coalesces errors by fingerprint with counts and caps distinct fingerprints per session', async () => {
    const box = outbox({ maxErrors: 2 });
    for (let i = 0; i < 5; i++) expect(box.error(report('A'))).toBe(true);
    expect(box.error(report('B'))).toBe(true);
    expect(box.error(report('C'))).toBe(false);
    expect(box.pending()).toBe(2);
    await box.flush();
    box.error(report('A'));
    expect(box.error(report('C'))).toBe(false);
    await box.flush();
    expect(ingest.errorCounts()).toEqual({ A: 6, B: 1 });
    const posts = ingest.requests.filter((r) => r.path === '/v1/errors');
    expect(posts.map((r) => JSON.parse(r.body).errors.length)).toEqual([2, 1]);
  });

  it('drops a batch the ingest refuses for good and says so, without throwing', async () => {
    const onError = vi.fn();
    const box = outbox({ token: 'not-a-session', onError });
    box.statement(statements(1)[0]!);
    expect(await box.flush()).toBe(true);
    expect(box.pending()).toBe(0);
    expect(ingest.statements()).toEqual([]);
    expect(onError).toHaveBeenCalledWith('statement_rejected', 'ingest: 401');
  });

  it('gives up on a session whose license ended (403): one request per queued batch, no retry', async () => {
    const onError = vi.fn();
    const paths: string[] = [];
    const refused = (async (u: RequestInfo | URL) => {
      paths.push(new URL(String(u)).pathname);
      return Response.json({ error: { code: 'license_revoked', message: 'x' } }, { status: 403 });
    }) as typeof fetch;
    const box = outbox({ fetch: refused, onError, retryBaseMs: 1, retryMaxMs: 1 });
    for (const s of statements(120)) box.statement(s);
    box.error(report('A'));
    expect(await box.flush()).toBe(true);
    expect(box.pending()).toBe(0);
    expect(await box.flush()).toBe(true);
    expect(paths.sort()).toEqual(['/v1/errors', '/xapi/statements', '/xapi/statements', '/xapi/statements']);
    expect(onError).toHaveBeenCalledTimes(4);
    expect(onError).toHaveBeenCalledWith('statement_rejected', 'ingest: 403');
  });

  it('splits a batch refused as invalid so only the invalid statement is lost', async () => {
    const onError = vi.fn();
    const box = outbox({ onError });
    const sent = statements(10);
    const bad = { ...sent[3]!, actor: { ...sent[3]!.actor, mbox: 'mailto:jane@example.com' } } as Statement;
    for (const s of sent) box.statement(s === sent[3] ? bad : s);
    expect(await box.flush()).toBe(true);
    expect(ingest.statements().map((s) => s.id)).toEqual(sent.filter((s) => s !== sent[3]).map((s) => s.id));
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError).toHaveBeenCalledWith('statement_rejected', 'ingest: 400');
    expect(box.pending()).toBe(0);
  });

  it('sends with keepalive at unload, within the keepalive byte quota, and nothing twice per unload', async () => {
    const { inits, box } = recordingOutbox();
    const padded = statements(400).map((s) => ({ ...s, result: { response: 'x'.repeat(200) } }) as Statement);
    for (const s of padded) box.statement(s);
    box.flushOnUnload();
    box.flushOnUnload();
    expect(inits.length).toBeGreaterThan(0);
    expect(inits.every((i) => i.keepalive === true)).toBe(true);
    const bytes = inits.reduce((n, i) => n + String(i.body).length, 0);
    expect(bytes).toBeLessThanOrEqual(48_000);
    await vi.waitFor(() => expect(ingest.statements().length).toBe(inits.length * 50));
    expect(ingest.statements().length).toBeLessThan(400);
  });

  it('at pagehide sends each item once, and a statement queued after pagehide at once', async () => {
    const bodies: unknown[][] = [];
    // The page is going away: requests leave, answers never come back.
    const dying = ((_u: RequestInfo | URL, i?: RequestInit) => {
      bodies.push(JSON.parse(String(i?.body)));
      return new Promise<Response>(() => {});
    }) as typeof fetch;
    const box = outbox({ fetch: dying });
    box.install(window);
    const [a, b, c, d] = statements(4);
    for (const s of [a, b, c]) box.statement(s!);
    window.dispatchEvent(new Event('pagehide'));
    box.statement(d!);
    box.flushOnUnload();
    expect(bodies.map((batch) => batch.map((s) => (s as Statement).id))).toEqual([
      [a, b, c].map((s) => s!.id),
      [d!.id],
    ]);
    window.dispatchEvent(new Event('pageshow'));
  });

  it('never changes the count of an error report that may already have been delivered', async () => {
    // First page: the report leaves at pagehide and is stored by the ingest, but the page dies first.
    const first = outbox({
      fetch: ((u: RequestInfo | URL, i?: RequestInit) => {
        void ingest.fetch(u, i);
        return new Promise<Response>(() => {});
      }) as typeof fetch,
    });
    first.error(report('A'));
    first.flushOnUnload();
    await vi.waitFor(() => expect(ingest.errorCounts()).toEqual({ A: 1 }));
    first.uninstall();

    // The reload sends the stored report again (deduped by id) and counts the new occurrence apart.
    const reloaded = outbox();
    reloaded.error(report('A'));
    expect(reloaded.pending()).toBe(2);
    expect(await reloaded.flush()).toBe(true);
    expect(ingest.errorCounts()).toEqual({ A: 2 });
  });

  it('sends what a closed tab of another session left queued, with that session’s token', async () => {
    ingest.addSession({ id: 's0', token: 't0' });
    ingest.setReachable(false);
    const closed = outbox({ sessionId: 's0', token: 't0' });
    const left = statements(7, 's0');
    for (const s of left) closed.statement(s);
    await closed.flush();
    closed.uninstall();

    ingest.setReachable(true);
    outbox().install(window);
    await vi.waitFor(() => expect(localStorage.getItem(`${OUTBOX_PREFIX}s0`)).toBeNull());
    expect(ingest.statements().map((s) => s.id)).toEqual(left.map((s) => s.id));
    expect(statementPosts().every((r) => r.authorization === 'Bearer t0')).toBe(true);
  });
});
