import { describe, expect, it } from 'vitest';
import { createCourse } from '../../runtime/course.js';
import { createEvents } from '../../runtime/events.js';
import type { Changes, CloseOptions, LaunchInfo, LmsAdapter } from '../../runtime/lms/adapter.js';

/** An adapter that records what the core asks it to persist; `refuse` makes the next writes fail. */
function recordingAdapter(info: Partial<LaunchInfo> = {}, refuse = 0) {
  const writes: Changes[] = [];
  const closes: CloseOptions[] = [];
  const adapter: LmsAdapter = {
    standard: 'scorm2004',
    open: async () => ({
      learner: { id: 'l1', name: 'Lee' },
      mode: 'normal',
      credit: true,
      entry: 'ab-initio',
      maxSuspendDataLength: 64000,
      ...info,
    }),
    write: async (c) => {
      writes.push(c);
      return refuse-- <= 0;
    },
    close: async (o) => {
      closes.push(o);
    },
    closeOnUnload: () => {},
  };
  return { adapter, writes, closes };
}

const fast = { commitDelayMs: 1, retryMs: [1, 1] };

describe('course core', () => {
  it('batches many calls into one commit', async () => {
    const lms = recordingAdapter();
    const course = await createCourse(lms.adapter, { commitDelayMs: 5 });
    course.progress(0.25);
    course.location = 'p1';
    course.progress(0.5);
    course.location = 'p2';
    course.score(7, { min: 0, max: 10 });
    await course.flush();
    expect(lms.writes).toHaveLength(1);
    expect(lms.writes[0]).toMatchObject({
      completion: 'incomplete',
      progress: 0.5,
      location: 'p2',
      score: { raw: 7, min: 0, max: 10, scaled: 0.7 },
    });
  });

  it('retries a refused commit and reports a commit once the LMS accepts it', async () => {
    const lms = recordingAdapter({}, 2);
    const course = await createCourse(lms.adapter, fast);
    let commits = 0;
    course.on('commit', () => commits++);
    course.location = 'p3';
    await course.flush();
    expect(lms.writes.map((w) => w.location)).toEqual(['p3', 'p3', 'p3']);
    expect(commits).toBe(1);
  });

  it('reports lms_commit_failed after the retries and carries the batch into the next commit', async () => {
    const lms = recordingAdapter({}, 3);
    const course = await createCourse(lms.adapter, fast);
    const codes: string[] = [];
    course.on('error', (e) => codes.push(e.code));
    course.location = 'p4';
    await course.flush();
    expect(codes).toEqual(['lms_commit_failed']);
    course.progress(0.9);
    await course.flush();
    expect(lms.writes.at(-1)).toMatchObject({ location: 'p4', progress: 0.9 });
  });

  it('never throws into course code: bad arguments become invalid_argument events', async () => {
    const course = await createCourse(recordingAdapter().adapter, fast);
    const codes: string[] = [];
    course.on('error', (e) => codes.push(e.code));
    expect(() => {
      course.progress(2);
      course.score(Number.NaN);
      course.score(5, { min: 10, max: 0 });
      course.interaction({} as never);
      course.objective(undefined as never);
    }).not.toThrow();
    expect(codes).toEqual(Array(5).fill('invalid_argument'));
  });

  it('lets the LMS mastery score decide passed/failed over pass() and fail()', async () => {
    const lms = recordingAdapter({ masteryScore: 0.8 });
    const course = await createCourse(lms.adapter, { ...fast, masteryScore: 0.5 });
    expect(course.masteryScore).toBe(0.8);
    course.score(70);
    course.pass();
    expect(course.success).toBe('failed');
    course.score(85);
    course.fail();
    expect(course.success).toBe('passed');
    await course.flush();
    expect(lms.writes.at(-1)).toMatchObject({ success: 'passed' });
  });

  it('refuses a mastery score outside 0..1 (80 for 0.8) with invalid_argument rather than fail everyone', async () => {
    const events = createEvents();
    const lms = recordingAdapter();
    const course = await createCourse(lms.adapter, { ...fast, events, masteryScore: 80 });
    const codes: string[] = [];
    events.on('error', (e) => codes.push(e.code));
    expect(codes).toEqual(['invalid_argument']);
    expect(course.masteryScore).toBeUndefined();
    course.score(95);
    expect(course.success).toBeUndefined();
  });

  it('does not send a judgement carried over from the LMS again; one made in this session is sent', async () => {
    const lms = recordingAdapter({ completion: 'incomplete', success: 'failed' });
    const course = await createCourse(lms.adapter, fast);
    expect(course.success).toBe('failed');
    await course.flush();
    course.complete();
    await course.flush();
    expect(lms.writes).toEqual([{ completion: 'incomplete' }, { completion: 'completed' }]);
    course.fail();
    await course.flush();
    expect(lms.writes.at(-1)).toEqual({ completion: 'completed', success: 'failed' });
  });

  it('keeps the first judgement where the LMS records only one, and reports a different later one', async () => {
    const lms = recordingAdapter({ masteryScore: 0.8 });
    const course = await createCourse({ ...lms.adapter, finalJudgement: true }, fast);
    const errors: string[] = [];
    course.on('error', (e) => errors.push(e.code));
    course.score(50);
    course.score(90);
    course.pass();
    course.score(60);
    expect(course.success).toBe('failed');
    expect(errors).toEqual(['invalid_argument', 'invalid_argument']);
    await course.flush();
    expect(lms.writes.map((w) => w.success)).toEqual(['failed']);

    // A pass from an earlier session is final too.
    const passed = recordingAdapter({ success: 'passed', completion: 'completed' });
    const again = await createCourse({ ...passed.adapter, finalJudgement: true }, fast);
    again.on('error', (e) => errors.push(e.code));
    again.fail();
    again.pass();
    expect(again.success).toBe('passed');
    expect(errors).toHaveLength(3);
  });

  it('judges on the scaled score as stored, to four decimals', async () => {
    const lms = recordingAdapter({ masteryScore: 0.8 });
    const course = await createCourse(lms.adapter, fast);
    course.score(79.999);
    expect(course.success).toBe('passed');
    await course.flush();
    expect(lms.writes[0]?.score).toEqual({ raw: 79.999, min: 0, max: 100, scaled: 0.8 });
  });

  it('uses the course default mastery score only when the LMS has none', async () => {
    const course = await createCourse(recordingAdapter().adapter, { ...fast, masteryScore: 0.5 });
    course.score(60);
    expect(course.success).toBe('passed');
  });

  it('writes no status, score, progress or interactions in browse and review modes', async () => {
    for (const mode of ['browse', 'review'] as const) {
      const lms = recordingAdapter({ mode });
      const course = await createCourse(lms.adapter, fast);
      course.score(90);
      course.complete();
      course.pass();
      course.progress(1);
      course.interaction({ id: 'q1', type: 'choice', response: 'a' });
      course.location = 'p9';
      await course.exit();
      expect(lms.writes).toEqual([{ location: 'p9' }]);
      // What the getters say is what was reported: nothing changed in the LMS, nothing changes here.
      expect([course.completed, course.success]).toEqual([false, undefined]);
    }
  });

  it('after exit() records nothing and says so: the getters keep what was reported', async () => {
    const events = createEvents();
    const lms = recordingAdapter();
    const course = await createCourse(lms.adapter, { ...fast, events });
    const codes: string[] = [];
    events.on('error', (e) => codes.push(e.code));
    course.location = 'p1';
    await course.exit();
    course.location = 'after';
    course.complete();
    course.score(9, { max: 10 });
    expect([course.location, course.completed, course.success]).toEqual(['p1', false, undefined]);
    expect(codes).toEqual(['invalid_argument', 'invalid_argument', 'invalid_argument']);
  });

  it('exits once: flushes, closes with suspend while unfinished, then ignores further calls', async () => {
    const lms = recordingAdapter();
    const course = await createCourse(lms.adapter, fast);
    const exits: boolean[] = [];
    course.on('exit', (e) => exits.push(e.suspend));
    course.location = 'p7';
    await Promise.all([course.exit(), course.exit()]);
    course.location = 'after';
    await course.flush();
    expect(lms.writes).toHaveLength(1);
    expect(lms.closes).toHaveLength(1);
    expect(lms.closes[0]?.suspend).toBe(true);
    expect(exits).toEqual([true]);
  });

  it('measures session time with the injected clock', async () => {
    let t = 1_000;
    const lms = recordingAdapter();
    const course = await createCourse(lms.adapter, { ...fast, now: () => new Date(t) });
    t += 90_500;
    course.complete();
    await course.exit();
    expect(lms.closes[0]).toEqual({ suspend: false, sessionMs: 90_500 });
  });

  it('replays errors raised while opening to the first error listener', async () => {
    const events = createEvents();
    const adapter = recordingAdapter().adapter;
    const course = await createCourse(
      {
        ...adapter,
        open: () => {
          events.error('lms_not_found', 'no API');
          return adapter.open();
        },
      },
      { ...fast, events },
    );
    const codes: string[] = [];
    course.on('error', (e) => codes.push(e.code));
    expect(codes).toEqual(['lms_not_found']);
  });

  it('resumes the state the LMS holds', async () => {
    const lms = recordingAdapter({ entry: 'resume', suspendData: '{"page":3}', location: 'p3' });
    const course = await createCourse(lms.adapter, fast);
    expect([course.entry, course.location, course.state]).toEqual(['resume', 'p3', { page: 3 }]);
  });
});
