import type { RuntimeErrorCode } from '../protocol/errors.js';

export interface RuntimeError {
  code: RuntimeErrorCode;
  message: string;
}

/** Events a course can subscribe to with `course.on(name, fn)`. */
export interface CourseEvents {
  /** Something failed; the runtime never throws into course code. */
  error: RuntimeError;
  /** The LMS accepted a batch of changes. */
  commit: undefined;
  /** The session ended (after the final commit). */
  exit: { suspend: boolean };
}

export type Listener<K extends keyof CourseEvents> = (payload: CourseEvents[K]) => void;

export interface Events {
  on<K extends keyof CourseEvents>(name: K, fn: Listener<K>): () => void;
  emit<K extends keyof CourseEvents>(name: K, payload: CourseEvents[K]): void;
  /** Shorthand handed to adapters as their `onError` hook. */
  error(code: RuntimeErrorCode, message: string): void;
  /** Sees every event without being a listener: the early-error replay still goes to course code. */
  tap(fn: (name: keyof CourseEvents, payload: unknown) => void): void;
}

/**
 * A tiny typed emitter. Errors raised before anyone listens (e.g. while the adapter opens, before
 * `start()` resolves) are kept and replayed to the first `error` listener so none is lost.
 */
export function createEvents(): Events {
  const listeners: Record<string, ((payload: never) => void)[]> = {};
  let early: RuntimeError[] | undefined = [];
  let tapped: ((name: keyof CourseEvents, payload: unknown) => void) | undefined;
  const emit = <K extends keyof CourseEvents>(name: K, payload: CourseEvents[K]) => {
    const list = listeners[name] as Listener<K>[] | undefined;
    try {
      tapped?.(name, payload);
    } catch {}
    if (name === 'error' && early && !list?.length) early.push(payload as RuntimeError);
    for (const fn of list ?? []) {
      try {
        fn(payload);
      } catch {
        // A throwing listener must not break the runtime or other listeners.
      }
    }
  };
  return {
    emit,
    error: (code, message) => emit('error', { code, message }),
    tap: (fn) => {
      tapped = fn;
    },
    on(name, fn) {
      const list = listeners[name] ?? [];
      listeners[name] = list;
      list.push(fn as (payload: never) => void);
      if (name === 'error' && early) {
        const replay = early;
        early = undefined;
        for (const e of replay) (fn as Listener<'error'>)(e);
      }
      return () => {
        const i = list.indexOf(fn as (payload: never) => void);
        if (i >= 0) list.splice(i, 1);
      };
    },
  };
}
