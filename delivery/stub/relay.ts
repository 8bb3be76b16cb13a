/**
 * Applies the player's calls to the LMS API: only SetValue, Commit and Terminate, in the order they come,
 * and nothing after the session is finished. `finish()` is the `pagehide` path: commit and terminate once.
 * It writes nothing of its own: the LMS record holds what the content wrote, whether or not the content
 * ever called Initialize (docs/gated-delivery.md, "End of session", says what an LMS itself may do then).
 * The session's outcome as the LMS holds it goes to `report` at each Commit and Terminate and at `finish()`.
 */
import type { BridgeStandard, CallResult } from '../../protocol/bridge.js';
import { call, type LmsApi, lmsNames } from './lms-api.js';

export interface Relay {
  apply(method: unknown, args: unknown): CallResult;
  /** Commits and terminates unless already done, writing nothing else. */
  finish(): void;
}

/**
 * What the Gatekeeper's completion record is made of, read back from the LMS before each report, since the
 * LMS may decide some itself (SCORM 2004 success from `scaled_passing_score`). Session time is write-only,
 * so it is taken as the course sets it. Never the learner's id or name, answers, comments or suspend data:
 * the Gatekeeper refuses any other element anyway. Only elements known to be set (in the snapshot, or
 * written since) are read, so the read-back leaves no "not initialized" errors in the LMS's log.
 */
/** The answer to a call the stub does not make: not a bridge method (`BRIDGE_METHODS`), bad arguments, or after the end. */
const REFUSED: CallResult = { r: 'false', e: '-1' };

const OUTCOME = {
  scorm12: 'core.lesson_status core.score.raw core.score.min core.score.max',
  scorm2004: 'completion_status success_status score.scaled score.raw score.min score.max progress_measure',
};

/**
 * @param snapshot what the LMS answered at Initialize (`readSnapshot`): the elements known to be set.
 */
export function createRelay(
  api: LmsApi,
  standard: BridgeStandard,
  snapshot: Record<string, string>,
  report: (outcome: Record<string, string>) => void = () => {},
): Relay {
  const n = lmsNames(standard);
  const known = { ...snapshot };
  let finished = false;
  const outcome: Record<string, string> = {};
  const set = (element: string, value: string) => {
    const r = call(api, n.SetValue, element, value);
    if (r === 'true') {
      known[element] = value;
      if (/^cmi\.(core\.)?session_time$/.test(element)) outcome[element] = value;
    }
    return r;
  };
  const end = (name: string) => {
    for (const f of OUTCOME[standard].split(' ')) {
      const v = `cmi.${f}` in known && call(api, n.GetValue, `cmi.${f}`);
      if (v) outcome[`cmi.${f}`] = v;
    }
    const r = call(api, name, '');
    report(outcome);
    return r;
  };
  // The error code only: the player logs it, and the standard's codes say what they mean (budget: 4 KB).
  const result = (r: string): CallResult => ({ r, e: call(api, n.GetLastError) || '0' });
  return {
    apply(method, args) {
      const [element, value] = Array.isArray(args) ? args : [];
      if (finished) return REFUSED;
      if (method === 'SetValue' && typeof element === 'string' && value !== undefined && value !== null)
        return result(set(element, String(value)));
      if (method === 'Commit') return result(end(n.Commit));
      if (method !== 'Terminate') return REFUSED;
      finished = true;
      return result(end(n.Terminate));
    },
    finish() {
      if (finished) return;
      finished = true;
      call(api, n.Commit, '');
      end(n.Terminate);
    },
  };
}
