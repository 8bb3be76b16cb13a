import { randomUUID } from 'node:crypto';
import { createCmi5LmsApp } from './app.js';
import {
  type Agent,
  type Cmi5Launch,
  createStore,
  type LaunchMode,
  profileKey,
  SESSION_ID_EXTENSION,
  type Statement,
  sessionOf,
  stateKey,
} from './store.js';

export interface LaunchOptions {
  /** Reuse a registration (a later launch of the same enrollment); a new one is created when absent. */
  registration?: string;
  actor?: Agent;
  /** LMS-generated AU activity id; default: one per `publisherId`, stable across launches. */
  activityId?: string;
  publisherId?: string;
  launchMode?: LaunchMode;
  masteryScore?: number;
  moveOn?: string;
  /** Default: this LMS's own `/return` page; `null` leaves returnURL out of LMS.LaunchData. */
  returnURL?: string | null;
  launchParameters?: string;
}

const VERB = 'http://adlnet.gov/expapi/verbs/';
const CMI5_EXT = 'https://w3id.org/xapi/cmi5/context/extensions/';

/**
 * A cmi5 LMS + LRS for one public origin, without a server: `app` is a Hono app to mount anywhere
 * (a demo LMS, a test server). `startCmi5Lms` serves it on loopback.
 */
