import { createCommitQueue } from './commit-queue.js';
import { type CourseEvents, createEvents, type Events, type Listener, type RuntimeError } from './events.js';
import type { Changes, Interaction, LaunchInfo, LaunchMode, LmsAdapter, Objective } from './lms/adapter.js';
import { decodeState, encodeState } from './state-codec.js';
import type { Telemetry } from './telemetry/create-telemetry.js';
import type { ResultInput } from './telemetry/xapi.js';

export interface CourseOptions {
  /** Event hub shared with the adapter (its `onError`), so errors raised while opening reach `on('error')`. */
  events?: Events;
  now?: () => Date;
  /** Window whose `pagehide` triggers the best-effort final commit; default: the global window. */
  window?: Window;
  /** Quiet time before changes are committed as one batch. Default 500 ms. */
  commitDelayMs?: number;
  /** Backoff between retries of a refused commit. Default 1 s, 3 s, 9 s. */
  retryMs?: number[];
  /** Used only when the LMS defines no mastery score (0..1). */
  masteryScore?: number;
  /**
   * Anonymous-session telemetry (docs/telemetry.md), made by whoever knows the session (the gated player,
   * the cmi5 auto-start); a type-only import, so entries that never create one do not bundle it.
   */
  telemetry?: Telemetry;
  /**
   * Lets telemetry send the learner's response to `fill-in`, `long-fill-in` and `other` interactions,
   * which it leaves out by default: a typed answer may name the learner. The LMS gets every response
   * either way. One interaction's `telemetryFreeText` overrides this.
   * @example
   * const course = await start({ telemetryFreeText: true });
   */
  telemetryFreeText?: boolean;
}

export type InteractionInput = Omit<Interaction, 'timestamp'> & {
  timestamp?: Date;
  /**
   * This interaction's free-text response goes to telemetry too (`true`) or not (`false`); default: the
   * course's `telemetryFreeText`. Only the anonymous telemetry is affected, never what the LMS records.
   * @example
   * course.interaction({ id: 'q3', type: 'fill-in', response: 'Paris', telemetryFreeText: true });
   */
  telemetryFreeText?: boolean;
};

/** The one API course code uses, whatever the LMS. Methods never throw: failures arrive as `error` events. */
export interface Course<S = unknown> {
  readonly standard: LmsAdapter['standard'];
  /** The learner as the LMS reports it; for course code only. */
  readonly learner: { id: string; name: string };
  readonly mode: LaunchMode;
  readonly credit: boolean;
  /** `resume` when this session continues a suspended one. */
  readonly entry: LaunchInfo['entry'];
  /** Scaled 0..1; the LMS's value wins over `options.masteryScore`. */
  readonly masteryScore: number | undefined;
  readonly completed: boolean;
  readonly success: 'passed' | 'failed' | undefined;
  /** Bookmark: where the learner is. */
  location: string;
  /** Suspend data as JSON; compressed to fit the LMS's limit. */
  state: S | undefined;
  /** Progress 0..1. */
  progress(value: number): void;
  /** Score; scaled is derived. With a mastery score, passed/failed follows from it. */
  score(raw: number, range?: { min?: number; max?: number }): void;
  complete(): void;
  pass(): void;
  fail(): void;
  interaction(input: InteractionInput): void;
  objective(input: Objective): void;
  /** Commits everything pending now. */
  flush(): Promise<void>;
  /** Final commit and end of the session. `suspend` defaults to "not completed yet". */
  exit(options?: { suspend?: boolean }): Promise<void>;
  /** A course-defined xAPI statement about the anonymous session; a no-op without telemetry. */
  track(verb: string, object?: string, result?: ResultInput): void;
  on<K extends keyof CourseEvents>(name: K, fn: Listener<K>): () => void;
}

const FALLBACK: LaunchInfo = {
  learner: { id: '', name: '' },
  mode: 'normal',
  credit: true,
  entry: '',
  maxSuspendDataLength: 4096,
};

/**
 * Opens the adapter and returns the course API. Never rejects.
 *
 * @example
 * const course = await createCourse(createScorm12Adapter({}));
 * course.on('error', (e) => console.warn(e.code, e.message));
 * course.score(8, { min: 0, max: 10 });
 * await course.exit();
 */
