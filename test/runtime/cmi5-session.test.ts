import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCmi5Adapter } from '../../runtime/lms/cmi5.js';
import { cmi5InProcess } from '../helpers/cmi5-in-process.js';
import type { Statement } from '../helpers/cmi5-lms/index.js';
import { checkCmi5Rules } from '../helpers/cmi5-rules.js';

/** The cmi5 course API end to end against the strict test LMS (it refuses what breaks a MUST of §9). */

afterEach(() => {
  vi.unstubAllGlobals();
});

const MOVEON = 'https://w3id.org/xapi/cmi5/context/categories/moveon';
const categories = (s: Statement | undefined) =>
  ((s?.context?.contextActivities as { category?: { id: string }[] } | undefined)?.category ?? []).map(
    (c) => c.id,
  );

describe('cmi5 course sessions (in-process test LMS)', () => {
  it('records a pass in a later session after a failed, unfinished one', async () => {
    const h = cmi5InProcess();
    const first = await h.session();
    first.course.fail();
    await first.course.exit();
    const reg = first.launch.registration;
    const second = await h.session({ registration: reg });
    expect(second.course.success).toBe('failed');
    // The batch the core sends as the session opens goes out before the learner does anything.
    await second.course.flush();
    second.course.pass();
    second.course.complete();
    await second.course.exit();
    expect(h.verbs(reg)).toEqual([
      'initialized',
      'failed',
      'terminated',
      'initialized',
      'completed',
      'passed',
      'terminated',
    ]);
    expect(second.course.success).toBe('passed');
    expect([first.errors, second.errors]).toEqual([[], []]);
    expect(checkCmi5Rules(h.statements(reg), h.lms.launchesOf(reg))).toEqual([]);
  });

  it('keeps the first judgement of a session and reports a different later one', async () => {
    const h = cmi5InProcess();
    const s = await h.session({ masteryScore: 0.8 });
    s.course.score(5, { max: 10 });
    await s.course.flush();
    s.course.score(9, { max: 10 });
    s.course.pass();
    await s.course.exit();
    expect(h.verbs(s.launch.registration)).toEqual(['initialized', 'failed', 'terminated']);
    expect(s.course.success).toBe('failed');
    expect(s.errors.map((e) => e.code)).toEqual(['invalid_argument', 'invalid_argument']);
    expect(s.errors[0]?.message).toMatch(/keeps failed.*passed not recorded/);
  });

  it('keeps a passed of an earlier session: a later fail() is reported, not believed', async () => {
    const h = cmi5InProcess();
    const first = await h.session();
    first.course.pass();
    await first.course.exit();
    const second = await h.session({ registration: first.launch.registration });
    second.course.fail();
    second.course.pass();
    await second.course.exit();
    expect(second.course.success).toBe('passed');
    expect(second.errors.map((e) => e.code)).toEqual(['invalid_argument']);
    expect(h.verbs(first.launch.registration)).toEqual([
      'initialized',
      'passed',
      'terminated',
      'initialized',
      'terminated',
    ]);
  });

  it('puts the moveOn category on no answered statement, even one with result.success', async () => {
    const h = cmi5InProcess();
    const s = await h.session();
    s.course.interaction({ id: 'q1', type: 'true-false', response: 'true', result: 'correct' });
    s.course.complete();
    await s.course.exit();
    const list = h.statements(s.launch.registration);
    const answered = list.find((x) => x.verb.id.endsWith('/answered'));
    expect(answered?.result).toMatchObject({ success: true });
    expect(categories(answered)).not.toContain(MOVEON);
    expect(categories(list.find((x) => x.verb.id.endsWith('/completed')))).toContain(MOVEON);
    expect(s.errors).toEqual([]);
  });

  it('judges on the score as sent: 0.79999 is sent as 0.8, which passes a masteryScore of 0.8', async () => {
    const h = cmi5InProcess();
    const s = await h.session({ masteryScore: 0.8 });
    s.course.score(0.79999, { max: 1 });
    await s.course.exit();
    const reg = s.launch.registration;
    expect(h.verbs(reg)).toEqual(['initialized', 'passed', 'terminated']);
    expect(h.statements(reg)[1]?.result).toMatchObject({ success: true, score: { scaled: 0.8 } });
    expect(s.course.success).toBe('passed');
    expect(s.errors).toEqual([]);
  });

  it('the adapter on its own also judges on the score as sent', async () => {
    const h = cmi5InProcess();
    const launch = h.lms.launch('https://au.example/index.html', { masteryScore: 0.8 });
    const win = {
      location: { search: new URL(launch.url).search },
      sessionStorage: undefined,
    } as unknown as Window;
    const adapter = createCmi5Adapter({ window: win });
    await adapter.open();
    const score = { raw: 0.79999, min: 0, max: 1, scaled: 0.79999 };
    expect(await adapter.write({ success: 'failed', score })).toBe(true);
    await adapter.close({ suspend: false, sessionMs: 0 });
    expect(h.verbs(launch.registration)).toEqual(['initialized', 'passed', 'terminated']);
  });

  it('posts answered and progressed once when only the state document fails, then saves it', async () => {
    const h = cmi5InProcess();
    const s = await h.session();
    const reg = s.launch.registration;
    h.intercept((url, init) =>
      url.includes('/activities/state') && init.method === 'POST'
        ? new Response('{}', { status: 503 })
        : undefined,
    );
    s.course.location = 'page-2';
    s.course.interaction({ id: 'q1', type: 'choice', response: 'a' });
    s.course.progress(0.5);
    await s.course.flush();
    s.course.complete();
    await s.course.flush();
    expect(s.errors.map((e) => e.code)).toContain('lms_commit_failed');
    h.intercept(undefined);
    await s.course.exit();
    expect(h.verbs(reg)).toEqual(['initialized', 'answered', 'progressed', 'completed', 'terminated']);
    // What the refused patches carried reaches the document once the LRS answers again.
    expect(h.lms.state(s.launch, 'coursegate')).toMatchObject({
      location: 'page-2',
      completion: 'completed',
    });
    expect(checkCmi5Rules(h.statements(reg), h.lms.launchesOf(reg))).toEqual([]);
  });

  it('sends matching responses in the cmi.interaction form, a[.]1[,]b[.]2', async () => {
    const h = cmi5InProcess();
    const s = await h.session();
    s.course.interaction({
      id: 'm1',
      type: 'matching',
      response: ['a.1', 'b.2'],
      correct: ['a.1', 'b.2'],
      result: 'correct',
    });
    await s.course.exit();
    expect(h.statements(s.launch.registration)[1]).toMatchObject({
      result: { response: 'a[.]1[,]b[.]2' },
      object: { definition: { correctResponsesPattern: ['a[.]1[,]b[.]2'] } },
    });
  });
});
