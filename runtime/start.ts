import { type Course, type CourseOptions, createCourse } from './course.js';
import { createEvents } from './events.js';
import type { AdapterOptions, LmsAdapter } from './lms/adapter.js';

export interface StartOptions extends CourseOptions {
  /** Force a standard instead of detecting it (auto-detect entry only). */
  standard?: LmsAdapter['standard'];
  /** Standalone only: localStorage key separating courses on one origin; default: the page path. */
  key?: string;
}

/** Wires an adapter factory to the course core so adapter errors surface as the course's `error` events. */
export function startWith(
  make: (o: AdapterOptions & { key?: string | undefined }) => LmsAdapter,
  options: StartOptions,
): Promise<Course> {
  const events = createEvents();
  const adapter = make({ window: options.window, now: options.now, key: options.key, onError: events.error });
  return createCourse(adapter, { ...options, events });
}
