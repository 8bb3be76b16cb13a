import type { Frame } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowser } from '../helpers/browser.js';
import { useScormLms } from '../helpers/scorm-lms.js';

/**
 * The runtime in a SCORM 2004 LMS: scorm-again's Scorm2004API in the top frame, a cross-origin frame
 * in between, the course two frames down. Every assertion reads what the LMS stored.
 */
const b = useBrowser();
const lms = useScormLms('2004');

type Cmi = Record<string, unknown> & {
  score: Record<string, string>;
  interactions: Record<string, Record<string, unknown>>;
  objectives: Record<string, Record<string, unknown>>;
};

interface Step {
  location?: string;
  state?: unknown;
  score?: [number, { min?: number; max?: number }];
  complete?: boolean;
  pass?: boolean;
  progress?: number;
  quiz?: boolean;
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
      masteryScore: course.masteryScore,
      learner: course.learner,
    };
    if (s.progress !== undefined) course.progress(s.progress);
    if (s.location !== undefined) course.location = s.location;
    if (s.state !== undefined) course.state = s.state;
    if (s.quiz) {
      course.interaction({
        id: 'q1',
        type: 'choice',
        response: ['b', 'c'],
        correct: ['b', 'c'],
        result: 'correct',
        latencyMs: 4200,
        objectives: ['quiz'],
      });
      course.interaction({
        id: 'q2',
        type: 'true-false',
        response: 'false',
        correct: 'true',
        result: 'incorrect',
      });
      course.objective({
        id: 'quiz',
        score: { raw: 1, min: 0, max: 2 },
        success: 'passed',
        completion: 'completed',
      });
    }
    if (s.score) course.score(...s.score);
    if (s.pass) course.pass();
    if (s.complete) course.complete();
    await course.exit();
    return { seen, errors };
  }, step);
}

/** What an LMS does between launches: keep the CMI, turn a suspended exit into entry=resume. */
function relaunchSeed(cmi: Cmi): Record<string, unknown> {
  return {
    learner_id: cmi.learner_id,
    learner_name: cmi.learner_name,
    location: cmi.location,
    suspend_data: cmi.suspend_data,
    completion_status: cmi.completion_status,
    entry: cmi.exit === 'suspend' ? 'resume' : '',
  };
}

const learner = { learner_id: 'learner-7', learner_name: 'Doe, Jane', entry: 'ab-initio' };

describe('runtime in a SCORM 2004 LMS (scorm-again), two frames down across an origin', () => {
  it('resumes: a second launch reads the suspend data and location the first wrote', async () => {
    const page = await b.page();
    const state = { answers: { q1: 'b' }, visited: [1, 2, 3] };
    const first = await runCourse(await lms.launch(page, learner), {
      location: 'page-3',
      state,
      progress: 0.5,
    });
    expect(first.seen).toMatchObject({
      standard: 'scorm2004',
      entry: 'ab-initio',
      location: '',
      learner: { id: 'learner-7', name: 'Doe, Jane' },
    });
    const one = await lms.read(page);
    const cmi = one.cmi as Cmi;
    expect(cmi).toMatchObject({
      location: 'page-3',
      exit: 'suspend',
      completion_status: 'incomplete',
      progress_measure: '0.5',
    });
    expect(JSON.parse(String(cmi.suspend_data))).toEqual(state);
    expect(String(cmi.session_time)).toMatch(/^PT/);
    expect([first.errors, one.errors]).toEqual([[], []]);

    const second = await runCourse(await lms.launch(page, relaunchSeed(cmi)), {});
    expect(second.seen).toMatchObject({ entry: 'resume', location: 'page-3', state });
    expect([second.errors, (await lms.read(page)).errors]).toEqual([[], []]);
  });

  it('passes and fails against scaled_passing_score, with interactions and objectives recorded', async () => {
    const page = await b.page();
    const seed = { ...learner, scaled_passing_score: '0.8' };
    const passed = await runCourse(await lms.launch(page, seed), {
      score: [17, { min: 0, max: 20 }],
      complete: true,
      quiz: true,
    });
    expect(passed.seen.masteryScore).toBe(0.8);
    let r = await lms.read(page);
    let cmi = r.cmi as Cmi;
    expect(cmi).toMatchObject({ success_status: 'passed', completion_status: 'completed', exit: 'normal' });
    expect(cmi.score).toMatchObject({ scaled: '0.85', raw: '17', min: '0', max: '20' });
    expect(cmi.interactions).toMatchObject({
      0: { id: 'q1', type: 'choice', learner_response: 'b[,]c', result: 'correct', latency: 'PT4.2S' },
      1: { id: 'q2', type: 'true-false', learner_response: 'false', result: 'incorrect' },
    });
    expect(cmi.objectives).toMatchObject({
      0: { id: 'quiz', success_status: 'passed', completion_status: 'completed', score: { scaled: '0.5' } },
    });
    expect([passed.errors, r.errors]).toEqual([[], []]);

    // 60 % against 0.8: failed, even though the course calls pass().
    const failed = await runCourse(await lms.launch(page, seed), {
      score: [60, { max: 100 }],
      pass: true,
      complete: true,
    });
    r = await lms.read(page);
    cmi = r.cmi as Cmi;
    expect(cmi).toMatchObject({ success_status: 'failed', completion_status: 'completed' });
    expect([failed.errors, r.errors]).toEqual([[], []]);
  });

  it('writes no status or score in browse mode, but keeps the bookmark', async () => {
    const page = await b.page();
    const run = await runCourse(await lms.launch(page, { ...learner, mode: 'browse' }), {
      score: [90, {}],
      pass: true,
      complete: true,
      location: 'page-9',
      progress: 1,
    });
    expect(run.seen.mode).toBe('browse');
    const r = await lms.read(page);
    const written = r.sets.map(([el]) => el);
    expect(written.filter((el) => /status|score|progress_measure/.test(el))).toEqual([]);
    expect((r.cmi as Cmi).location).toBe('page-9');
    expect([run.errors, r.errors]).toEqual([[], []]);
  });

  it('stores a large state (up to 64000 characters) without compressing it', async () => {
    const page = await b.page();
    const frame = await lms.launch(page, learner);
    const errors = await frame.evaluate(async () => {
      const cg = (window as unknown as { Coursegate: typeof import('../../runtime/index.js') }).Coursegate;
      const course = await cg.start({ commitDelayMs: 0 });
      const seen: string[] = [];
      course.on('error', (e) => seen.push(e.code));
      const noise = crypto.getRandomValues(new Uint8Array(30000));
      course.state = { noise: btoa(String.fromCharCode(...noise)) };
      await course.exit();
      return seen;
    });
    const r = await lms.read(page);
    const data = String((r.cmi as Cmi).suspend_data);
    expect(data.length).toBeGreaterThan(40000);
    expect(JSON.parse(data).noise).toHaveLength(40000);
    expect([errors, r.errors]).toEqual([[], []]);
  });

  it('saves and terminates on pagehide when the course is left without exit()', async () => {
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
      (window as unknown as { API_1484_11: { isTerminated(): boolean } }).API_1484_11.isTerminated(),
    );
    const r = await lms.read(page);
    expect(r.cmi).toMatchObject({ location: 'page-4', exit: 'suspend', suspend_data: '{"page":4}' });
    expect(r.errors).toEqual([]);
  });
});
