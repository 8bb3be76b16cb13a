import type {
  AdapterOptions,
  Changes,
  CloseOptions,
  Interaction,
  LaunchInfo,
  LmsAdapter,
} from './adapter.js';
import { bracketResponse as response } from './bracket-response.js';
import { bindScormApi } from './scorm-api.js';
import { isoDuration } from './scorm-time.js';

const NAMES = ['Initialize', 'GetValue', 'SetValue', 'Commit', 'Terminate', 'GetLastError', 'GetErrorString'];

/**
 * SCORM 2004 (3rd and 4th edition) adapter over the LMS's `API_1484_11` object: completion and
 * success split, `scaled_passing_score` and `cmi.mode` honoured, suspend data up to 64000 characters.
 *
 * @example
 * const course = await createCourse(createScorm2004Adapter({ onError: console.warn }));
 */
export function createScorm2004Adapter(options: AdapterOptions = {}): LmsAdapter {
  const lms = bindScormApi('API_1484_11', NAMES, options);
  let open = false;
  const written = new WeakSet<Interaction>();

  const writeSync = (c: Changes): boolean => {
    // Without an LMS there is nowhere to write; lms_not_found was reported once, the course carries on.
    if (!open) return !lms.found;
    // A refused element is reported (lms_call_failed) and not retried: refusals are not transient.
    const set = lms.set;
    if (c.completion) set('cmi.completion_status', c.completion);
    if (c.success) set('cmi.success_status', c.success);
    if (c.score) {
      set('cmi.score.scaled', c.score.scaled);
      set('cmi.score.raw', c.score.raw);
      set('cmi.score.min', c.score.min);
      set('cmi.score.max', c.score.max);
    }
    if (c.progress !== undefined) set('cmi.progress_measure', c.progress);
    if (c.location !== undefined) set('cmi.location', c.location);
    if (c.suspendData !== undefined) set('cmi.suspend_data', c.suspendData);
    for (const i of c.interactions ?? []) {
      if (written.has(i)) continue;
      written.add(i);
      const p = `cmi.interactions.${Number(lms.get('cmi.interactions._count')) || 0}.`;
      set(`${p}id`, i.id);
      set(`${p}type`, i.type);
      (i.objectives ?? []).forEach((id, n) => {
        set(`${p}objectives.${n}.id`, id);
      });
      // time (second,10,0) allows two fraction digits, not toISOString's three, and a TZD only after a
      // fraction (RTE-A-16): whole seconds written as `.0Z`.
      if (i.timestamp) set(`${p}timestamp`, `${i.timestamp.toISOString().slice(0, 19)}.0Z`);
      if (i.correct !== undefined) set(`${p}correct_responses.0.pattern`, response(i.type, i.correct));
      if (i.weighting !== undefined) set(`${p}weighting`, i.weighting);
      set(`${p}learner_response`, response(i.type, i.response));
      if (i.result !== undefined) set(`${p}result`, i.result);
      if (i.latencyMs !== undefined) set(`${p}latency`, isoDuration(i.latencyMs));
      if (i.description) set(`${p}description`, i.description);
    }
    for (const o of c.objectives ?? []) {
      const count = Number(lms.get('cmi.objectives._count')) || 0;
      let n = 0;
      while (n < count && lms.get(`cmi.objectives.${n}.id`) !== o.id) n++;
      const p = `cmi.objectives.${n}.`;
      if (n === count) set(`${p}id`, o.id);
      if (o.score) {
        const { raw, min, max } = o.score;
        // Computed from raw, score.scaled must still lie in -1..1 (the LMS refuses 1.2): a raw past max is
        // full marks. A scaled score the course gave is written as given.
        const ratio = max > min ? (raw - min) / (max - min) : 0;
        set(`${p}score.scaled`, o.score.scaled ?? Math.max(-1, Math.min(1, ratio)));
        set(`${p}score.raw`, raw);
        set(`${p}score.min`, min);
        set(`${p}score.max`, max);
      }
      if (o.success) set(`${p}success_status`, o.success);
      if (o.completion) set(`${p}completion_status`, o.completion);
      if (o.progress !== undefined) set(`${p}progress_measure`, o.progress);
      if (o.description) set(`${p}description`, o.description);
    }
    return lms.commit();
  };

  const finish = (c: Changes, o: CloseOptions) => {
    if (!open) return;
    writeSync(c);
    lms.set('cmi.exit', o.suspend ? 'suspend' : 'normal');
    lms.set('cmi.session_time', isoDuration(o.sessionMs));
    lms.commit();
    lms.finish();
    open = false;
  };

  return {
    standard: 'scorm2004',
    async open(): Promise<LaunchInfo> {
      open = lms.found && lms.init();
      const g = (el: string) => (open ? lms.get(el) : '');
      const mastery = Number.parseFloat(g('cmi.scaled_passing_score'));
      const entry = g('cmi.entry');
      const mode = g('cmi.mode');
      const completion = g('cmi.completion_status');
      const success = g('cmi.success_status');
      return {
        learner: { id: g('cmi.learner_id'), name: g('cmi.learner_name') },
        mode: mode === 'browse' || mode === 'review' ? mode : 'normal',
        credit: g('cmi.credit') !== 'no-credit',
        masteryScore: Number.isFinite(mastery) ? mastery : undefined,
        entry: entry === 'ab-initio' || entry === 'resume' ? entry : '',
        location: g('cmi.location'),
        suspendData: g('cmi.suspend_data'),
        completion:
          completion === 'completed' || completion === 'incomplete' || completion === 'not attempted'
            ? completion
            : 'unknown',
        success: success === 'passed' || success === 'failed' ? success : 'unknown',
        maxSuspendDataLength: 64000,
        maxLocationLength: 1000,
      };
    },
    write: async (c) => writeSync(c),
    close: async (o) => finish({}, o),
    closeOnUnload: finish,
  };
}
