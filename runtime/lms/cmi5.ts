/**
 * The cmi5 AU side (spec §8–§11) behind the `LmsAdapter` seam: launch parameters, the one-time token,
 * LMS.LaunchData, learner preferences, the cmi5 defined statements, and bookmark/suspend data in the
 * State API.
 */
import { CMI5 } from '../../protocol/xapi.js';
import type {
  AdapterOptions,
  Changes,
  Interaction,
  LaunchInfo,
  LaunchMode,
  LmsAdapter,
  Score,
} from './adapter.js';
import {
  type Cmi5LaunchParams,
  fetchToken,
  type LaunchRecord,
  loadRecord,
  parseLaunchParams,
  saveRecord,
} from './cmi5-launch.js';
import { createLrs, type Lrs } from './cmi5-lrs.js';
import {
  answered,
  buildStatement,
  type Cmi5Verb,
  isoDuration,
  type StatementContext,
  xapiScore,
} from './cmi5-statements.js';

export { hasCmi5LaunchParams } from './cmi5-launch.js';

/** The runtime's own State API document for the registration: bookmark, suspend data, what was reported. */
export const CMI5_STATE_ID = 'coursegate';

/** The options every adapter factory takes (window, now, onError). */
export type Cmi5AdapterOptions = AdapterOptions;

/** LaunchInfo plus the learner preferences of spec §11. */
export interface Cmi5LaunchInfo extends LaunchInfo {
  preferences: { language?: string[] | undefined; audio?: 'on' | 'off' | undefined };
}

export interface Cmi5Adapter extends LmsAdapter {
  open(): Promise<Cmi5LaunchInfo>;
}

interface StateDoc {
  location?: string;
  suspendData?: string;
  completion?: 'completed';
  success?: 'passed' | 'failed';
}

interface Plan {
  statements: Record<string, unknown>[];
  verbs: Cmi5Verb[];
  patch: StateDoc;
  /** Interactions and progress the statements report, so a retried batch does not post them again. */
  answered: Interaction[];
  progress?: number;
}

/**
 * @example
 * const course = await createCourse(createCmi5Adapter({ onError: events.error }), { events });
 */
