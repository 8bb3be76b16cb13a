/**
 * Applies the player's calls to the LMS API: only SetValue, Commit and Terminate, in the order they come,
 * and nothing after the session is finished. `finish()` is the `pagehide` path: commit and terminate once.
 * The session's outcome as the LMS holds it goes to `report` at each Commit and Terminate and at `finish()`.
 */
import { BRIDGE_METHODS, type BridgeStandard, type CallResult } from '../../protocol/bridge.js';
import { call, type LmsApi, lmsNames } from './lms-api.js';

export interface Relay {
  apply(method: unknown, args: unknown): CallResult;
  /** The course called Initialize on the player's API. */
  contentStarted(): void;
  /** The course page loaded in the player's frame. */
  contentLoaded(): void;
  /**
   * Commits and terminates unless already done. A page that loaded but never called Initialize is
   * recorded as completed, as an LMS records an asset; one that never loaded is left as it was.
   */
  finish(): void;
  readonly finished: boolean;
}

/**
 * What the Gatekeeper's completion record is made of, read back from the LMS before each report, since the
 * LMS may decide some itself (SCORM 2004 success from `scaled_passing_score`). Session time is write-only,
 * so it is taken as the course sets it. Never the learner's id or name, answers, comments or suspend data:
 * the Gatekeeper refuses any other element anyway.
 */
const OUTCOME = {
  scorm12: 'core.lesson_status core.score.raw core.score.min core.score.max',
  scorm2004: 'completion_status success_status score.scaled score.raw score.min score.max progress_measure',
};

export function createRelay(
  api: LmsApi,
  standard: BridgeStandard,
  report: (outcome: Record<string, string>) => void = () => {},
): Relay {
  const n = lmsNames(standard);
  let finished = false;
  let started = false;
  let loaded = false;
  const outcome: Record<string, string> = {};
  const set = (element: string, value: string) => {
    const r = call(api, n.SetValue, element, value);
    if (r === 'true' && /^cmi\.(core\.)?session_time$/.test(element)) outcome[element] = value;
    return r;
  };
  const end = (name: string) => {
    for (const f of OUTCOME[standard].split(' ')) {
      const v = call(api, n.GetValue, `cmi.${f}`);
      if (v && call(api, n.GetLastError) === '0') outcome[`cmi.${f}`] = v;
    }
    const r = call(api, name, '');
    report(outcome);
    return r;
  };
  const result = (r: string): CallResult => {
    const e = call(api, n.GetLastError) || '0';
    return e === '0' ? { r, e } : { r, e, s: call(api, n.GetErrorString, e) };
  };
  return {
    get finished() {
      return finished;
    },
    apply(method, args) {
      const list = Array.isArray(args) ? args : [];
      if (finished || !BRIDGE_METHODS.includes(method as never)) return { r: 'false', e: '-1' };
      if (method === 'SetValue') {
        if (typeof list[0] !== 'string' || list[1] === undefined || list[1] === null)
          return { r: 'false', e: '-1' };
        return result(set(list[0], String(list[1])));
      }
      if (method === 'Commit') return result(end(n.Commit));
      finished = true;
      return result(end(n.Terminate));
    },
    contentStarted() {
      started = true;
    },
    contentLoaded() {
      loaded = true;
    },
    finish() {
      if (finished) return;
      finished = true;
      if (loaded && !started) {
        set(standard === 'scorm12' ? 'cmi.core.lesson_status' : 'cmi.completion_status', 'completed');
      }
      call(api, n.Commit, '');
      end(n.Terminate);
    },
  };
}
