/**
 * The durable outbox between the course page and the Gatekeeper ingest: statements and error reports
 * are queued in localStorage (one bounded queue per session, oldest dropped first), sent in batches,
 * retried with exponential backoff (never sooner than a 429's or 503's `Retry-After`), and sent once more with `fetch(..., { keepalive: true })` at
 * `pagehide`. Every item keeps its id across retries and reloads, so the ingest stores it once.
 *
 * Why keepalive fetch and not `sendBeacon`: a beacon cannot carry the `Authorization` header, and the
 * alternatives (token in the URL or body) put a bearer token where logs and caches keep it.
 */
import type { RuntimeErrorCode } from '../../protocol/errors.js';
import { type ErrorReport, INGEST_PATHS, RUNTIME_XAPI_VERSION } from '../../protocol/telemetry.js';
import { listen } from './listen.js';
import type { Statement } from './xapi.js';

/** localStorage key prefix; the session id follows. */
export const OUTBOX_PREFIX = 'cg:outbox:';

/** Chromium allows 64 KiB of keepalive bodies in flight per page; leave room for the LMS adapter's own. */
const UNLOAD_BYTES = 48_000;
/** Queues of other sessions older than this are removed unsent: their session tokens have expired. */
const ORPHAN_MS = 7 * 864e5;

interface Item {
  i: string;
  s?: Statement;
  e?: ErrorReport;
  /** Handed to fetch at least once (persisted): the ingest may hold it, so its count never changes again. */
  a?: 1;
}

/**
 * What one session's queue looks like in storage, while something is queued: the token is kept so a
 * closed tab's tail is still sent. Once nothing is, the record is removed (docs/telemetry.md, "Outbox").
 */
interface Saved {
  k: string;
  u: string;
  q: Item[];
  /**
   * Error fingerprints this session has reported (the `maxErrors` cap), kept with the queue; with no
   * queue they live in this page's memory only.
   */
  f: string[];
  t: number;
}

export interface OutboxOptions {
  /** Gatekeeper base URL, e.g. `https://gk.example.com`. */
  endpoint: string;
  /** The session token from the launch; sent as `Authorization: Bearer`. */
  token: string;
  sessionId: string;
  /** Default `window.localStorage`; `null` keeps the queue in memory only. */
  storage?: Storage | null;
  fetch?: typeof fetch;
  now?: () => Date;
  /** Items per request; default 50. */
  batchSize?: number;
  /** Queue bound; the oldest items are dropped past it. Default 500. */
  maxItems?: number;
  /** Distinct error fingerprints reported per session; later new ones are dropped. Default 50. */
  maxErrors?: number;
  /** First retry delay; doubles per failure up to `retryMaxMs` (default 2 s and 60 s), with jitter. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** How long a partly filled batch waits for company; default 1 s. */
  flushDelayMs?: number;
  /**
   * Told when the ingest refuses an item for good (a 4xx other than 408/429; a refused batch of several
   * is first split, so one invalid statement does not take the others with it).
   */
  onError?: (code: RuntimeErrorCode, message: string) => void;
}

export interface Outbox {
  statement(s: Statement): void;
  /** Adds one occurrence; merged into a queued report of the same fingerprint. False when capped. */
  error(r: ErrorReport): boolean;
  /** Sends everything queued; resolves false when the ingest could not be reached (a retry is scheduled). */
  flush(): Promise<boolean>;
  /** Sends everything not yet acknowledged with keepalive requests, for `pagehide`. */
  flushOnUnload(): void;
  pending(): number;
  /** Listens to `pagehide` and `pageshow`, and sends what earlier page loads left queued. */
  install(w?: Window): void;
  uninstall(): void;
}

function read(store: Storage | null, key: string): Saved | undefined {
  try {
    return JSON.parse(store?.getItem(key) || 'null') || undefined;
  } catch {
    return undefined;
  }
}

/** `window.localStorage`, or null where reading it throws (sandboxed frames, storage disabled). */
export function defaultStorage(): Storage | null {
  try {
    return localStorage;
  } catch {
    return null;
  }
}

/**
 * @example
 * const box = createOutbox({ endpoint: 'https://gk.example.com', token, sessionId });
 * box.install();
 * box.statement(makeStatement(scope, 'launched'));
 */
