import { describe, expect, it } from 'vitest';
import { hasCmi5LaunchParams, parseLaunchParams } from '../../runtime/lms/cmi5-launch.js';
import { answered, buildStatement, isoDuration, uuid, xapiScore } from '../../runtime/lms/cmi5-statements.js';

const actor = { objectType: 'Agent', account: { homePage: 'https://lms.example', name: 'l1' } };
const query = (over: Record<string, string> = {}) =>
  new URLSearchParams({
    activityId: 'https://lms.example/a/1',
    registration: '760e3480-ba55-4991-94b0-01820dbd23a2',
    actor: JSON.stringify(actor),
    fetch: 'https://lms.example/fetch?k=1',
    endpoint: 'https://lrs.example/xapi',
    ...over,
  }).toString();

describe('cmi5 launch parameters (§8.1)', () => {
  it('detects the five parameters in any order and refuses a launch missing one', () => {
    expect(hasCmi5LaunchParams(`?${query()}`)).toBe(true);
    expect(hasCmi5LaunchParams(`?${query({ fetch: '' })}`)).toBe(false);
    expect(hasCmi5LaunchParams('?endpoint=x&actor=y')).toBe(false);
  });

  it('parses the actor and makes the endpoint a base URL', () => {
    expect(parseLaunchParams(`?${query()}`)).toMatchObject({
      endpoint: 'https://lrs.example/xapi/',
      fetch: 'https://lms.example/fetch?k=1',
      actor,
      actorJson: JSON.stringify(actor),
    });
  });

  it('refuses an actor without an account (§9.2) or that is not JSON', () => {
    expect(parseLaunchParams(`?${query({ actor: '{"mbox":"mailto:a@example.com"}' })}`)).toBeUndefined();
    expect(parseLaunchParams(`?${query({ actor: 'not json' })}`)).toBeUndefined();
  });
});

describe('cmi5 statements (§9)', () => {
  const ctx = {
    actor,
    activityId: 'https://lms.example/a/1',
    registration: 'r-1',
    template: {
      contextActivities: {
        grouping: [{ id: 'https://example.com/au' }],
        category: [{ id: 'https://lms.example/c' }],
      },
      extensions: { 'https://w3id.org/xapi/cmi5/context/extensions/sessionid': 's-1' },
    },
    masteryScore: 0.8,
  };
  const cats = (s: Record<string, unknown>) =>
    (
      (s.context as { contextActivities: { category: { id: string }[] } }).contextActivities.category ?? []
    ).map((c) => c.id);

  it('keeps the contextTemplate and adds the cmi5 and moveOn categories where they belong', () => {
    const at = new Date('2026-01-01T00:00:00Z');
    const init = buildStatement(ctx, 'initialized', at);
    expect(init).toMatchObject({ timestamp: '2026-01-01T00:00:00.000Z', object: { id: ctx.activityId } });
    expect(cats(init)).toEqual([
      'https://lms.example/c',
      'https://w3id.org/xapi/cmi5/context/categories/cmi5',
    ]);
    const passed = buildStatement(ctx, 'passed', at, { success: true, duration: 'PT1S' });
    expect(cats(passed)).toContain('https://w3id.org/xapi/cmi5/context/categories/moveon');
    expect((passed.context as { extensions: object }).extensions).toEqual({
      'https://w3id.org/xapi/cmi5/context/extensions/sessionid': 's-1',
      'https://w3id.org/xapi/cmi5/context/extensions/masteryscore': 0.8,
    });
    expect(cats(buildStatement(ctx, 'progressed', at, { extensions: {} }))).toEqual([
      'https://lms.example/c',
    ]);
    // The template itself is never modified.
    expect(ctx.template.contextActivities.category).toHaveLength(1);
  });

  it('answered: xAPI cmi.interaction responses, and no moveOn category even with result.success', () => {
    const s = answered(ctx, {
      id: 'm1',
      type: 'matching',
      response: ['a.1', 'b.2'],
      correct: ['a.1', 'b.2'],
      result: 'correct',
    });
    expect(s).toMatchObject({
      result: { response: 'a[.]1[,]b[.]2', success: true },
      object: { definition: { correctResponsesPattern: ['a[.]1[,]b[.]2'] } },
    });
    expect(cats(s)).toEqual(['https://lms.example/c']);
  });

  it('writes UUID ids, ISO durations and cmi5 scores', () => {
    expect(uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(isoDuration(61_234)).toBe('PT61.23S');
    expect(xapiScore({ raw: 9, min: 0, max: 10, scaled: 0.9 })).toEqual({
      scaled: 0.9,
      raw: 9,
      min: 0,
      max: 10,
    });
    expect(xapiScore({ raw: 4.5, min: 0, max: 10, scaled: 0.45 })).toEqual({ scaled: 0.45 });
    expect(xapiScore({ raw: -5, min: 0, max: 10, scaled: -0.5 })).toEqual({ scaled: 0 });
  });
});
