/** cmi5 launch parameters (spec §8.1) and the one-time auth token fetch (§8.2). */

const NAMES = ['endpoint', 'fetch', 'actor', 'registration', 'activityId'] as const;

export interface Cmi5LaunchParams {
  /** xAPI base endpoint, always ending in `/`. */
  endpoint: string;
  fetch: string;
  /** The actor JSON exactly as the LMS sent it (used verbatim as the `agent` parameter). */
  actorJson: string;
  actor: { name?: string; mbox?: string; account?: { homePage: string; name: string } };
  registration: string;
  activityId: string;
}

/**
 * True when the query string carries all five cmi5 launch parameters, in any order.
 * @example
 * if (hasCmi5LaunchParams(location.search)) useCmi5();
 */
export function hasCmi5LaunchParams(search: string): boolean {
  const p = new URLSearchParams(search);
  return NAMES.every((n) => p.get(n));
}

/** Parsed parameters, or undefined when one is missing or the actor is not an Agent with an account. */
export function parseLaunchParams(search: string): Cmi5LaunchParams | undefined {
  if (!hasCmi5LaunchParams(search)) return undefined;
  const p = new URLSearchParams(search);
  const get = (n: string) => p.get(n) as string;
  try {
    const actorJson = get('actor');
    const actor = JSON.parse(actorJson);
    // §9.2: the actor of cmi5 defined statements is an Agent identified by an account.
    if (!actor?.account?.name || (actor.objectType && actor.objectType !== 'Agent')) return undefined;
    const endpoint = get('endpoint');
    return {
      endpoint: endpoint.endsWith('/') ? endpoint : `${endpoint}/`,
      fetch: get('fetch'),
      actorJson,
      actor,
      registration: get('registration'),
      activityId: get('activityId'),
    };
  } catch {
    return undefined;
  }
}

/** What survives a reload within one launch: the fetch URL works once, so its token must be kept. */
export interface LaunchRecord {
  /** auth-token. */
  t: string;
  /** When `initialized` was accepted (ms since epoch), 0 before. */
  i: number;
  /** cmi5 defined verbs already sent in this session. */
  v: string[];
}

const key = (fetchUrl: string) => `cg.cmi5:${fetchUrl}`;

export function loadRecord(storage: Storage | undefined, fetchUrl: string): LaunchRecord | undefined {
  try {
    const raw = storage?.getItem(key(fetchUrl));
    return raw ? (JSON.parse(raw) as LaunchRecord) : undefined;
  } catch {
    return undefined;
  }
}

export function saveRecord(storage: Storage | undefined, fetchUrl: string, record: LaunchRecord): void {
  try {
    storage?.setItem(key(fetchUrl), JSON.stringify(record));
  } catch {
    // Storage full or blocked: a reload would then have to fetch again, which the LMS refuses.
  }
}

/** POSTs the fetch URL (§8.2.1: never GET) and returns the token, or an error text. */
export async function fetchToken(url: string): Promise<{ token?: string; error?: string }> {
  try {
    const res = await fetch(url, { method: 'POST' });
    const body = await res.json();
    if (res.ok && typeof body?.['auth-token'] === 'string') return { token: body['auth-token'] };
    return {
      error: `fetch answered error ${body?.['error-code'] ?? res.status}: ${body?.['error-text'] ?? ''}`,
    };
  } catch (e) {
    return { error: `fetch failed: ${e}` };
  }
}
