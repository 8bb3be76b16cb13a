import { type Course, type CourseOptions, createCourse } from './course.js';
import { createEvents } from './events.js';
import { type Cmi5LaunchInfo, createCmi5Adapter } from './lms/cmi5.js';
import { type StartOptions, withLaunchTelemetry } from './start.js';

export type { Cmi5Adapter, Cmi5AdapterOptions, Cmi5LaunchInfo } from './lms/cmi5.js';
export { CMI5_STATE_ID, createCmi5Adapter, hasCmi5LaunchParams } from './lms/cmi5.js';

export interface Cmi5StartOptions extends Omit<CourseOptions, 'telemetry'>, Pick<StartOptions, 'telemetry'> {
  /** Go to the LMS's `returnURL` after `exit()` has sent terminated (§10.2.6). Default true. */
  followReturnUrl?: boolean;
}

/** The course API plus the learner's cmi5 preferences (§11), for course code only. */
export type Cmi5Course<S = unknown> = Course<S> & { readonly preferences: Cmi5LaunchInfo['preferences'] };

/**
 * Starts a course launched by a cmi5 LMS. Never rejects: failures arrive as `error` events.
 *
 * @example
 * import { start } from '@coursegate/runtime/cmi5';
 * const course = await start();
 * course.score(9, { min: 0, max: 10 }); // passed or failed against the LMS's masteryScore
 * course.complete();
 * await course.exit(); // terminated, then the browser goes to returnURL
 */
export async function start<S = unknown>(options: Cmi5StartOptions = {}): Promise<Cmi5Course<S>> {
  const win = options.window ?? window;
  const events = options.events ?? createEvents();
  const courseOptions = await withLaunchTelemetry(options);
  const adapter = createCmi5Adapter({ window: win, now: options.now, onError: events.error });
  let info: Cmi5LaunchInfo | undefined;
  const course = await createCourse<S>(
    {
      ...adapter,
      open: async () => {
        const opened = await adapter.open();
        info = opened;
        return opened;
      },
    },
    { ...courseOptions, window: win, events },
  );
  course.on('exit', () => {
    if (info?.returnUrl && options.followReturnUrl !== false) win.location.assign(info.returnUrl);
  });
  return Object.assign(course, { preferences: info?.preferences ?? {} });
}
