import type { Frame } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowser } from '../helpers/browser.js';
import { quizState } from '../helpers/quiz-state.js';
import { useScormLms } from '../helpers/scorm-lms.js';

/**
 * The runtime in a SCORM 1.2 LMS: scorm-again's Scorm12API in the top frame, a cross-origin frame in
 * between, the course two frames down. Every assertion reads what the LMS stored.
 */
const b = useBrowser();
const lms = useScormLms('12');

type Cmi = { core: Record<string, unknown>; suspend_data: string; student_data: Record<string, unknown> };

interface Step {
  location?: string;
  state?: unknown;
  score?: [number, { min?: number; max?: number }];
  complete?: boolean;
  pass?: boolean;
  progress?: number;
}

/** A scripted course: start, report what the LMS handed over, apply the steps, exit. */
function runCourse(frame: Frame, step: Step) {
  return frame.evaluate(async (s) => {
    const cg = (window as unknown as { Coursegate: typeof import('../../runtime/index.js') }).Coursegate;
    const course = await cg.start({ commitDelayMs: 0 });
    const errors: { code: string }[] = [];
    course.on('error', (e) => errors.push(e));
    const seen = {
      standard: course.standard,
      entry: course.entry,
      location: course.location,
      state: course.state,
      mode: course.mode,
      learner: course.learner,
    };
    if (s.progress !== undefined) course.progress(s.progress);
    if (s.location !== undefined) course.location = s.location;
    if (s.state !== undefined) course.state = s.state;
    if (s.score) course.score(...s.score);
    if (s.pass) course.pass();
    if (s.complete) course.complete();
    await course.exit();
    return { seen, errors };
  }, step);
}

/** What an LMS does between launches: keep the CMI, turn a suspended exit into entry=resume. */
function relaunchSeed(cmi: Cmi): Record<string, unknown> {
  const { core, suspend_data, student_data } = cmi;
  return {
    core: {
      student_id: core.student_id,
      student_name: core.student_name,
      lesson_location: core.lesson_location,
      lesson_status: core.lesson_status,
      lesson_mode: core.lesson_mode,
      entry: core.exit === 'suspend' ? 'resume' : '',
    },
    suspend_data,
    student_data,
  };
}

// A first launch as an LMS makes it: entry ab-initio.
const learner = { core: { student_id: 'learner-7', student_name: 'Doe, Jane', entry: 'ab-initio' } };

