/**
 * A learner's sessions in Rustici's golf SCOs, wherever the LMS's frame tree put the course (a gated package
 * has a stub page at the same `shared/launchpage.html` path, so the course is told apart by its script
 * state, not by its URL).
 */
import type { Frame, Page } from 'playwright-core';
import { exitCourse, goTo, takeQuiz } from './golf-course.js';

type CourseWindow = Window & { currentPage: unknown; pageArray: unknown };

/** The golf SCO's frame once it has initialized and chosen its first page. */
export async function golfFrame(page: Page, timeout = 30_000): Promise<Frame> {
  const deadline = Date.now() + timeout;
  for (;;) {
    for (const f of page.frames()) {
      if (!f.url().includes('/shared/launchpage.html')) continue;
      const ready = await f
        .evaluate(() => {
          const w = window as unknown as CourseWindow;
          return typeof w.currentPage === 'number' && Array.isArray(w.pageArray);
        })
        .catch(() => false);
      if (ready) return f;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `the golf SCO never started; frames: ${page.frames().map((f) => f.url())}; page errors: ${(page as { errors?: string[] }).errors}`,
      );
    }
    await page.waitForTimeout(100);
  }
}

export const currentPage = (course: Frame) =>
  course.evaluate(() => (window as unknown as { currentPage: number }).currentPage);

/** Leaves half-way: pages 0–2, then Exit and "save your progress" (the page's dialog handler accepts). */
export async function suspendHalfWay(course: Frame): Promise<void> {
  await goTo(course, 2);
  await exitCourse(course);
}

/** Takes the quiz (one answer wrong) from wherever the course is, then exits. */
export async function finishWithQuiz(course: Frame): Promise<void> {
  await takeQuiz(course);
  await exitCourse(course);
}

/** 4th edition: writes a note into the shared data bucket through the course's Notes dialog. */
export async function saveNote(course: Frame, note: string): Promise<void> {
  await course.click('#butNotes');
  await course.fill('#txtNotes', note);
  await course.click('#butSaveNotes');
}

/** 4th edition: what the Notes dialog shows (read back from the shared data bucket). */
export async function readNote(course: Frame): Promise<string> {
  await course.click('#butNotes');
  const note = await course.inputValue('#txtNotes');
  // Closed without saving, so reading writes nothing.
  await course.press('#txtNotes', 'Escape');
  return note;
}

/** 4th edition: "Skip to the Test" (a jump navigation request; the SCO suspends and terminates). */
export async function skipToTest(course: Frame): Promise<void> {
  await course.click('#butJump');
}
