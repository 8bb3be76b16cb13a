/**
 * Applies the player's calls to the LMS API: only SetValue, Commit and Terminate, in the order they come,
 * and nothing after the session is finished. `finish()` is the `pagehide` path: commit and terminate once.
 */
import { BRIDGE_METHODS, type BridgeStandard, type CallResult } from '../../protocol/bridge.js';
import { call, type LmsApi, lmsNames } from './lms-api.js';

export interface Relay {
  apply(method: unknown, args: unknown): CallResult;
  /** The course called Initialize on the player's API. */
  contentStarted(): void;
  /** Commits and terminates unless already done. A course that never started is recorded as completed, as an LMS records an asset. */
  finish(): void;
  readonly finished: boolean;
}

export function createRelay(api: LmsApi, standard: BridgeStandard): Relay {
  const n = lmsNames(standard);
  let finished = false;
  let started = false;
  const outcome = (r: string): CallResult => {
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
        return outcome(call(api, n.SetValue, list[0], String(list[1])));
      }
      if (method === 'Commit') return outcome(call(api, n.Commit, ''));
      finished = true;
      return outcome(call(api, n.Terminate, ''));
    },
    contentStarted() {
      started = true;
    },
    finish() {
      if (finished) return;
      finished = true;
      if (!started) {
        call(
          api,
          n.SetValue,
          standard === 'scorm12' ? 'cmi.core.lesson_status' : 'cmi.completion_status',
          'completed',
        );
      }
      call(api, n.Commit, '');
      call(api, n.Terminate, '');
    },
  };
}