describe('runtime in a SCORM 1.2 LMS (scorm-again), two frames down across an origin', () => {
  it('resumes: a second launch reads the suspend data and location the first wrote', async () => {
    const page = await b.page();
    const first = await runCourse(await lms.launch(page, learner), {
      location: 'page-3',
      state: { answers: { q1: 'b' }, visited: [1, 2, 3] },
      progress: 0.5,
    });
    expect(first.seen).toMatchObject({
      standard: 'scorm12',
      entry: 'ab-initio',
      location: '',
      learner: { id: 'learner-7', name: 'Doe, Jane' },
    });
    const one = await lms.read(page);
    const cmi = one.cmi as unknown as Cmi;
    expect(cmi.core.lesson_location).toBe('page-3');
    expect(JSON.parse(cmi.suspend_data)).toEqual({ answers: { q1: 'b' }, visited: [1, 2, 3] });
    expect(cmi.core.exit).toBe('suspend');
    expect(cmi.core.lesson_status).toBe('incomplete');
    expect(cmi.core.session_time).toMatch(/^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$/);
    expect(one.errors).toEqual([]);
    expect(first.errors).toEqual([]);

    const second = await runCourse(await lms.launch(page, relaunchSeed(cmi)), {});
    expect(second.seen).toMatchObject({
      entry: 'resume',
      location: 'page-3',
      state: { answers: { q1: 'b' }, visited: [1, 2, 3] },
    });
    expect(second.errors).toEqual([]);
    expect((await lms.read(page)).errors).toEqual([]);
  });

  it('passes and fails against the LMS mastery score, whatever the course claims', async () => {
    const page = await b.page();
    const seed = { ...learner, student_data: { mastery_score: '80' } };
    const passed = await runCourse(await lms.launch(page, seed), {
      score: [17, { min: 0, max: 20 }],
      complete: true,
    });
    let r = await lms.read(page);
    expect((r.cmi as unknown as Cmi).core).toMatchObject({ lesson_status: 'passed', exit: '' });
    // Written as a percentage, which is what SCORM 1.2 compares with the mastery score.
    expect((r.cmi as unknown as Cmi).core.score).toMatchObject({ raw: '85', min: '0', max: '100' });
    expect([passed.errors, r.errors]).toEqual([[], []]);

    // 60 % against a mastery score of 80: failed, even though the course calls pass().
    const failed = await runCourse(await lms.launch(page, seed), {
      score: [60, { max: 100 }],
      pass: true,
      complete: true,
    });
    r = await lms.read(page);
    expect((r.cmi as unknown as Cmi).core.lesson_status).toBe('failed');
    expect([failed.errors, r.errors]).toEqual([[], []]);
  });

  it('writes no status or score in browse mode, but keeps the bookmark', async () => {
    const page = await b.page();
    const run = await runCourse(
      await lms.launch(page, { core: { ...learner.core, lesson_mode: 'browse' } }),
      { score: [90, {}], pass: true, complete: true, location: 'page-9' },
    );
    expect(run.seen.mode).toBe('browse');
    const r = await lms.read(page);
    const written = r.sets.map(([el]) => el);
    expect(written).not.toContain('cmi.core.lesson_status');
    expect(written.filter((el) => el.startsWith('cmi.core.score'))).toEqual([]);
    expect((r.cmi as unknown as Cmi).core.lesson_location).toBe('page-9');
    expect([run.errors, r.errors]).toEqual([[], []]);
  });

  it('fits a realistic 300-question state (JSON about 20 KB) into 4096 characters and reads it back', async () => {
    const page = await b.page();
    const state = quizState(300);
    const json = JSON.stringify(state);
    expect(json.length).toBeGreaterThan(18_000);
    expect(json.length).toBeLessThan(24_000);
    const first = await runCourse(await lms.launch(page, learner), { state, location: 'quiz' });
    const stored = (await lms.read(page)).cmi as unknown as Cmi;
    expect(stored.suspend_data.length).toBeGreaterThan(0);
    expect(stored.suspend_data.length).toBeLessThanOrEqual(4096);
    expect(first.errors).toEqual([]);
    const second = await runCourse(await lms.launch(page, relaunchSeed(stored)), {});
    expect(second.seen.state).toEqual(state);
    expect((await lms.read(page)).errors).toEqual([]);
  });

  it('refuses an incompressible state with state_too_large and the LMS keeps the previous state', async () => {
    const page = await b.page();
    const frame = await lms.launch(page, learner);
    const errors = await frame.evaluate(async () => {
      const cg = (window as unknown as { Coursegate: typeof import('../../runtime/index.js') }).Coursegate;
      const course = await cg.start({ commitDelayMs: 0 });
      const seen: string[] = [];
      course.on('error', (e) => seen.push(e.code));
      course.state = { page: 4 };
      await course.flush();
      const noise = crypto.getRandomValues(new Uint8Array(6000));
      course.state = { page: 5, noise: btoa(String.fromCharCode(...noise)) };
      await course.exit();
      return seen;
    });
    expect(errors).toEqual(['state_too_large']);
    const r = await lms.read(page);
    expect(JSON.parse((r.cmi as unknown as Cmi).suspend_data)).toEqual({ page: 4 });
    expect(r.errors).toEqual([]);
  });

  it('records quiz interactions in SCORM 1.2 formats', async () => {
    const page = await b.page();
    const frame = await lms.launch(page, learner);
    const errors = await frame.evaluate(async () => {
      const cg = (window as unknown as { Coursegate: typeof import('../../runtime/index.js') }).Coursegate;
      const course = await cg.start({ commitDelayMs: 0 });
      const seen: string[] = [];
      course.on('error', (e) => seen.push(e.code));
      course.interaction({
        id: 'q1',
        type: 'choice',
        response: ['b', 'c'],
        correct: ['b', 'c'],
        result: 'correct',
        latencyMs: 4200,
      });
      course.interaction({
        id: 'q2',
        type: 'true-false',
        response: 'false',
        correct: 'true',
        result: 'incorrect',
      });
      await course.exit();
      return seen;
    });
    const r = await lms.read(page);
    const sets = Object.fromEntries(r.sets);
    expect(sets).toMatchObject({
      'cmi.interactions.0.id': 'q1',
      'cmi.interactions.0.type': 'choice',
      'cmi.interactions.0.student_response': 'b,c',
      'cmi.interactions.0.result': 'correct',
      'cmi.interactions.0.latency': '00:00:04.20',
      'cmi.interactions.1.student_response': 'f',
      'cmi.interactions.1.correct_responses.0.pattern': 't',
      'cmi.interactions.1.result': 'wrong',
    });
    expect(sets['cmi.interactions.0.time']).toMatch(/^\d{2}:\d{2}:\d{2}$/);
    expect([errors, r.errors]).toEqual([[], []]);
  });

  it('saves and finishes on pagehide when the course is left without exit()', async () => {
    const page = await b.page();
    const frame = await lms.launch(page, learner);
    await frame.evaluate(async () => {
      const cg = (window as unknown as { Coursegate: typeof import('../../runtime/index.js') }).Coursegate;
      const course = await cg.start();
      course.location = 'page-4';
      course.state = { page: 4 };
      await new Promise((r) => setTimeout(r, 0));
    });
    await frame.evaluate(() => {
      location.href = 'about:blank';
    });
    await page.waitForFunction(() =>
      (window as unknown as { API: { isTerminated(): boolean } }).API.isTerminated(),
    );
    const r = await lms.read(page);
    const cmi = r.cmi as unknown as Cmi;
    expect(cmi.core).toMatchObject({ lesson_location: 'page-4', exit: 'suspend' });
    expect(JSON.parse(cmi.suspend_data)).toEqual({ page: 4 });
    expect(r.errors).toEqual([]);
  });
});
