import { type Course, type CourseOptions, createCourse } from './course.js';
import { createEvents } from './events.js';
import type { AdapterOptions, LmsAdapter } from './lms/adapter.js';
import type { Telemetry } from './telemetry/create-telemetry.js';
import { launchHasSession } from './telemetry/probe.js';

export interface StartOptions extends Omit<CourseOptions, 'telemetry'> {
  /** Force a standard instead of detecting it (auto-detect entry only). */
  standard?: LmsAdapter['standard'];
  /** Standalone only: localStorage key separating courses on one origin; default: the page path. */
  key?: string;
  /**
   * Anonymous-session telemetry (docs/telemetry.md). Default: whatever the launch provides (a gated
   * launch's session, a portable package's ingest key), else nothing is sent. `false` sends nothing.
   */
  telemetry?: Telemetry | false;
}

/**
 * `options` for the course core, with the telemetry `start()` runs with. Its code is loaded only when the
 * launch carries a session, so a course launched without one neither downloads nor runs it, and the
 * entries stay within their budgets.
 */
export async function withLaunchTelemetry<O extends Pick<StartOptions, 'telemetry' | 'window'>>(
  options: O,
): Promise<Omit<O, 'telemetry'> & { telemetry?: Telemetry }> {
  const { telemetry: given, ...rest } = options;
  const telemetry = given === undefined ? await fromLaunch(options.window ?? window) : given || undefined;
  return telemetry ? { ...rest, telemetry } : rest;
}

async function fromLaunch(win: Window): Promise<Telemetry | undefined> {
  if (!launchHasSession(win)) return undefined;
  try {
    return (await import('./telemetry/from-launch.js')).telemetryFromLaunch(win);
  } catch {
    // The chunk failed to load (offline, moved files): the course runs, without telemetry.
    return undefined;
  }
}

/** Wires an adapter factory to the course core so adapter errors surface as the course's `error` events. */
export async function startWith(
  make: (o: AdapterOptions & { key?: string | undefined }) => LmsAdapter,
  options: StartOptions,
): Promise<Course> {
  const events = createEvents();
  const course = await withLaunchTelemetry(options);
  const adapter = make({ window: options.window, now: options.now, key: options.key, onError: events.error });
  return createCourse(adapter, { ...course, events });
}