export function createCmi5Adapter(options: Cmi5AdapterOptions = {}): Cmi5Adapter {
  const win = options.window ?? window;
  const now = options.now ?? (() => new Date());
  const onError = options.onError ?? (() => {});
  let params: Cmi5LaunchParams;
  let record: LaunchRecord;
  let lrs: Lrs;
  let ctx: StatementContext;
  let mode: LaunchMode = 'normal';
  let doc: StateDoc = {};
  let score: Score | undefined;
  // Statements may be sent only between initialized and terminated (§9.3).
  let live = false;
  // What the LRS accepted: the core retries a whole batch when only the state document failed.
  const posted = new WeakSet<Interaction>();
  let progressed: number | undefined;
  // A state document patch the LRS refused, sent again with the next one.
  let unsaved: StateDoc = {};

  const storage = () => {
    try {
      return win.sessionStorage;
    } catch {
      return undefined;
    }
  };
  const save = () => saveRecord(storage(), params.fetch, record);
  const stateQuery = (stateId: string) => ({
    activityId: params.activityId,
    agent: params.actorJson,
    registration: params.registration,
    stateId,
  });

  const plan = (changes: Changes, terminate: boolean): Plan => {
    const p: Plan = { statements: [], verbs: [], patch: {}, answered: [] };
    if (changes.location !== undefined) p.patch.location = changes.location;
    if (changes.suspendData !== undefined) p.patch.suspendData = changes.suspendData;
    if (!live) return p;
    const at = now();
    const duration = isoDuration(at.getTime() - record.i);
    const add = (verb: Cmi5Verb, result: Record<string, unknown>) => {
      p.statements.push(buildStatement(ctx, verb, at, result));
      p.verbs.push(verb);
    };
    // Browse and Review: only initialized and terminated (§10.2.2).
    if (mode === 'normal') {
      if (changes.score) score = changes.score;
      // Completed and passed at most once per registration, every verb at most once per session (§9.3).
      if (
        changes.completion === 'completed' &&
        doc.completion !== 'completed' &&
        !record.v.includes('completed')
      ) {
        add('completed', { completion: true, duration });
        p.patch.completion = 'completed';
      }
      let success = changes.success;
      const scored = score && xapiScore(score);
      // The LMS's mastery score decides the verb whenever there is a score (§9.3.4, §9.3.5, §10.2.4),
      // compared with the score as sent, not a finer one the LRS never sees.
      if (success && scored && ctx.masteryScore !== undefined)
        success = (scored.scaled as number) >= ctx.masteryScore ? 'passed' : 'failed';
      if (success && doc.success !== 'passed' && !record.v.some((v) => v === 'passed' || v === 'failed')) {
        add(success, { success: success === 'passed', ...(scored ? { score: scored } : {}), duration });
        p.patch.success = success;
      }
      for (const i of changes.interactions ?? []) {
        if (posted.has(i)) continue;
        p.statements.push(answered(ctx, i));
        p.verbs.push('answered');
        p.answered.push(i);
      }
      // §9.5.5.1: no progress once completed.
      if (
        changes.progress !== undefined &&
        changes.progress !== progressed &&
        doc.completion !== 'completed' &&
        !p.patch.completion
      ) {
        add('progressed', { extensions: { [CMI5.progressExtension]: Math.round(changes.progress * 100) } });
        p.progress = changes.progress;
      }
    }
    if (terminate) add('terminated', { duration });
    return p;
  };

  const post = async (p: Plan, keepalive?: boolean): Promise<boolean> => {
    if (!p.statements.length) return true;
    const r = await lrs.call('POST', 'statements', {}, p.statements, keepalive);
    if (r.status >= 200 && r.status < 300) return true;
    onError(r.status ? 'statement_rejected' : 'lms_commit_failed', `LRS answered ${r.status} to ${p.verbs}`);
    return false;
  };
  // Without the statements, the state document must not claim what they would have reported.
  const accept = (p: Plan, sent: boolean) => {
    if (sent) {
      for (const v of p.verbs) if (v !== 'progressed' && v !== 'answered') record.v.push(v);
      for (const i of p.answered) posted.add(i);
      progressed = p.progress ?? progressed;
    } else {
      delete p.patch.completion;
      delete p.patch.success;
    }
    doc = { ...doc, ...p.patch };
    save();
  };
  // POST merges into the State API document, so each commit sends only what changed (and what failed).
  const merge = async (patch: StateDoc, keepalive?: boolean): Promise<boolean> => {
    const body = { ...unsaved, ...patch };
    if (!Object.keys(body).length) return true;
    const r = await lrs.call('POST', 'activities/state', stateQuery(CMI5_STATE_ID), body, keepalive);
    const ok = r.status >= 200 && r.status < 300;
    unsaved = ok ? {} : body;
    if (!ok) onError('lms_commit_failed', `LRS answered ${r.status} to the state document`);
    return ok;
  };

  // Without a working launch nothing can be recorded: say so with browse mode rather than fail every commit.
  const fallback = (): Cmi5LaunchInfo => ({
    learner: { id: '', name: '' },
    mode: 'browse',
    credit: false,
    entry: '',
    maxSuspendDataLength: 32000,
    preferences: {},
  });

  return {
    standard: 'cmi5',
    finalJudgement: true,
    async open() {
      const parsed = parseLaunchParams(win.location.search);
      if (!parsed) {
        onError('launch_params_invalid', 'cmi5 launch parameters missing or malformed');
        return fallback();
      }
      params = parsed;
      const kept = loadRecord(storage(), params.fetch);
      if (kept) record = kept;
      else {
        const r = await fetchToken(params.fetch);
        if (!r.token) {
          onError('fetch_failed', r.error ?? 'no auth-token');
          return fallback();
        }
        record = { t: r.token, i: 0, v: [] };
        save();
      }
      lrs = createLrs(params.endpoint, record.t);
      const [launch, mine, prefs] = await Promise.all([
        lrs.call('GET', 'activities/state', stateQuery(CMI5.launchDataStateId)),
        lrs.call('GET', 'activities/state', stateQuery(CMI5_STATE_ID)),
        lrs.call('GET', 'agents/profile', {
          agent: params.actorJson,
          profileId: CMI5.learnerPreferencesProfileId,
        }),
      ]);
      const data = launch.body as
        | {
            contextTemplate?: Record<string, unknown>;
            launchMode?: string;
            masteryScore?: number | string;
            moveOn?: string;
            returnURL?: string;
          }
        | undefined;
      if (launch.status !== 200 || !data?.contextTemplate) {
        onError('lms_call_failed', `LMS.LaunchData unreadable (${launch.status})`);
        return fallback();
      }
      const mastery = Number.parseFloat(String(data.masteryScore));
      mode = (data.launchMode?.toLowerCase() ?? 'normal') as LaunchMode;
      ctx = {
        actor: params.actor,
        activityId: params.activityId,
        registration: params.registration,
        template: data.contextTemplate,
        // Some LMSs write the decimal as a string.
        masteryScore: Number.isNaN(mastery) ? undefined : mastery,
      };
      if (mine.status === 200 && mine.body) doc = mine.body as StateDoc;
      const pref = (prefs.status === 200 ? prefs.body : {}) as {
        languagePreference?: string;
        audioPreference?: 'on' | 'off';
      };
      if (record.v.includes('terminated'))
        onError('launch_params_invalid', 'this cmi5 session has ended; the LMS must launch the AU again');
      else if (record.i) live = true;
      else {
        const at = now();
        live = true;
        const p: Plan = {
          statements: [buildStatement(ctx, 'initialized', at)],
          verbs: ['initialized'],
          patch: {},
          answered: [],
        };
        live = await post(p);
        if (live) {
          record.i = at.getTime();
          accept(p, true);
        }
      }
      return {
        learner: { id: params.actor.account?.name ?? '', name: params.actor.name ?? '' },
        mode,
        credit: mode === 'normal',
        masteryScore: ctx.masteryScore,
        entry: doc.location || doc.suspendData ? 'resume' : 'ab-initio',
        location: doc.location,
        suspendData: doc.suspendData,
        completion: doc.completion ?? 'incomplete',
        success: doc.success ?? 'unknown',
        // Compressed state is sent with keepalive at pagehide, whose bodies share a 64 KB allowance.
        maxSuspendDataLength: 32000,
        returnUrl: data.returnURL,
        moveOn: data.moveOn,
        preferences: {
          language: pref.languagePreference?.split(',').map((s) => s.trim()),
          audio: pref.audioPreference,
        },
      };
    },
    async write(changes) {
      if (!params || !lrs) return false;
      const p = plan(changes, false);
      const sent = await post(p);
      accept(p, sent);
      return (await merge(p.patch)) && sent;
    },
    async close() {
      if (!live) return;
      await merge({});
      const p = plan({}, true);
      if (await post(p)) accept(p, true);
      live = false;
    },
    closeOnUnload(changes) {
      if (!params || !lrs) return;
      // No terminated here: pagehide also fires on a reload, after which the session goes on with the
      // same token; a closed tab is recorded as abandoned by the LMS (§9.3.6).
      const p = plan(changes, false);
      void post(p, true);
      void merge(p.patch, true);
      accept(p, true);
    },
  };
}
