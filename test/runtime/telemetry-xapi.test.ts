import { describe, expect, it } from 'vitest';
import { TELEMETRY_EXTENSIONS } from '../../protocol/telemetry.js';
import { CMI5, VERBS } from '../../protocol/xapi.js';
import { isoDuration, makeStatement, uuid } from '../../runtime/telemetry/xapi.js';

const scope = {
  homePage: 'https://gk.example.com',
  sessionId: 'sess-123',
  course: 'intro',
  deployment: 'dep-7',
  now: () => new Date('2026-03-01T10:00:00.000Z'),
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Every key anywhere in a JSON value. */
function keysOf(v: unknown, out: string[] = []): string[] {
  if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) {
      out.push(k);
      keysOf(x, out);
    }
  return out;
}

describe('telemetry statements', () => {
  it('are about the anonymous session account, with a UUID, a timestamp, course and deployment', () => {
    const s = JSON.parse(JSON.stringify(makeStatement(scope, 'launched')));
    expect(s).toEqual({
      id: expect.stringMatching(UUID),
      actor: { objectType: 'Agent', account: { homePage: 'https://gk.example.com', name: 'sess-123' } },
      verb: { id: VERBS.launched },
      object: { objectType: 'Activity', id: 'https://gk.example.com/courses/intro' },
      context: {
        extensions: { [TELEMETRY_EXTENSIONS.course]: 'intro', [TELEMETRY_EXTENSIONS.deployment]: 'dep-7' },
      },
      timestamp: '2026-03-01T10:00:00.000Z',
    });
  });

  it('build each lifecycle verb with its result: progress, completion, pass/fail with score, duration', () => {
    const progressed = makeStatement(scope, 'progressed', undefined, { progress: 0.42 });
    expect(progressed.verb.id).toBe(VERBS.progressed);
    expect(progressed.result?.extensions).toEqual({ [CMI5.progressExtension]: 42 });

    const completed = makeStatement(scope, 'completed', undefined, {
      completion: true,
      durationMs: 3_723_450,
    });
    expect(JSON.parse(JSON.stringify(completed.result))).toEqual({
      completion: true,
      duration: 'PT3723.45S',
    });

    const score = { raw: 8, min: 0, max: 10, scaled: 0.8 };
    const passed = makeStatement(scope, 'passed', undefined, { score, success: true, durationMs: 61_000 });
    expect(passed.verb.id).toBe(VERBS.passed);
    expect(JSON.parse(JSON.stringify(passed.result))).toEqual({ score, success: true, duration: 'PT61S' });
    const failed = makeStatement(scope, 'failed', undefined, {
      score: { ...score, raw: 3, scaled: 0.3 },
      success: false,
    });
    expect(failed.verb.id).toBe(VERBS.failed);
    expect(failed.result?.success).toBe(false);

    for (const v of ['initialized', 'terminated'] as const)
      expect(makeStatement(scope, v).verb.id).toBe(VERBS[v]);
  });

  it('take course-defined verbs and objects: IRIs as given, bare words and relative ids under the course', () => {
    const answered = makeStatement(scope, 'http://adlnet.gov/expapi/verbs/answered', 'quiz-1/q2', {
      response: 'b',
      success: true,
    });
    expect(answered.verb).toEqual({ id: 'http://adlnet.gov/expapi/verbs/answered' });
    expect(answered.object.id).toBe('https://gk.example.com/courses/intro/quiz-1/q2');
    expect(answered.result).toMatchObject({ response: 'b', success: true });

    const custom = makeStatement(scope, 'bookmarked', 'https://example.com/activities/page-3');
    expect(custom.verb.id).toBe('https://coursegate.dev/xapi/verbs/bookmarked');
    expect(custom.object.id).toBe('https://example.com/activities/page-3');
  });

  it('never carry mbox, mbox_sha1sum, openid or a person’s name, whatever the result holds', () => {
    const all = [
      makeStatement(scope, 'launched'),
      makeStatement(scope, 'passed', 'x', {
        score: { scaled: 1 },
        success: true,
        extensions: { 'https://e/x': 1 },
      }),
    ];
    for (const s of all) {
      expect(Object.keys(s.actor).sort()).toEqual(['account', 'objectType']);
      for (const k of ['mbox', 'mbox_sha1sum', 'openid']) expect(keysOf(s)).not.toContain(k);
      expect(s.context).not.toHaveProperty('registration');
    }
  });

  it('makes v4 UUIDs and ISO 8601 durations', () => {
    const ids = new Set(Array.from({ length: 1000 }, uuid));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(UUID);
    expect(isoDuration(0)).toBe('PT0S');
    expect(isoDuration(1234)).toBe('PT1.23S');
  });

  it('makes v4 UUIDs where crypto.randomUUID is missing (insecure contexts)', () => {
    const original = crypto.randomUUID;
    Object.defineProperty(crypto, 'randomUUID', { value: undefined, configurable: true });
    try {
      const ids = Array.from({ length: 200 }, uuid);
      for (const id of ids) expect(id).toMatch(UUID);
      expect(new Set(ids).size).toBe(200);
    } finally {
      Object.defineProperty(crypto, 'randomUUID', { value: original, configurable: true });
    }
  });
});