export async function createCourse<S = unknown>(
  adapter: LmsAdapter,
  options: CourseOptions = {},
): Promise<Course<S>> {
  const events = options.events ?? createEvents();
  const now = options.now ?? (() => new Date());
  const started = now().getTime();
  const win = options.window ?? (typeof window === 'undefined' ? undefined : window);
  const t = options.telemetry;
  if (t) {
    // Installed before the course's own pagehide listener, so a `terminated` queued there goes out at once.
    t.install(win);
    events.tap((name, payload) => {
      if (name === 'error') t.error((payload as RuntimeError).code, (payload as RuntimeError).message);
      else t.breadcrumb(name);
    });
    t.statement('launched');
  }
  let info = FALLBACK;
  try {
    info = await adapter.open();
  } catch (e) {
    events.error('lms_call_failed', String(e));
  }
  t?.statement('initialized');
  let state: S | undefined;
  try {
    state = (await decodeState(info.suspendData)) as S | undefined;
  } catch (e) {
    events.error('lms_call_failed', `suspend data unreadable: ${e}`);
  }
  let mastery = info.masteryScore ?? options.masteryScore;
  if (mastery !== undefined && !(mastery >= 0 && mastery <= 1)) {
    // 80 for 0.8 would fail every learner: say so, and judge nothing rather than judge wrongly.
    events.error('invalid_argument', `masteryScore ${mastery} is not within 0..1; ignored`);
    mastery = undefined;
  }
  const tracked = info.mode === 'normal';
  let location = info.location ?? '';
  let completed = info.completion === 'completed';
  let success: 'passed' | 'failed' | undefined = info.success === 'unknown' ? undefined : info.success;
  let scaled: number | undefined;
  let exiting: Promise<void> | undefined;
  let encoding: Promise<void> = Promise.resolve();
  let stateSeq = 0;

  const queue = createCommitQueue({
    write: (c) => adapter.write(c).catch(() => false),
    delayMs: options.commitDelayMs ?? 500,
    retryMs: options.retryMs ?? [1000, 3000, 9000],
    onCommit: () => events.emit('commit', undefined),
    onGiveUp: () =>
      events.error('lms_commit_failed', 'the LMS refused a commit; it will be retried with the next change'),
  });
  const add = (changes: Changes) => {
    if (!exiting) queue.add(changes);
  };
  // A judgement carried over from an earlier session is the LMS's already: re-sent, cmi5 would record it
  // as a new statement. Only one made in this session travels with the completion.
  let judged = false;
  const status = () => {
    if (tracked)
      add({ completion: completed ? 'completed' : 'incomplete', ...(judged && success ? { success } : {}) });
  };
  const guard =
    <A extends unknown[]>(fn: (...a: A) => void) =>
    (...a: A) => {
      try {
        // The getters say what was reported: after exit() nothing more is, so nothing changes.
        if (exiting) throw new Error('the course has exited; not recorded');
        fn(...a);
      } catch (e) {
        events.error('invalid_argument', String(e));
      }
    };
  const sessionMs = () => now().getTime() - started;
  // Telemetry states facts about the anonymous session only, never anything from the LMS's data model.
  let lastProgress: number | undefined;
  let reported: typeof success;
  // In browse or review mode nothing is recorded, and telemetry does not claim otherwise either.
  const decided = () => {
    if (!t || !tracked || !success || success === reported) return;
    reported = success;
    t.statement(success, undefined, {
      success: success === 'passed',
      durationMs: sessionMs(),
      ...(scaled === undefined ? {} : { score: { scaled } }),
    });
  };
  const defaultSuspend = () => !completed;
  // Where the LMS keeps only the first judgement (cmi5, §9.3), a different later one is refused rather
  // than left in `success` while the LMS holds the other.
  const judge = (next: 'passed' | 'failed') => {
    // In browse or review mode the LMS records nothing: the judgement it holds stays the one shown.
    if (!tracked) return;
    if (adapter.finalJudgement && next !== success && (judged || success === 'passed'))
      throw new Error(
        `the LMS keeps ${success} (one judgement per session, none after passed): ${next} not recorded`,
      );
    success = next;
    judged = true;
    status();
    decided();
  };

  if (tracked && !completed) status();

  const course: Course<S> = {
    standard: adapter.standard,
    learner: info.learner,
    mode: info.mode,
    credit: info.credit,
    entry: info.entry,
    masteryScore: mastery,
    get completed() {
      return completed;
    },
    get success() {
      return success;
    },
    get location() {
      return location;
    },
    set location(value: string) {
      const v = String(value);
      const max = info.maxLocationLength ?? v.length;
      if (exiting) events.error('invalid_argument', 'the course has exited; not recorded');
      // A cut bookmark points nowhere: refused and reported, the LMS keeps the last one.
      else if (v.length > max)
        events.error('invalid_argument', `location longer than ${max} characters; not saved`);
      else {
        location = v;
        add({ location });
      }
    },
    get state() {
      return state;
    },
    set state(value: S | undefined) {
      if (exiting) return;
      state = value;
      const seq = ++stateSeq;
      encoding = encoding
        .then(() => encodeState(value, info.maxSuspendDataLength))
        .then((data) => {
          if (data === undefined)
            events.error(
              'state_too_large',
              `state does not fit in ${info.maxSuspendDataLength} characters; the last saved state is kept`,
            );
          else if (seq === stateSeq) queue.add({ suspendData: data });
        })
        .catch((e) => events.error('state_too_large', String(e)));
    },
    progress: guard((value: number) => {
      if (!(value >= 0 && value <= 1)) throw new RangeError('progress must be between 0 and 1');
      if (tracked) add({ progress: value });
      if (t && tracked && value !== lastProgress) t.statement('progressed', undefined, { progress: value });
      lastProgress = value;
    }),
    score: guard((raw: number, range: { min?: number; max?: number } = {}) => {
      const { min = 0, max = 100 } = range;
      if (!Number.isFinite(raw) || !(max > min))
        throw new RangeError('score needs a finite raw and max > min');
      // Four decimals, the precision every standard keeps (cmi5 scaled, a 1.2 percentage with two): the
      // verdict is then taken on the value the LMS stores and compares.
      scaled = Math.round(Math.max(-1, Math.min(1, (raw - min) / (max - min))) * 1e4) / 1e4;
      if (!tracked) return;
      add({ score: { raw, min, max, scaled } });
      if (mastery !== undefined) judge(scaled >= mastery ? 'passed' : 'failed');
    }),
    complete: guard(() => {
      if (!tracked) return;
      if (t && !completed) t.statement('completed', undefined, { completion: true, durationMs: sessionMs() });
      completed = true;
      status();
    }),
    // With a mastery score and a score, the LMS's threshold decides; pass()/fail() cannot override it.
    pass: guard(() =>
      judge(mastery !== undefined && scaled !== undefined && scaled < mastery ? 'failed' : 'passed'),
    ),
    fail: guard(() =>
      judge(mastery !== undefined && scaled !== undefined && scaled >= mastery ? 'passed' : 'failed'),
    ),
    interaction: guard(({ telemetryFreeText, ...input }: InteractionInput) => {
      if (!input.id) throw new TypeError('interaction needs an id');
      if (!tracked) return;
      add({ interactions: [{ ...input, timestamp: input.timestamp ?? now() }] });
      t?.interaction(input, telemetryFreeText ?? options.telemetryFreeText);
    }),
    objective: guard((input: Objective) => {
      if (!input?.id) throw new TypeError('objective needs an id');
      if (tracked) add({ objectives: [input] });
    }),
    async flush() {
      await encoding;
      await queue.flush();
    },
    exit(opts = {}) {
      exiting ??= (async () => {
        const suspend = opts.suspend ?? defaultSuspend();
        try {
          await encoding;
          await queue.flush();
          await adapter.close({ suspend, sessionMs: sessionMs() });
        } catch (e) {
          events.error('lms_call_failed', String(e));
        }
        events.emit('exit', { suspend });
        if (t) {
          t.statement('terminated', undefined, { durationMs: sessionMs() });
          await t.flush();
        }
      })();
      return exiting;
    },
    track: guard((verb: string, object?: string, result?: ResultInput) => {
      t?.track(verb, object, result);
    }),
    on: (name, fn) => events.on(name, fn),
  };

  win?.addEventListener('pagehide', () => {
    if (exiting) return;
    exiting = Promise.resolve();
    try {
      adapter.closeOnUnload(queue.take(), { suspend: defaultSuspend(), sessionMs: sessionMs() });
      if (t) {
        t.statement('terminated', undefined, { durationMs: sessionMs() });
        t.flushOnUnload();
      }
    } catch {
      // Nothing can be reported while the page is going away.
    }
  });
  return course;
}
