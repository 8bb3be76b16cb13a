/**
 * A checker of cmi5 spec §9 (with §7.1 and §10.2) over the statements an AU sent in a registration.
 * Works on any AU's statements; each violation names the rule it enforces, so a failing test says
 * which sentence of the spec was broken.
 */
import { type Cmi5Launch, type Statement, sessionOf } from './store.js';

export interface Cmi5Violation {
  /** Spec section, e.g. `9.3.2`. */
  rule: string;
  message: string;
  statementId?: string;
  /** `should` for SHOULD-level advice; everything else is a MUST. */
  level: 'must' | 'should';
}

export type RuleLaunch = Pick<
  Cmi5Launch,
  'registration' | 'sessionId' | 'activityId' | 'launchMode' | 'masteryScore' | 'contextTemplate'
>;

export interface CheckOptions {
  /** Sessions still running (or knowingly abandoned): not required to end with terminated yet. */
  open?: string[];
}

const V = 'http://adlnet.gov/expapi/verbs/';
const ADL_V = 'https://w3id.org/xapi/adl/verbs/';
const CMI5_CATEGORY = 'https://w3id.org/xapi/cmi5/context/categories/cmi5';
const MOVEON_CATEGORY = 'https://w3id.org/xapi/cmi5/context/categories/moveon';
const MASTERY_EXT = 'https://w3id.org/xapi/cmi5/context/extensions/masteryscore';
const PROGRESS_EXT = 'https://w3id.org/xapi/cmi5/result/extensions/progress';
const CMI5_VERBS = ['initialized', 'completed', 'passed', 'failed', 'terminated'];
const LMS_VERBS = ['launched', 'abandoned', 'waived', 'satisfied'];
const DURATION_REQUIRED = ['terminated', 'completed', 'passed', 'failed'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const ISO_DURATION =
  /^P(?!$)(\d+(\.\d+)?Y)?(\d+(\.\d+)?M)?(\d+(\.\d+)?W)?(\d+(\.\d+)?D)?(T(?=\d)(\d+(\.\d+)?H)?(\d+(\.\d+)?M)?(\d+(\.\d+)?S)?)?$/;

type Json = Record<string, unknown>;

// cmi5's verbs are ADL's; any other IRI keeps its full id, so "example.com/verbs/completed" is not completed.
const verbName = (s: Statement) => {
  const id = s.verb?.id ?? '';
  return id.startsWith(V) || id.startsWith(ADL_V) ? id.slice(id.lastIndexOf('/') + 1) : id;
};
const categories = (s: Statement): string[] =>
  (((s.context?.contextActivities as Json | undefined)?.category as Json[] | undefined) ?? []).map((a) =>
    String(a.id),
  );

/**
 * Returns every violation found; an empty array means the statements follow the rules.
 * @example
 * expect(checkCmi5Rules(lms.auStatements(reg), lms.launchesOf(reg))).toEqual([]);
 */
export function checkCmi5Rules(
  statements: Statement[],
  launches: RuleLaunch[],
  options: CheckOptions = {},
): Cmi5Violation[] {
  const out: Cmi5Violation[] = [];
  const flag = (rule: string, message: string, s?: Statement, level: 'must' | 'should' = 'must') =>
    out.push({ rule, message: `${rule}: ${message}`, statementId: s?.id, level });

  // §9.3: order is the order of timestamps; ties keep the order of arrival.
  const au = statements
    .filter((s) => !LMS_VERBS.includes(verbName(s)))
    .map((s, i) => ({ s, i, t: Date.parse(String(s.timestamp)) }))
    .sort((a, b) => (a.t - b.t || a.i - b.i) as number)
    .map((x) => x.s);

  const perSession = new Map<string, Statement[]>();
  let completedCount = 0;
  let passedCount = 0;
  let completedSeen = false;

  for (const s of au) {
    const verb = verbName(s);
    const defined = categories(s).includes(CMI5_CATEGORY);
    const result = s.result as Json | undefined;
    const sessionId = sessionOf(s);
    const launch = launches.find((l) => l.sessionId === sessionId);

    if (!UUID.test(String(s.id))) flag('9.1', `statement id "${s.id}" is not a UUID`, s);
    if (!s.timestamp || !/(Z|[+-]00:?00)$/.test(s.timestamp) || Number.isNaN(Date.parse(s.timestamp)))
      flag('9.7', `timestamp "${s.timestamp}" is missing or not UTC`, s);
    if (!launch) {
      flag('9.6.3.1', `session id "${sessionId}" is not the one the LMS provided`, s);
      continue;
    }
    const list = perSession.get(launch.sessionId) ?? [];
    perSession.set(launch.sessionId, list);
    if (list.some((x) => verbName(x) === 'terminated'))
      flag('9.3.8', `"${verb}" sent after terminated; terminated must be the last statement`, s);
    if (!list.length && verb !== 'initialized')
      flag('9.3.2', `first statement of the session is "${verb}", not initialized`, s);
    list.push(s);

    if (s.context?.registration !== launch.registration)
      flag('9.6.1', `context.registration is not the launch registration`, s);
    checkTemplate(launch, s, flag);
    // A cmi5 verb about another object (a video's "initialized") is a legitimate cmi5 allowed statement.
    if (CMI5_VERBS.includes(verb) && !defined && s.object?.id === launch.activityId)
      flag('9.6.2.1', `"${verb}" about the AU lacks the cmi5 category activity`, s);

    const progress = (result?.extensions as Json | undefined)?.[PROGRESS_EXT];
    if (progress !== undefined) {
      if (!Number.isInteger(progress) || (progress as number) < 0 || (progress as number) > 100)
        flag('9.5.5.1', `progress ${progress} is not an integer 0..100`, s);
      if (verb === 'completed' || completedSeen)
        flag('9.5.5.1', `progress sent in or after a completed statement`, s, 'should');
    }
    // Only cmi5 defined statements judge the AU; an `answered` with result.success does not (§9.6.2.2).
    if (!defined) {
      if (categories(s).includes(MOVEON_CATEGORY))
        flag('9.6.2.2', `moveOn category on "${verb}", which is not a cmi5 defined statement`, s);
      continue;
    }

    const actor = s.actor;
    if (!actor?.account || (actor.objectType && actor.objectType !== 'Agent'))
      flag('9.2', 'actor must be an Agent with an account', s);
    if (s.object?.id !== launch.activityId) flag('9.4', `object id is not the launch activityId`, s);

    const moveOnCategory = categories(s).includes(MOVEON_CATEGORY);
    const judged = result !== undefined && ('success' in result || 'completion' in result);
    if (judged !== moveOnCategory)
      flag('9.6.2.2', `moveOn category ${moveOnCategory ? 'on' : 'missing from'} "${verb}"`, s);

    const score = result?.score as Json | undefined;
    if (score && verb !== 'passed' && verb !== 'failed') flag('9.5.1', `"${verb}" must not carry a score`, s);
    if (score && 'raw' in score && !('min' in score && 'max' in score))
      flag('9.5.1', 'score.raw given without min and max', s);
    const scaled = score?.scaled as number | undefined;
    if (scaled !== undefined && !(scaled >= 0 && scaled <= 1))
      flag('9.5.1', `scaled ${scaled} not in 0..1`, s);

    const success = result?.success;
    if (verb === 'passed' && success !== true) flag('9.5.2', 'passed needs result.success true', s);
    else if (verb === 'failed' && success !== false) flag('9.5.2', 'failed needs result.success false', s);
    else if (verb !== 'passed' && verb !== 'failed' && success !== undefined)
      flag('9.5.2', `"${verb}" must not carry result.success`, s);
    const completion = result?.completion;
    if (verb === 'completed' && completion !== true)
      flag('9.5.3', 'completed needs result.completion true', s);
    else if (verb !== 'completed' && completion !== undefined)
      flag('9.5.3', `"${verb}" must not carry result.completion`, s);
    if (DURATION_REQUIRED.includes(verb) && !ISO_DURATION.test(String(result?.duration)))
      flag('9.5.4.1', `"${verb}" needs an ISO 8601 result.duration`, s);

    const mastery = launch.masteryScore;
    if (mastery !== undefined && (verb === 'passed' || verb === 'failed')) {
      if (s.context?.extensions?.[MASTERY_EXT] !== mastery)
        flag('9.6.3.2', `"${verb}" lacks the masteryscore extension ${mastery}`, s);
      if (verb === 'passed' && scaled !== undefined && scaled < mastery)
        flag('9.3.4', `passed with scaled ${scaled} below masteryScore ${mastery}`, s);
      if (verb === 'failed' && scaled !== undefined && scaled >= mastery)
        flag('9.3.5', `failed with scaled ${scaled} not below masteryScore ${mastery}`, s);
    }
    if (launch.launchMode !== 'Normal' && verb !== 'initialized' && verb !== 'terminated')
      flag(
        '10.2.2',
        `"${verb}" sent in ${launch.launchMode} mode, which allows only initialized and terminated`,
        s,
      );

    const earlier = list.slice(0, -1).filter((x) => categories(x).includes(CMI5_CATEGORY));
    if (earlier.some((x) => verbName(x) === verb)) flag('9.3', `"${verb}" duplicated in the session`, s);
    if (
      (verb === 'passed' || verb === 'failed') &&
      earlier.some((x) => ['passed', 'failed'].includes(verbName(x)) && verbName(x) !== verb)
    )
      flag('9.3', 'both passed and failed in one session', s);
    if (verb === 'completed' && ++completedCount > 1)
      flag('9.3.3', 'more than one completed in the registration', s);
    if (verb === 'completed') completedSeen = true;
    if (verb === 'passed' && ++passedCount > 1) flag('9.3.4', 'more than one passed in the registration', s);
    if (verb === 'failed' && passedCount > 0) flag('9.3', 'failed after passed in the registration', s);
  }

  for (const [sessionId, list] of perSession) {
    if (options.open?.includes(sessionId)) continue;
    if (verbName(list.at(-1) as Statement) !== 'terminated')
      flag('7.1.2', `session ${sessionId} does not end with terminated`, list.at(-1));
  }
  return out;
}

/** §10.2.1 / §9.6.2: every value of the contextTemplate is kept, none overwritten. */
function checkTemplate(
  launch: RuleLaunch,
  s: Statement,
  flag: (rule: string, message: string, s?: Statement) => void,
) {
  const template = launch.contextTemplate as Json;
  for (const [k, v] of Object.entries((template.extensions as Json | undefined) ?? {}))
    if (JSON.stringify(s.context?.extensions?.[k]) !== JSON.stringify(v))
      flag('10.2.1', `context extension ${k} differs from the contextTemplate`, s);
  const have = (s.context?.contextActivities as Json | undefined) ?? {};
  for (const [k, acts] of Object.entries((template.contextActivities as Json | undefined) ?? {}))
    for (const a of acts as Json[])
      if (!((have[k] as Json[] | undefined) ?? []).some((x) => x.id === a.id))
        flag('9.6.2', `contextActivities.${k} lacks ${a.id} from the contextTemplate`, s);
}
