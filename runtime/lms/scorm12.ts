import type {
  AdapterOptions,
  Changes,
  CloseOptions,
  Interaction,
  LaunchInfo,
  LmsAdapter,
} from './adapter.js';
import { bindScormApi } from './scorm-api.js';
import { cmiTime, cmiTimespan } from './scorm-time.js';

const NAMES = [
  'LMSInitialize',
  'LMSGetValue',
  'LMSSetValue',
  'LMSCommit',
  'LMSFinish',
  'LMSGetLastError',
  'LMSGetErrorString',
];

// 1.2 has no long-fill-in or other; the closest types keep the data readable in LMS reports.
const TYPES: Partial<Record<Interaction['type'], string>> = {
  'long-fill-in': 'fill-in',
  other: 'performance',
};

/** A neutral response in SCORM 1.2 form: lists comma-separated, `true`/`false` as t/f. */
function response(type: Interaction['type'], value: string | string[]): string {
  const s = Array.isArray(value) ? value.join(',') : value;
  return type === 'true-false' ? s.slice(0, 1) : s;
}

/**
 * A score as 1.2 must hold it: the LMS compares `score.raw` with `mastery_score`, a percentage, so raw is
 * always the scaled score in percent (two decimals) over 0..100, whatever range the course used.
 */
const percent = (scaled: number) => Math.round(Math.max(0, Math.min(1, scaled)) * 1e4) / 100;

/**
 * SCORM 1.2 adapter over the LMS's `API` object. Completion and success fold into
 * `cmi.core.lesson_status`; score is written only where `cmi.core.score._children` advertises it.
 *
 * @example
 * const course = await createCourse(createScorm12Adapter({ onError: console.warn }));
 */
export function createScorm12Adapter(options: AdapterOptions = {}): LmsAdapter {
  const lms = bindScormApi('API', NAMES, options);
  let scoreFields = '';
  let interactionFields = '';
  let open = false;
  // lesson_status holds success and completion at once: a completion alone must not erase a verdict.
  let verdict = '';
  const written = new WeakSet<Interaction>();

  const writeSync = (c: Changes): boolean => {
    // Without an LMS there is nowhere to write; lms_not_found was reported once, the course carries on.
    if (!open) return !lms.found;
    // A refused element is reported (lms_call_failed) and not retried: refusals are not transient.
    const set = lms.set;
    verdict = c.success ?? verdict;
    if (c.success || c.completion) set('cmi.core.lesson_status', verdict || (c.completion as string));
    if (c.score && scoreFields) {
      if (scoreFields.includes('raw')) set('cmi.core.score.raw', percent(c.score.scaled));
      if (scoreFields.includes('min')) set('cmi.core.score.min', 0);
      if (scoreFields.includes('max')) set('cmi.core.score.max', 100);
    }
    if (c.location !== undefined) set('cmi.core.lesson_location', c.location);
    if (c.suspendData !== undefined) set('cmi.suspend_data', c.suspendData);
    for (const i of interactionFields ? (c.interactions ?? []) : []) {
      if (written.has(i)) continue;
      written.add(i);
      const p = `cmi.interactions.${Number(lms.get('cmi.interactions._count')) || 0}.`;
      set(`${p}id`, i.id);
      set(`${p}type`, TYPES[i.type] ?? i.type);
      (i.objectives ?? []).forEach((id, n) => {
        set(`${p}objectives.${n}.id`, id);
      });
      if (i.timestamp) set(`${p}time`, cmiTime(i.timestamp));
      if (i.correct !== undefined) set(`${p}correct_responses.0.pattern`, response(i.type, i.correct));
      if (i.weighting !== undefined) set(`${p}weighting`, i.weighting);
      set(`${p}student_response`, response(i.type, i.response));
      if (i.result !== undefined) set(`${p}result`, i.result === 'incorrect' ? 'wrong' : i.result);
      if (i.latencyMs !== undefined) set(`${p}latency`, cmiTimespan(i.latencyMs));
    }
    for (const o of c.objectives ?? []) {
      const count = Number(lms.get('cmi.objectives._count')) || 0;
      let n = 0;
      while (n < count && lms.get(`cmi.objectives.${n}.id`) !== o.id) n++;
      const p = `cmi.objectives.${n}.`;
      set(`${p}id`, o.id);
      if (o.score) {
        const { raw, min, max, scaled } = o.score;
        set(`${p}score.raw`, percent(scaled ?? (max > min ? (raw - min) / (max - min) : 0)));
        set(`${p}score.min`, 0);
        set(`${p}score.max`, 100);
      }
      const status = o.success ?? o.completion;
      if (status) set(`${p}status`, status);
    }
    return lms.commit();
  };

  const finish = (c: Changes, o: CloseOptions) => {
    if (!open) return;
    writeSync(c);
    lms.set('cmi.core.exit', o.suspend ? 'suspend' : '');
    lms.set('cmi.core.session_time', cmiTimespan(o.sessionMs));
    lms.commit();
    lms.finish();
    open = false;
  };

  return {
    standard: 'scorm12',
    async open(): Promise<LaunchInfo> {
      open = lms.found && lms.init();
      const g = (el: string) => (open ? lms.get(el) : '');
      scoreFields = g('cmi.core.score._children');
      interactionFields = g('cmi.interactions._children');
      const status = g('cmi.core.lesson_status');
      if (status === 'passed' || status === 'failed') verdict = status;
      const mastery = Number.parseFloat(g('cmi.student_data.mastery_score'));
      const entry = g('cmi.core.entry');
      const mode = g('cmi.core.lesson_mode');
      return {
        learner: { id: g('cmi.core.student_id'), name: g('cmi.core.student_name') },
        mode: mode === 'browse' || mode === 'review' ? mode : 'normal',
        credit: g('cmi.core.credit') !== 'no-credit',
        masteryScore: Number.isFinite(mastery) ? mastery / 100 : undefined,
        entry: entry === 'ab-initio' || entry === 'resume' ? entry : '',
        location: g('cmi.core.lesson_location'),
        suspendData: g('cmi.suspend_data'),
        completion:
          status === 'passed' || status === 'completed'
            ? 'completed'
            : status === 'incomplete' || status === 'failed'
              ? 'incomplete'
              : 'not attempted',
        success: status === 'passed' || status === 'failed' ? status : 'unknown',
        maxSuspendDataLength: 4096,
        maxLocationLength: 255,
      };
    },
    write: async (c) => writeSync(c),
    close: async (o) => finish({}, o),
    closeOnUnload: finish,
  };
}
