import type { Context } from 'hono';
import type { Database } from '../db/database.js';
import { probeDatabaseWrite } from '../db/readiness.js';
import { errorBody, type GatekeeperError } from '../errors.js';
import { FAULT_RETRY_AFTER, type FaultCode, isFault } from '../faults.js';
import type { Storage } from '../storage/types.js';

export interface ReadinessDeps {
  db: Database;
  storage?: Storage | undefined;
  now: () => Date;
  /** How long each check may take before it counts as not ready (default 5 s). */
  timeoutMs?: number;
}

/** What each part answered: `ok`, the fault's code, or `none` for storage this Gatekeeper has not got. */
type PartState = 'ok' | 'none' | FaultCode;

/** A prefix no object is stored under: listing it asks the store to answer without reading content. */
const PROBE_PREFIX = 'readyz/';

async function check(
  work: () => Promise<unknown>,
  asFault: (err: unknown) => GatekeeperError | undefined,
  fallback: FaultCode,
  timeoutMs: number,
): Promise<PartState> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<'timeout'>((done) => {
    timer = setTimeout(() => done('timeout'), timeoutMs);
  });
  try {
    const answer = await Promise.race([work().then(() => 'ok' as const), timedOut]);
    return answer === 'timeout' ? fallback : answer;
  } catch (err) {
    const fault = isFault(err) ? err : asFault(err);
    return fault && isFault(fault) ? (fault.code as FaultCode) : fallback;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `GET /readyz`: whether this Gatekeeper can serve now. The database must take a write (the readiness
 * row) and the content storage must answer a listing; 503 names the part that is not ready, with
 * `Retry-After`. `GET /healthz` stays liveness: the process answers (docs/operations.md, "Health").
 */
export function readinessHandler(deps: ReadinessDeps) {
  const timeoutMs = deps.timeoutMs ?? 5000;
  return async (c: Context) => {
    const storage = deps.storage;
    const [database, storageState] = await Promise.all([
      check(
        () => probeDatabaseWrite(deps.db, deps.now().getTime()),
        (err) => deps.db.fault(err),
        'database_unavailable',
        timeoutMs,
      ),
      storage
        ? check(
            () => storage.list(PROBE_PREFIX, { limit: 1 }),
            () => undefined,
            'storage_unavailable',
            timeoutMs,
          )
        : Promise.resolve<PartState>('none'),
    ]);
    const parts = { database, storage: storageState };
    const named: [string, PartState][] = [
      ['the database', database],
      ['the content storage', storageState],
    ];
    const notReady = named.filter((p): p is [string, FaultCode] => p[1] !== 'ok' && p[1] !== 'none');
    const failing = notReady[0]?.[1];
    if (!failing) return c.json({ ok: true, ...parts });
    const which = notReady.map(([name, code]) => `${name} (${code})`).join(' and ');
    c.header('retry-after', String(FAULT_RETRY_AFTER[failing]));
    c.header('cache-control', 'no-store');
    return c.json(errorBody(failing, `Not ready: ${which}`, parts), 503);
  };
}
