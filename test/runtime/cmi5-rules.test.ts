import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Statement } from '../helpers/cmi5-lms/index.js';
import { checkCmi5Rules, type RuleLaunch } from '../helpers/cmi5-rules.js';

/** The rule checker must be able to fail: each rule is shown a sequence that breaks it. */

const REG = randomUUID();
const ACT = 'https://lms.example/activities/au-1';
const PUB = 'https://example.com/au/1';
const SESSION = 'https://w3id.org/xapi/cmi5/context/extensions/sessionid';
const MASTERY = 'https://w3id.org/xapi/cmi5/context/extensions/masteryscore';
const PROGRESS = 'https://w3id.org/xapi/cmi5/result/extensions/progress';
const CMI5 = { id: 'https://w3id.org/xapi/cmi5/context/categories/cmi5' };
const MOVEON = { id: 'https://w3id.org/xapi/cmi5/context/categories/moveon' };

const launchOf = (sessionId: string, extra: Partial<RuleLaunch> = {}): RuleLaunch => ({
  registration: REG,
  sessionId,
  activityId: ACT,
  launchMode: 'Normal',
  masteryScore: 0.8,
  contextTemplate: {
    contextActivities: { grouping: [{ id: PUB }] },
    extensions: { [SESSION]: sessionId, 'https://lms.example/ext/tenant': 'acme' },
  },
  ...extra,
});

let clock = Date.parse('2026-01-01T10:00:00Z');
const tick = () => {
  clock += 1000;
  return new Date(clock).toISOString();
};

interface Opts {
  session?: string;
  result?: Record<string, unknown>;
  category?: { id: string }[];
  extensions?: Record<string, unknown>;
  patch?: (s: Statement) => void;
}

/** A statement as a well-behaved AU sends it; `patch` breaks it. */
function st(verb: string, o: Opts = {}): Statement {
  const session = o.session ?? 'S1';
  const launch = launchOf(session);
  const s: Statement = {
    id: randomUUID(),
    timestamp: tick(),
    actor: { objectType: 'Agent', account: { homePage: 'https://lms.example', name: 'l1' } },
    verb: { id: `http://adlnet.gov/expapi/verbs/${verb}` },
    object: { id: ACT },
    context: {
      registration: REG,
      contextActivities: { grouping: [{ id: PUB }], category: o.category ?? [CMI5] },
      extensions: { ...(launch.contextTemplate.extensions as object), ...o.extensions },
    },
  };
  if (o.result) s.result = o.result;
  o.patch?.(s);
  return s;
}

const initialized = (o: Opts = {}) => st('initialized', o);
const terminated = (o: Opts = {}) => st('terminated', { result: { duration: 'PT5S' }, ...o });
const completed = (o: Opts = {}) =>
  st('completed', { result: { completion: true, duration: 'PT4S' }, category: [CMI5, MOVEON], ...o });
const passed = (scaled = 0.9, o: Opts = {}) =>
  st('passed', {
    result: { success: true, score: { scaled }, duration: 'PT4S' },
    category: [CMI5, MOVEON],
    extensions: { [MASTERY]: 0.8 },
    ...o,
  });
const failed = (scaled = 0.5, o: Opts = {}) =>
  st('failed', {
    result: { success: false, score: { scaled }, duration: 'PT4S' },
    category: [CMI5, MOVEON],
    extensions: { [MASTERY]: 0.8 },
    ...o,
  });
const progressed = (value: number, o: Opts = {}) =>
  st('progressed', { result: { extensions: { [PROGRESS]: value } }, category: [], ...o });

const rules = (statements: Statement[], launches = [launchOf('S1'), launchOf('S2')], open?: string[]) =>
  checkCmi5Rules(statements, launches, { open }).map((v) => v.rule);

