import type { Frame, Page } from 'playwright-core';
import { golfFrame } from '../golf-learner.js';
import {
  type LaunchInfo,
  type LmsSession,
  lmsClose,
  lmsFinished,
  lmsLaunch,
  type StoredRecord,
} from './lms-driver.js';

/**
 * Clock readings, not learner data: `session_time` is what the content measured with Date between its
 * start and its exit, `total_time` the LMS's sum of those. Nothing else is left out of a comparison.
 */
const CLOCK = /(^|\.)(session_time|total_time)$/;

/** The record as compared: every element but the clock ones. */
export function comparable(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).filter(([k]) => !CLOCK.test(k)));
}

/** SetValue calls as compared: every call in order, the clock elements' values replaced by a marker. */
export function comparableSets(sets: string[][]): string[][] {
  return sets.map(([k, v]) => [k!, CLOCK.test(k!) ? '<clock>' : v!]);
}

/** One session of a golf SCO plus what the learner saw at its start (the page it opened on). */
export interface GolfSession extends LmsSession {
  /** What the LMS launched: the standard and item its manifest reader found, and the URL. */
  launch: LaunchInfo;
  startPage: number;
  seen: unknown;
}

/**
 * Launches item `itemIndex` of the package at `packageRoot` with `stored` (the previous session's record),
 * lets `learner` work in the course and exit, waits for the session's end and takes the SCO away.
 * `learner` may return what it observed (compared between runs like the record).
 */
export async function golfSession(
  page: Page,
  lmsUrl: string,
  o: {
    packageRoot: string;
    stored?: StoredRecord;
    itemIndex?: number;
    learner: (course: Frame) => Promise<unknown>;
  },
): Promise<GolfSession> {
  const launch = await lmsLaunch(page, lmsUrl, o);
  const course = await golfFrame(page);
  const startPage = await course.evaluate(() => (window as unknown as { currentPage: number }).currentPage);
  const seen = await o.learner(course);
  await lmsFinished(page);
  return { ...(await lmsClose(page)), launch, startPage, seen };
}

/** The sessions of one learner, each relaunch seeded with what the one before stored. */
export async function golfSessions(
  page: Page,
  lmsUrl: string,
  packageRoot: string,
  learners: Array<(course: Frame) => Promise<unknown>>,
): Promise<GolfSession[]> {
  const sessions: GolfSession[] = [];
  for (const learner of learners) {
    const stored = sessions.at(-1)?.stored;
    sessions.push(await golfSession(page, lmsUrl, { packageRoot, learner, ...(stored ? { stored } : {}) }));
  }
  return sessions;
}

/** A line for the test's output: the error count of each launch, direct against gated. */
export function errorCounts(name: string, direct: LmsSession[], gated: LmsSession[]): string {
  const counts = direct.map(
    (d, i) => `launch ${i + 1}: direct ${d.errors.length}, gated ${gated[i]?.errors.length}`,
  );
  return `${name} LMS errors: ${counts.join('; ')}`;
}

/**
 * A session in which the learner only opens the SCO and leaves: `shown` resolves once the SCO is on screen,
 * then the LMS takes it away.
 */
export async function openAndLeave(
  page: Page,
  lmsUrl: string,
  o: { packageRoot: string; frameUrl?: string },
  shown: (page: Page) => Promise<void>,
): Promise<LmsSession> {
  await lmsLaunch(page, lmsUrl, o);
  await shown(page);
  return lmsClose(page);
}

/** Resolves once some frame, in whatever origin, shows a heading with `text`. */
export async function headingShown(page: Page, text: string, timeout = 30_000): Promise<void> {
  const deadline = Date.now() + timeout;
  for (;;) {
    for (const f of page.frames()) {
      const h1 = await f.evaluate(() => document.querySelector('h1')?.textContent ?? '').catch(() => '');
      if (h1 === text) return;
    }
    if (Date.now() > deadline) throw new Error(`no frame shows "${text}"`);
    await page.waitForTimeout(100);
  }
}

/** The records side by side, one element a line; `*` marks the elements on which they differ. */
export function sideBySide(records: Record<string, Record<string, string>>): string {
  const names = Object.keys(records);
  const keys = [...new Set(names.flatMap((n) => Object.keys(records[n]!)))].sort();
  const value = (n: string, k: string) => JSON.stringify(records[n]![k] ?? null);
  const rows = keys.map((k) => {
    const differs = new Set(names.map((n) => value(n, k))).size > 1;
    return `${differs ? '*' : ' '} ${k}: ${names.map((n) => `${n}=${value(n, k)}`).join(' | ')}`;
  });
  return rows.join('\n');
}
