// Extended additively by the course core: `AdapterOptions` (what every adapter factory accepts).
/**
 * The seam between the course API (standard-agnostic) and one LMS standard.
 * Each standard (scorm12, scorm2004, cmi5, standalone) provides one `LmsAdapter`; the course core
 * (progress, score, state, debounced commits, events) is written once against this interface.
 *
 * Contract notes:
 * - Adapters never throw: a failed LMS call resolves and reports through `onError`.
 * - Values are standard-neutral: scores are raw/min/max plus scaled 0..1, times in milliseconds;
 *   each adapter converts to its own formats (CMITimespan, ISO 8601 durations, xAPI results).
 */
import type { RuntimeErrorCode } from '../../protocol/errors.js';

export type LaunchMode = 'normal' | 'browse' | 'review';

/** What the LMS says at the start of a session. */
export interface LaunchInfo {
  /** Learner as the LMS reports it. Exposed to course code only; never sent anywhere else. */
  learner: { id: string; name: string };
  mode: LaunchMode;
  /** false when the LMS says no-credit. */
  credit: boolean;
  /** Mastery score as a scaled value 0..1, if the LMS defines one. */
  masteryScore?: number | undefined;
  /** `ab-initio` on a first launch, `resume` when a previous session was suspended. */
  entry: 'ab-initio' | 'resume' | '';
  location?: string | undefined;
  /** The suspend data string exactly as stored (the course core decodes it). */
  suspendData?: string | undefined;
  completion?: 'completed' | 'incomplete' | 'not attempted' | 'unknown' | undefined;
  success?: 'passed' | 'failed' | 'unknown' | undefined;
  /** Largest suspend data string the LMS accepts, in characters (4096 for SCORM 1.2). */
  maxSuspendDataLength: number;
  /** Longest bookmark the LMS accepts, in characters (255 in SCORM 1.2, 1000 in 2004); none when absent. */
  maxLocationLength?: number | undefined;
  /** cmi5: where to go after terminated. */
  returnUrl?: string | undefined;
  /** cmi5: moveOn criterion from LMS.LaunchData. */
  moveOn?: string | undefined;
}

export interface Score {
  raw: number;
  min: number;
  max: number;
  /** raw normalised to -1..1 (SCORM 2004) / 0..1 (cmi5), derived by the core. */
  scaled: number;
}

export interface Interaction {
  id: string;
  type:
    | 'true-false'
    | 'choice'
    | 'fill-in'
    | 'long-fill-in'
    | 'matching'
    | 'performance'
    | 'sequencing'
    | 'likert'
    | 'numeric'
    | 'other';
  /** Learner response, already in a neutral form: string, or an array of strings for multi-valued responses. */
  response: string | string[];
  correct?: string | string[];
  result?: 'correct' | 'incorrect' | 'neutral' | 'unanticipated' | number;
  description?: string;
  weighting?: number;
  /** Milliseconds the learner took. */
  latencyMs?: number;
  objectives?: string[];
  timestamp?: Date;
}

export interface Objective {
  id: string;
  score?: Omit<Score, 'scaled'> & { scaled?: number };
  completion?: 'completed' | 'incomplete';
  success?: 'passed' | 'failed';
  progress?: number;
  description?: string;
}

/** Changes the core asks an adapter to persist; every field optional, batched between commits. */
export interface Changes {
  completion?: 'completed' | 'incomplete';
  /** A judgement made in this session; one carried over from an earlier session is not repeated. */
  success?: 'passed' | 'failed';
  score?: Score;
  /** 0..1. */
  progress?: number;
  location?: string;
  suspendData?: string;
  /** Appended, not replaced: an adapter writes each one (same object) once, however often a batch is retried. */
  interactions?: Interaction[];
  objectives?: Objective[];
}

export interface CloseOptions {
  /** true: the learner will come back (SCORM exit=suspend); false: normal exit. */
  suspend: boolean;
  /** Time spent in this session. */
  sessionMs: number;
}

export interface AdapterHooks {
  onError(code: RuntimeErrorCode, message: string): void;
  now(): Date;
}

export interface LmsAdapter {
  readonly standard: 'scorm12' | 'scorm2004' | 'cmi5' | 'standalone';
  /**
   * The LMS records one passed/failed per session and nothing after passed (cmi5 §9.3): the core keeps
   * the first judgement and refuses a different one instead of believing what the LMS never got.
   */
  readonly finalJudgement?: boolean;
  /** Initialize with the LMS and read the launch data. */
  open(): Promise<LaunchInfo>;
  /** Persist a batch of changes and commit. Resolves true when the LMS accepted it. */
  write(changes: Changes): Promise<boolean>;
  /** Final commit and terminate (cmi5: terminated, then the caller follows returnUrl). */
  close(options: CloseOptions): Promise<void>;
  /** Best effort during `pagehide`, when async work may never finish: sync calls (SCORM) or keepalive fetch (cmi5). */
  closeOnUnload(changes: Changes, options: CloseOptions): void;
}

/** What every adapter factory accepts (`createScorm12Adapter(options)`, `createCmi5Adapter(options)`, ...). */
export interface AdapterOptions {
  /** The course's window (API discovery, launch parameters, storage); default: the global window. */
  window?: Window | undefined;
  now?: (() => Date) | undefined;
  onError?: AdapterHooks['onError'] | undefined;
}
