/** In-memory records of the test LMS + LRS: launches, tokens, statements, documents and every request. */

export interface Agent {
  objectType?: 'Agent';
  name?: string;
  mbox?: string;
  account?: { homePage: string; name: string };
}

export type Statement = Record<string, unknown> & {
  id: string;
  timestamp?: string;
  actor?: Agent;
  verb: { id: string };
  object: { id: string };
  context?: Record<string, unknown> & { registration?: string; extensions?: Record<string, unknown> };
  result?: Record<string, unknown>;
};

export type LaunchMode = 'Normal' | 'Browse' | 'Review';

/** One AU launch session, as the LMS set it up (spec §8.1, §10). */
export interface Cmi5Launch {
  url: string;
  registration: string;
  sessionId: string;
  /** The LMS-generated AU activity id of the launch URL (§8.1.5). */
  activityId: string;
  /** The AU's id from the course structure, put in contextTemplate's grouping (§9.6.2.3). */
  publisherId: string;
  actor: Agent;
  fetchUrl: string;
  launchMode: LaunchMode;
  masteryScore?: number;
  moveOn: string;
  returnURL?: string;
  contextTemplate: Record<string, unknown>;
  launchedAt: Date;
}

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  /** Whether a valid fetched token came with it; the token itself is never recorded. */
  auth: 'ok' | 'missing' | 'invalid';
  status: number;
  body?: unknown;
  /** The launch the token belongs to. */
  sessionId?: string;
}

export interface StoredStatement {
  statement: Statement;
  /** `lms` for launched/abandoned written by the LMS itself, `au` for what came over the xAPI endpoint. */
  by: 'lms' | 'au';
  stored: string;
}

export interface Cmi5Store {
  launches: Cmi5Launch[];
  /** Fetch key → launch, and whether the one-time URL was used. */
  fetchKeys: Map<string, { launch: Cmi5Launch; used: boolean }>;
  tokens: Map<string, Cmi5Launch>;
  statements: StoredStatement[];
  /** Documents of the State and Agent Profile APIs, by `documentKey`. */
  documents: Map<string, string>;
  requests: RecordedRequest[];
}

export function createStore(): Cmi5Store {
  return {
    launches: [],
    fetchKeys: new Map(),
    tokens: new Map(),
    statements: [],
    documents: new Map(),
    requests: [],
  };
}

/** An agent's identity for comparisons: its inverse functional identifier only (xAPI). */
export function agentKey(agent: Agent | string | undefined): string {
  const a = typeof agent === 'string' ? (JSON.parse(agent) as Agent) : agent;
  if (a?.account) return `account:${a.account.homePage}|${a.account.name}`;
  return `mbox:${a?.mbox ?? ''}`;
}

export function stateKey(q: { activityId: string; agent: string; registration?: string; stateId: string }) {
  return JSON.stringify(['state', q.activityId, agentKey(q.agent), q.registration ?? '', q.stateId]);
}

export function profileKey(agent: Agent | string, profileId: string) {
  return JSON.stringify(['profile', agentKey(agent), profileId]);
}

export const SESSION_ID_EXTENSION = 'https://w3id.org/xapi/cmi5/context/extensions/sessionid';

/** The session id a statement carries in its context (§9.6.3.1). */
export function sessionOf(s: Statement): string | undefined {
  const v = s.context?.extensions?.[SESSION_ID_EXTENSION];
  return typeof v === 'string' ? v : undefined;
}
