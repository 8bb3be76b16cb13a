/**
 * Drives Rustici's "Golf Explained" SCOs (shared/launchpage.html with Previous / Next / Exit and a quiz on
 * the last page) the way a learner does, wherever the LMS put them in the frame tree.
 */
import type { Frame, Page } from 'playwright-core';
import type { BridgeStandard } from '../../protocol/bridge.js';

type CourseWindow = Window & {
  currentPage: number;
  pageArray: string[];
  test: { Questions: Array<{ Id: string; Type: string; Answers: string[] | null; CorrectAnswer: unknown }> };
};

/** The SCO frame, once the course has initialized and shown its first page. */
export async function courseFrame(page: Page, timeout = 30_000): Promise<Frame> {
  const deadline = Date.now() + timeout;
  for (;;) {
    // A gated package's stub page sits at the same path as the course page: skip it (it holds the config).
    let frame: Frame | undefined;
    for (const f of page.frames().filter((f) => f.url().includes('/shared/launchpage.html')))
      if (!(await f.evaluate(() => !!document.getElementById('coursegate-config')).catch(() => true)))
        frame = f;
    if (frame) {
      await frame.waitForFunction(
        () => typeof (window as unknown as CourseWindow).currentPage === 'number',
        null,
        {
          timeout,
        },
      );
      return frame;
    }
    if (Date.now() > deadline) throw new Error('the course frame never appeared');
    await page.waitForTimeout(100);
  }
}

/**
 * Clicks Next until page `index` is shown, each page loaded before the next click. The loop runs inside the
 * course frame (which stays while its content frame navigates): driven from here, a pointer click and a
 * polled wait per page cost two protocol round trips and Playwright's actionability checks, about a fifth of
 * a second a page; the golf pages have no overlay a real pointer could miss, so the button's own click does.
 */
export async function goTo(course: Frame, index: number): Promise<void> {
  await course.evaluate(async (target) => {
    const w = window as unknown as CourseWindow;
    const shown = (n: number) => {
      const f = document.getElementById('contentFrame') as HTMLIFrameElement;
      const want = w.pageArray[n]!.split('?')[0]!;
      return (
        w.currentPage === n &&
        f.contentDocument?.readyState === 'complete' &&
        f.contentWindow!.location.href.includes(want)
      );
    };
    const until = (n: number) =>
      new Promise<void>((done) => {
        const poll = () => (shown(n) ? done() : setTimeout(poll, 10));
        poll();
      });
    await until(w.currentPage);
    while (w.currentPage < target) {
      const next = w.currentPage + 1;
      (document.getElementById('butNext') as HTMLInputElement).click();
      await until(next);
    }
  }, index);
}

/** On the quiz page: answers every question right except the first, then submits. */
export async function takeQuiz(course: Frame): Promise<void> {
  const last = await course.evaluate(() => (window as unknown as CourseWindow).pageArray.length - 1);
  await goTo(course, last);
  const quiz = course.childFrames()[0]!;
  await quiz.waitForSelector('#frmTest');
  await quiz.evaluate(() => {
    const qs = (window as unknown as CourseWindow).test.Questions;
    qs.forEach((q, i) => {
      const wrong = i === 0;
      if (q.Type === 'choice') {
        const right = q.Answers!.indexOf(String(q.CorrectAnswer));
        const pick = wrong ? (right + 1) % q.Answers!.length : right;
        (document.getElementById(`question_${q.Id}_${pick}`) as HTMLInputElement).click();
      } else if (q.Type === 'true-false') {
        const value = wrong ? !q.CorrectAnswer : q.CorrectAnswer;
        (document.getElementById(`question_${q.Id}_${value ? 'True' : 'False'}`) as HTMLInputElement).click();
      } else {
        (document.getElementById(`question_${q.Id}_Text`) as HTMLInputElement).value = wrong
          ? '0'
          : String(q.CorrectAnswer);
      }
    });
  });
  await quiz.click('input[value="Submit Answers"]');
  await quiz.waitForSelector('text=Score:');
}

/** Presses the course's Exit button (confirm dialogs are answered by the page's dialog handler). */
export async function exitCourse(course: Frame): Promise<void> {
  await course.click('#butExit');
}

/** Waits until the LMS saw the session end (LMSFinish / Terminate). */
export async function lmsTerminated(page: Page): Promise<void> {
  await page.waitForFunction(() =>
    (window as unknown as { lmsLog: string[][] }).lmsLog.some(
      (e) => e[0] === 'LMSFinish' || e[0] === 'Terminate',
    ),
  );
}

/** The LMS's CMI as scorm-again renders it, without the clock-dependent times. */
export async function lmsRecord(page: Page): Promise<Record<string, unknown>> {
  const cmi = await page.evaluate(() =>
    (window as unknown as { lmsCmi(): Record<string, unknown> }).lmsCmi(),
  );
  const strip = (v: unknown): unknown => {
    if (typeof v !== 'object' || v === null) return v;
    return Object.fromEntries(
      Object.entries(v)
        .filter(([k]) => k !== 'session_time' && k !== 'total_time')
        .map(([k, x]) => [k, strip(x)]),
    );
  };
  return strip(cmi) as Record<string, unknown>;
}

/** Works through the whole golf course, takes the quiz and exits; returns what the LMS recorded. */
export async function completeCourse(page: Page): Promise<Record<string, unknown>> {
  const course = await courseFrame(page);
  await goTo(course, 3);
  await takeQuiz(course);
  await exitCourse(course);
  await lmsTerminated(page);
  return lmsRecord(page);
}

/** The LMS API calls the page logged, as `[method, ...args]`. */
export async function lmsLog(page: Page): Promise<string[][]> {
  return page.evaluate(() => (window as unknown as { lmsLog: string[][] }).lmsLog);
}

/** The three golf fixtures the gated tests compare with their ungated runs, and what an LMS seeds for each. */
export const GOLF_FIXTURES: Array<{ name: string; standard: BridgeStandard; seed: Record<string, string> }> =
  [
    {
      name: 'golf-scorm12-basic-runtime',
      standard: 'scorm12',
      seed: { 'cmi.core.student_id': 'learner-1', 'cmi.core.student_name': 'Learner, One' },
    },
    {
      name: 'golf-scorm2004v3-basic-runtime',
      standard: 'scorm2004',
      seed: { 'cmi.learner_id': 'learner-1', 'cmi.learner_name': 'Learner, One' },
    },
    {
      name: 'golf-scorm2004v3-advanced-runtime',
      standard: 'scorm2004',
      // What an LMS loads from this manifest: the primary objective's passing score and the four objectives.
      seed: {
        'cmi.learner_id': 'learner-1',
        'cmi.learner_name': 'Learner, One',
        'cmi.scaled_passing_score': '0.8',
        'cmi.objectives.0.id': 'PRIMARYOBJ',
        'cmi.objectives.1.id': 'obj_etiquette',
        'cmi.objectives.2.id': 'obj_handicapping',
        'cmi.objectives.3.id': 'obj_havingfun',
        'cmi.objectives.4.id': 'obj_playing',
      },
    },
  ];