export function createOutbox(o: OutboxOptions, seed?: Saved): Outbox {
  const {
    endpoint,
    token,
    storage: store = defaultStorage(),
    fetch: post = fetch,
    now = () => new Date(),
    batchSize = 50,
    maxItems = 500,
    maxErrors = 50,
    retryBaseMs = 2000,
    retryMaxMs = 60_000,
    flushDelayMs = 1000,
    onError,
  } = o;
  const key = OUTBOX_PREFIX + o.sessionId;
  const saved = seed || read(store, key);
  let q: Item[] = saved ? saved.q : [];
  const fps: string[] = saved ? saved.f : [];
  // In flight (busy), and handed to keepalive requests during this unload (gone).
  const busy = new Set<string>();
  const gone = new Set<string>();
  // Items of a batch the ingest refused as invalid: sent one per request from then on.
  const solo = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let attempt = 0;
  // No send before this time (ms): the ingest's Retry-After on a 429 or 503.
  let until = 0;
  // Bytes of keepalive bodies in flight: the browser refuses keepalive requests past its quota.
  let kept = 0;
  let running: Promise<boolean> | undefined;
  let unloading = false;
  let win: Window | undefined;

  // An empty queue leaves no record: a session token must not outlive what it was kept to send.
  const save = () => {
    try {
      if (!q.length) store?.removeItem(key);
      else if (store)
        store.setItem(key, JSON.stringify({ k: token, u: endpoint, q, f: fps, t: +now() } as Saved));
    } catch {
      // Quota exceeded: shed the oldest half; the next change saves what is left.
      q = q.slice(q.length >> 1);
    }
  };

  // Statements go first; a batch is all statements or all errors (different routes).
  const isStatements = (items: Item[]) => items.some((x) => x.s);
  const bodyOf = (items: Item[]) =>
    JSON.stringify(isStatements(items) ? items.map((x) => x.s) : { errors: items.map((x) => x.e) });

  const send = async (items: Item[], body: string, keepalive: boolean): Promise<boolean> => {
    for (const x of items) {
      busy.add(x.i);
      x.a = 1;
    }
    save();
    if (keepalive) kept += body.length;
    try {
      const res = await post(endpoint + INGEST_PATHS[isStatements(items) ? 'statements' : 'errors'], {
        method: 'POST',
        keepalive,
        // The course page's URL can carry LMS launch parameters (a cmi5 actor): never send it along.
        referrerPolicy: 'no-referrer',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'x-experience-api-version': RUNTIME_XAPI_VERSION,
        },
        body,
      });
      const { status } = res;
      if (status === 408 || status === 429 || status >= 500) {
        // Seconds (what the Gatekeeper sends); a date or nothing reads as 0, leaving the backoff.
        until = Math.max(until, +now() + (+(res.headers.get('retry-after') || 0) * 1000 || 0));
        return false;
      }
      // One invalid statement fails its whole batch (xAPI): send each alone to keep the others.
      if (status === 400 && items[1]) {
        for (const x of items) solo.add(x.i);
        return true;
      }
      if (!res.ok && onError) onError('statement_rejected', `ingest: ${status}`);
      q = q.filter((x) => !items.includes(x));
      save();
      return true;
    } catch {
      return false;
    } finally {
      for (const x of items) busy.delete(x.i);
      if (keepalive) kept -= body.length;
    }
  };

  // A batch from `free`: items of one kind, oldest first.
  const pick = (free: Item[]) => {
    const kind = isStatements(free);
    const b = free.filter((x) => !!x.s === kind);
    return b.slice(0, solo.has(b[0]?.i as string) ? 1 : batchSize);
  };
  const next = () => pick(q.filter((x) => !busy.has(x.i)));

  const run = async () => {
    clearTimeout(timer);
    timer = undefined;
    for (let b = next(); b.length; b = next()) {
      const wait = until - +now();
      if (wait > 0) {
        timer = setTimeout(tick, wait);
        return false;
      }
      if (!(await send(b, bodyOf(b), false))) {
        const d = Math.min(retryMaxMs, retryBaseMs * 2 ** attempt++);
        timer = setTimeout(tick, Math.max(until - +now(), d / 2 + (Math.random() * d) / 2));
        return false;
      }
      attempt = 0;
    }
    return true;
  };
  const flush = (): Promise<boolean> => (running = running || run().finally(() => (running = undefined)));
  const tick = () => {
    timer = undefined;
    void flush();
  };

  const flushOnUnload = () => {
    // Within a Retry-After the items stay saved: the next page of this session sends them.
    if (until > +now()) return;
    const left = () => pick(q.filter((x) => !gone.has(x.i)));
    for (let b = left(); b.length; b = left()) {
      const body = bodyOf(b);
      if (kept + body.length > UNLOAD_BYTES) return;
      for (const x of b) gone.add(x.i);
      void send(b, body, true);
    }
  };

  const changed = () => {
    save();
    if (unloading) flushOnUnload();
    else if (!timer) timer = setTimeout(tick, q.length < batchSize ? flushDelayMs : 0);
  };

  // Past the bound the oldest items go; a dropped item is lost, never sent twice.
  const add = (x: Item) => {
    q = [...q, x].slice(-maxItems);
    changed();
  };

  const handlers = {
    pagehide() {
      unloading = true;
      flushOnUnload();
    },
    // Back from the back/forward cache: batch again.
    pageshow() {
      unloading = false;
      gone.clear();
    },
  };

  /**
   * Sends what other sessions (tabs closed while offline) left behind, once, each with its own token,
   * from memory; a stored queue is removed only when all of it was accepted and no tab rewrote it
   * meanwhile. A failure leaves it for the next launch.
   */
  const drainOrphans = () => {
    for (let i = store ? store.length : 0; store && i--; ) {
      const k = store.key(i) || '';
      const s = k !== key && k.startsWith(OUTBOX_PREFIX) && read(store, k);
      if (!s) continue;
      if (+now() - s.t > ORPHAN_MS || !s.q.length) {
        store.removeItem(k);
        continue;
      }
      const box = createOutbox({ ...o, endpoint: s.u, token: s.k, storage: null }, s);
      void box.flush().then((ok) => {
        box.uninstall();
        if (ok && (read(store, k) || s).t === s.t) store.removeItem(k);
      });
    }
  };

  return {
    statement: (s) => add({ i: s.id, s }),
    error(r) {
      if (!fps.includes(r.fingerprint)) {
        if (fps.length >= maxErrors) return false;
        fps.push(r.fingerprint);
      }
      const same = q.find((x) => !x.a && x.e && x.e.fingerprint === r.fingerprint);
      if (same?.e) {
        same.e.count += r.count;
        same.e.lastAt = r.lastAt;
        changed();
      } else add({ i: r.id, e: r });
      return true;
    },
    flush,
    flushOnUnload,
    pending: () => q.length,
    install(w = window) {
      if (win) return;
      win = w;
      listen(w, true, handlers);
      drainOrphans();
      // An empty record an older runtime left for this session goes too.
      if (q.length) void flush();
      else save();
    },
    uninstall() {
      if (win) listen(win, false, handlers);
      win = undefined;
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