export function createCmi5Lms(options: { origin: string; now?: () => Date; strict?: boolean }) {
  const now = options.now ?? (() => new Date());
  const store = createStore();
  const app = createCmi5LmsApp(store, now, { strict: options.strict });
  const origin = options.origin;
  const endpoint = `${origin}/xapi/`;

  const lmsStatement = (launch: Cmi5Launch, verb: string, extra: Partial<Statement> = {}) => {
    const statement = {
      id: randomUUID(),
      timestamp: now().toISOString(),
      actor: launch.actor,
      verb: { id: verb.startsWith('http') ? verb : `${VERB}${verb}` },
      object: { id: launch.activityId, objectType: 'Activity' },
      context: JSON.parse(JSON.stringify({ ...launch.contextTemplate, registration: launch.registration })),
      ...extra,
    } as Statement;
    // The LMS's own statements are cmi5 defined too.
    const activities = (statement.context as { contextActivities: Record<string, unknown> })
      .contextActivities;
    activities.category = [{ id: 'https://w3id.org/xapi/cmi5/context/categories/cmi5' }];
    store.statements.push({ statement, by: 'lms', stored: statement.timestamp as string });
  };

  // §9.3.6: a new launch of a registration whose last session never terminated abandons that session.
  const abandonOpen = (registration: string, activityId: string) => {
    const previous = store.launches
      .filter((l) => l.registration === registration && l.activityId === activityId)
      .at(-1);
    if (!previous) return;
    const own = store.statements.filter((s) => sessionOf(s.statement) === previous.sessionId);
    if (own.some((s) => s.statement.verb.id === `${VERB}terminated`)) return;
    const last = own.at(-1)?.statement.timestamp ?? previous.launchedAt.toISOString();
    const seconds = (Date.parse(last) - previous.launchedAt.getTime()) / 1000;
    // Nothing more may be recorded for an abandoned session: its token stops working.
    for (const [token, l] of store.tokens) if (l === previous) store.tokens.delete(token);
    lmsStatement(previous, 'https://w3id.org/xapi/adl/verbs/abandoned', {
      result: { duration: `PT${Math.max(0, seconds)}S` },
    });
  };

  const activityIds = new Map<string, string>();

  const lms = {
    origin,
    endpoint,
    app,
    store,
    /** Every request the LMS answered, in order (tokens redacted). */
    requests: store.requests,
    /**
     * Sets up one AU launch as an LMS must before launching (§8.1, §9.3.1, §10): a registration,
     * a session id, LMS.LaunchData, a "launched" statement and a one-time fetch URL.
     */
    launch(auUrl: string, o: LaunchOptions = {}): Cmi5Launch {
      const registration = o.registration ?? randomUUID();
      const publisherId = o.publisherId ?? 'https://example.com/coursegate/au/1';
      if (!activityIds.has(publisherId)) activityIds.set(publisherId, `${origin}/activities/${randomUUID()}`);
      const activityId = o.activityId ?? (activityIds.get(publisherId) as string);
      const actor = o.actor ?? {
        objectType: 'Agent',
        name: 'Ada Learner',
        account: { homePage: origin, name: 'learner-1' },
      };
      abandonOpen(registration, activityId);
      const sessionId = randomUUID();
      const fetchKey = randomUUID();
      const fetchUrl = `${origin}/fetch/${fetchKey}`;
      const contextTemplate = {
        contextActivities: { grouping: [{ id: publisherId, objectType: 'Activity' }] },
        extensions: { [SESSION_ID_EXTENSION]: sessionId },
      };
      const launchMode = o.launchMode ?? 'Normal';
      const moveOn = o.moveOn ?? 'CompletedOrPassed';
      const returnURL = o.returnURL === null ? undefined : (o.returnURL ?? `${origin}/return`);
      const launchData = {
        contextTemplate,
        launchMode,
        moveOn,
        ...(o.masteryScore === undefined ? {} : { masteryScore: o.masteryScore }),
        ...(returnURL ? { returnURL } : {}),
        ...(o.launchParameters ? { launchParameters: o.launchParameters } : {}),
      };
      const agent = JSON.stringify(actor);
      store.documents.set(
        stateKey({ activityId, agent, registration, stateId: 'LMS.LaunchData' }),
        JSON.stringify(launchData),
      );
      const query = new URLSearchParams({
        endpoint,
        fetch: fetchUrl,
        actor: agent,
        registration,
        activityId,
      });
      const url = `${auUrl}${auUrl.includes('?') ? '&' : '?'}${query}`;
      const launch: Cmi5Launch = {
        url,
        registration,
        sessionId,
        activityId,
        publisherId,
        actor,
        fetchUrl,
        launchMode,
        masteryScore: o.masteryScore,
        moveOn,
        returnURL,
        contextTemplate,
        launchedAt: now(),
      };
      store.launches.push(launch);
      store.fetchKeys.set(fetchKey, { launch, used: false });
      lmsStatement(launch, 'launched', {
        context: {
          ...JSON.parse(JSON.stringify(contextTemplate)),
          registration,
          extensions: {
            [SESSION_ID_EXTENSION]: sessionId,
            [`${CMI5_EXT}launchmode`]: launchMode,
            [`${CMI5_EXT}launchurl`]: auUrl,
            [`${CMI5_EXT}moveon`]: moveOn,
            ...(o.masteryScore === undefined ? {} : { [`${CMI5_EXT}masteryscore`]: o.masteryScore }),
          },
        },
      });
      return launch;
    },
    /** The launch URL alone (endpoint, fetch, actor, registration, activityId appended). */
    launchUrl(auUrl: string, o: LaunchOptions = {}): string {
      return lms.launch(auUrl, o).url;
    },
    /** Launches of a registration, oldest first (what `checkCmi5Rules` needs). */
    launchesOf(registration: string): Cmi5Launch[] {
      return store.launches.filter((l) => l.registration === registration);
    },
    /** Statements the AU sent for a registration, in the order they were stored. */
    auStatements(registration: string): Statement[] {
      return store.statements
        .filter((s) => s.by === 'au' && s.statement.context?.registration === registration)
        .map((s) => s.statement);
    },
    /** All statements of a registration, the LMS's own included. */
    statements(registration: string): Statement[] {
      return store.statements
        .filter((s) => s.statement.context?.registration === registration)
        .map((s) => s.statement);
    },
    /** How many times the fetch URL of a launch was called. */
    fetchCalls(launch: Cmi5Launch): number {
      const path = new URL(launch.fetchUrl).pathname;
      return store.requests.filter((r) => r.path === path).length;
    },
    /** A State API document as the AU stored it, parsed. */
    state(launch: Cmi5Launch, stateId: string): unknown {
      const raw = store.documents.get(
        stateKey({
          activityId: launch.activityId,
          agent: JSON.stringify(launch.actor),
          registration: launch.registration,
          stateId,
        }),
      );
      return raw === undefined ? undefined : JSON.parse(raw);
    },
    /** Writes the learner's cmi5LearnerPreferences agent profile (§11). */
    setPreferences(actor: Agent, prefs: { languagePreference?: string; audioPreference?: 'on' | 'off' }) {
      store.documents.set(profileKey(actor, 'cmi5LearnerPreferences'), JSON.stringify(prefs));
    },
  };
  return lms;
}