describe('checkCmi5Rules', () => {
  it('accepts a conformant Normal session: initialized, progress, completed, passed, terminated', () => {
    expect(
      checkCmi5Rules([initialized(), progressed(50), completed(), passed(), terminated()], [launchOf('S1')]),
    ).toEqual([]);
  });

  it('accepts a later session that fails again, then passes', () => {
    const first = [initialized(), failed(), terminated()];
    const second = [
      initialized({ session: 'S2' }),
      passed(0.85, { session: 'S2' }),
      terminated({ session: 'S2' }),
    ];
    expect(rules([...first, ...second])).toEqual([]);
  });

  it.each([
    ['9.1', [initialized({ patch: (s) => (s.id = 'stmt-1') }), terminated()]],
    ['9.7', [initialized({ patch: (s) => (s.timestamp = '2026-01-01T12:00:00+02:00') }), terminated()]],
    ['9.6.3.1', [initialized(), st('experienced', { session: 'S-unknown', category: [] }), terminated()]],
    ['9.3.8', [initialized(), terminated(), st('experienced', { category: [] })]],
    ['9.3.2', [st('experienced', { category: [] }), initialized(), terminated()]],
    ['9.6.1', [initialized({ patch: (s) => (s.context!.registration = randomUUID()) }), terminated()]],
    ['10.2.1', [initialized({ extensions: { 'https://lms.example/ext/tenant': 'other' } }), terminated()]],
    [
      '9.6.2',
      [
        initialized({
          patch: (s) => delete (s.context!.contextActivities as Record<string, unknown>).grouping,
        }),
        terminated(),
      ],
    ],
    ['9.6.2.1', [initialized(), completed({ category: [MOVEON] }), terminated()]],
    ['9.5.5.1', [initialized(), progressed(150), terminated()]],
    ['9.2', [initialized({ patch: (s) => (s.actor = { mbox: 'mailto:l1@example.com' }) }), terminated()]],
    ['9.4', [initialized({ patch: (s) => (s.object = { id: PUB }) }), terminated()]],
    ['9.6.2.2', [initialized({ category: [CMI5, MOVEON] }), terminated()]],
    ['9.6.2.2', [initialized(), completed({ category: [CMI5] }), terminated()]],
    [
      '9.6.2.2',
      [
        initialized(),
        st('answered', {
          result: { success: true, response: 'a' },
          category: [MOVEON],
          patch: (s) => (s.object = { id: `${ACT}/interactions/q1` }),
        }),
        terminated(),
      ],
    ],
    [
      '9.5.1',
      [
        initialized(),
        completed({ result: { completion: true, duration: 'PT1S', score: { scaled: 1 } } }),
        terminated(),
      ],
    ],
    [
      '9.5.1',
      [
        initialized(),
        passed(0.9, { result: { success: true, duration: 'PT1S', score: { raw: 9 } } }),
        terminated(),
      ],
    ],
    ['9.5.2', [initialized(), passed(0.9, { result: { success: false, duration: 'PT1S' } }), terminated()]],
    ['9.5.3', [initialized(), completed({ result: { duration: 'PT1S' }, category: [CMI5] }), terminated()]],
    ['9.5.4.1', [initialized(), terminated({ result: undefined })]],
    ['9.5.4.1', [initialized(), completed({ result: { completion: true } }), terminated()]],
    ['9.6.3.2', [initialized(), passed(0.9, { extensions: {} }), terminated()]],
    ['9.3.4', [initialized(), passed(0.5), terminated()]],
    ['9.3.5', [initialized(), failed(0.9), terminated()]],
    ['9.3', [initialized(), initialized(), terminated()]],
    ['9.3', [initialized(), failed(), passed(), terminated()]],
    ['7.1.2', [initialized(), completed()]],
  ])('reports %s', (rule, statements) => {
    expect(rules(statements as Statement[])).toContain(rule);
  });

  it('accepts a cmi5 verb about another object as a cmi5 allowed statement (a video "initialized")', () => {
    const video = st('initialized', {
      category: [],
      patch: (s) => (s.object = { id: 'https://example.com/video/1' }),
    });
    expect(rules([initialized(), video, terminated()], [launchOf('S1')])).toEqual([]);
  });

  it('reports 10.2.2 for anything but initialized/terminated in Browse or Review mode', () => {
    for (const launchMode of ['Browse', 'Review'] as const) {
      const launches = [launchOf('S1', { launchMode })];
      expect(rules([initialized(), completed(), terminated()], launches)).toContain('10.2.2');
      expect(rules([initialized(), terminated()], launches)).toEqual([]);
    }
  });

  it('reports 9.3.3 and 9.3.4 for a second completed or passed in the registration', () => {
    const first = [initialized(), completed(), passed(), terminated()];
    const again = [
      initialized({ session: 'S2' }),
      completed({ session: 'S2' }),
      passed(0.9, { session: 'S2' }),
      terminated({ session: 'S2' }),
    ];
    expect(rules([...first, ...again])).toEqual(expect.arrayContaining(['9.3.3', '9.3.4']));
  });

  it('reports a failed that follows a passed in the registration (9.3)', () => {
    const first = [initialized(), passed(), terminated()];
    const second = [
      initialized({ session: 'S2' }),
      failed(0.5, { session: 'S2' }),
      terminated({ session: 'S2' }),
    ];
    expect(checkCmi5Rules([...first, ...second], [launchOf('S1'), launchOf('S2')])).toEqual([
      expect.objectContaining({ rule: '9.3', message: expect.stringContaining('failed after passed') }),
    ]);
  });

  it('orders by timestamp, not arrival, and lets an open session end without terminated', () => {
    const [a, b, c] = [initialized(), completed(), terminated()];
    expect(rules([c, a, b], [launchOf('S1')])).toEqual([]);
    expect(rules([a, b], [launchOf('S1')], ['S1'])).toEqual([]);
  });

  it('marks progress after completed as SHOULD-level advice (9.5.5.1)', () => {
    const v = checkCmi5Rules([initialized(), completed(), progressed(100), terminated()], [launchOf('S1')]);
    expect(v).toEqual([expect.objectContaining({ rule: '9.5.5.1', level: 'should' })]);
  });
});
