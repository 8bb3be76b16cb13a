import { afterEach, describe, expect, it } from 'vitest';
import { createCourse } from '../../runtime/course.js';
import { createEvents, type RuntimeError } from '../../runtime/events.js';
import { createScorm12Adapter } from '../../runtime/lms/scorm12.js';
import { createScorm2004Adapter } from '../../runtime/lms/scorm2004.js';
import { Scorm12API, Scorm2004API } from '../helpers/scorm-again.js';

/** The course API over both SCORM adapters against scorm-again's LMS side (what an LMS stores). */

const QUIET = { autocommit: false, lmsCommitUrl: false, logLevel: 5 } as const;
const fast = { commitDelayMs: 1, retryMs: [1, 1] };
type Api = Record<string, (...a: string[]) => string> & {
  cmi: Record<string, unknown> & { interactions: { childArray: unknown[] } };
  loadFromJSON(json: object, prefix: string): void;
};
const g = window as unknown as Record<string, unknown>;

afterEach(() => {
  delete g.API;
  delete g.API_1484_11;
});

async function launch(edition: '12' | '2004', seed: object = {}) {
  const api = (edition === '12' ? new Scorm12API(QUIET) : new Scorm2004API(QUIET)) as unknown as Api;
  api.loadFromJSON(seed, '');
  g[edition === '12' ? 'API' : 'API_1484_11'] = api;
  const events = createEvents();
  const errors: RuntimeError[] = [];
  events.on('error', (e) => errors.push(e));
  const make = edition === '12' ? createScorm12Adapter : createScorm2004Adapter;
  const course = await createCourse(make({ window, onError: events.error }), { ...fast, events });
  // What the LMS would store: its CMI as JSON.
  const cmi = () => JSON.parse(JSON.stringify(api.cmi));
  return { api, course, errors, cmi };
}

const credit12 = (mastery: string) => ({
  core: { student_id: 'l1', credit: 'credit', lesson_mode: 'normal' },
  student_data: { mastery_score: mastery },
});

describe('SCORM 1.2 scores', () => {
  it('writes the score as a percentage so the LMS judges it as course.success does', async () => {
    for (const [raw, status] of [
      [8, 'passed'],
      [7.99, 'failed'],
    ] as const) {
      const { course, errors, cmi } = await launch('12', credit12('80'));
      course.score(raw, { min: 0, max: 10 });
      course.complete();
      await course.exit();
      expect(course.success).toBe(status);
      expect(cmi().core.lesson_status).toBe(status);
      expect(cmi().core.score).toMatchObject({ raw: String(raw * 10), min: '0', max: '100' });
      expect(errors).toEqual([]);
    }
  });

  it('clamps a raw score outside min..max instead of writing one the LMS refuses', async () => {
    const { course, errors, cmi } = await launch('12');
    course.score(-2, { max: 10 });
    await course.flush();
    expect(cmi().core.score).toMatchObject({ raw: '0', min: '0', max: '100' });
    course.score(12, { max: 10 });
    await course.exit();
    expect(cmi().core.score).toMatchObject({ raw: '100', min: '0', max: '100' });
    expect(errors).toEqual([]);
  });

  it('keeps the verdict of an earlier session in lesson_status when only completion is new', async () => {
    const { course, errors, cmi } = await launch('12', {
      core: { student_id: 'l1', lesson_status: 'failed' },
    });
    expect(course.success).toBe('failed');
    course.complete();
    await course.exit();
    expect(cmi().core.lesson_status).toBe('failed');
    expect(errors).toEqual([]);
  });
});

describe.each(['12', '2004'] as const)('SCORM %s refusals and retries', (edition) => {
  it('reports a refused element without retrying the batch or appending the interactions again', async () => {
    const { api, course, errors } = await launch(edition);
    // Refused on every try: 1.2 takes ASCII identifiers only, 2004 scaled scores in -1..1.
    course.objective(
      edition === '12'
        ? { id: 'objé', success: 'passed' }
        : { id: 'o1', score: { raw: 5, min: 0, max: 10, scaled: 2 } },
    );
    course.interaction({ id: 'q1', type: 'choice', response: 'a' });
    await course.flush();
    course.location = 'page-2';
    await course.exit();
    expect(api.cmi.interactions.childArray).toHaveLength(1);
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors)
      expect(e).toMatchObject({ code: 'lms_call_failed', message: expect.stringMatching(/objectives\.0/) });
  });

  it('retries a refused commit without appending the interactions again', async () => {
    const { api, course, errors } = await launch(edition);
    const name = edition === '12' ? 'LMSCommit' : 'Commit';
    const commit = api[name] as (...a: string[]) => string;
    let refuse = 1;
    api[name] = (...a: string[]) => (refuse-- > 0 ? 'false' : commit.apply(api, a));
    course.interaction({ id: 'q1', type: 'choice', response: 'a' });
    await course.exit();
    expect(api.cmi.interactions.childArray).toHaveLength(1);
    expect(errors).toEqual([]);
  });

  it('refuses a bookmark longer than the standard allows, with an error, and keeps the last one', async () => {
    const { course, errors, cmi } = await launch(edition);
    const limit = edition === '12' ? 255 : 1000;
    course.location = 'page-1';
    course.location = 'x'.repeat(limit + 1);
    await course.flush();
    expect(course.location).toBe('page-1');
    expect(edition === '12' ? cmi().core.lesson_location : cmi().location).toBe('page-1');
    expect(errors).toEqual([
      expect.objectContaining({ code: 'invalid_argument', message: expect.stringContaining(String(limit)) }),
    ]);
    course.location = 'y'.repeat(limit);
    await course.exit();
    expect(course.location).toHaveLength(limit);
    expect(errors).toHaveLength(1);
  });
});

describe('SCORM 2004 formats', () => {
  it('writes real numbers without an exponent', async () => {
    const { course, errors, cmi } = await launch('2004');
    course.progress(1e-7);
    course.interaction({ id: 'q1', type: 'numeric', response: '1', weighting: 1e-8, result: 2.5e-7 });
    course.objective({ id: 'o1', score: { raw: 1e-7, min: 0, max: 1, scaled: 1e-7 } });
    await course.exit();
    expect(errors).toEqual([]);
    expect(cmi().progress_measure).toBe('0.0000001');
    const interaction = cmi().interactions['0'];
    expect([interaction.weighting, interaction.result]).toEqual(['0', '0.0000003']);
    expect(cmi().objectives['0'].score).toMatchObject({ scaled: '0.0000001', raw: '0.0000001' });
  });

  it('keeps an objective’s scaled score within -1..1, as the LMS demands, when raw passes max', async () => {
    const { course, errors, cmi } = await launch('2004');
    course.objective({ id: 'o1', score: { raw: 12, min: 0, max: 10 } });
    await course.exit();
    expect(errors).toEqual([]);
    expect(cmi().objectives['0'].score).toMatchObject({ scaled: '1', raw: '12' });
  });

  it('writes interaction timestamps in whole seconds with a fraction digit before the zone (RTE-A-16)', async () => {
    const { api, course, errors } = await launch('2004');
    const sets: string[] = [];
    const setValue = api.SetValue as (...a: string[]) => string;
    api.SetValue = (el: string, v: string) => {
      if (el.endsWith('.timestamp')) sets.push(v);
      return setValue.call(api, el, v);
    };
    course.interaction({
      id: 'q1',
      type: 'choice',
      response: 'a',
      timestamp: new Date('2026-01-01T10:00:05.678Z'),
    });
    await course.exit();
    expect(sets).toEqual(['2026-01-01T10:00:05.0Z']);
    expect(errors).toEqual([]);
  });
});
