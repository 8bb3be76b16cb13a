/**
 * Reads the CMI data model a SCO may read, once, right after Initialize, so the player can answer the
 * course's GetValue calls locally with the LMS's values. Only elements the LMS answers without error are
 * kept, so an unset element stays unset in the player too. Learner id and name are read because the
 * course may ask for them; they travel to the player over postMessage only, never to the Gatekeeper.
 *
 * Every GetValue the LMS answers with an error lands in its error log, so the reads come in two kinds:
 * - sure: elements an LMS always has (the learner, statuses and modes with defaults, `_count`s, the ids
 *   of existing collection entries): read them all, collections by `_count`, only entries that exist;
 * - maybe: elements that stay unset until someone writes them (SCORM 2004 answers 403): read in the
 *   order a course relies on them (resume data, what makes writes valid, then scores and descriptions),
 *   and no more of them once the LMS has answered `BUDGET` of them with an error. So a launch costs at
 *   most `BUDGET` LMS errors, whatever the number of interactions and objectives; what is not read is
 *   unset in the player (see docs/gated-delivery.md, "Snapshot").
 */
import type { BridgeStandard } from '../../protocol/bridge.js';
import { call, type LmsApi, lmsNames } from './lms-api.js';

/** How many error answers the maybe-reads may cost the LMS's log. */
export const BUDGET = 3;

// Collections are bounded so a misbehaving LMS cannot make the snapshot unbounded.
const MAX = 250;

const S12_CORE =
  'student_id student_name lesson_location credit lesson_status entry score.raw score.min score.max total_time lesson_mode';
const S12_STUDENT_DATA = 'mastery_score max_time_allowed time_limit_action';
const S12_PREFERENCE = 'audio language speed text';

// Completion and success first: scorm-again answers them without touching its last error, so read
// right after Initialize they cannot inherit another read's error.
const S2004_SURE =
  'completion_status success_status learner_id learner_name mode credit entry time_limit_action total_time';
const S2004_PREFERENCE = 'audio_level language delivery_speed audio_captioning';
const S12_OBJECTIVE = 'status score.raw score.min score.max';

const S2004_SCORE = 'score.scaled score.raw score.min score.max progress_measure';

export function readSnapshot(api: LmsApi, standard: BridgeStandard): Record<string, string> {
  const n = lmsNames(standard);
  const out: Record<string, string> = {};
  let errors = 0;
  // `_count`s are read, not kept: the player's scorm-again counts the entries it is seeded with.
  const read = (key: string) => {
    const v = call(api, n.GetValue, key);
    if (call(api, n.GetLastError) !== '0') errors++;
    else if (!key.endsWith('_count')) out[key] = v;
    return v;
  };
  const sure = (prefix: string, fields: string, budget = Infinity) => {
    for (const f of fields.split(' ')) if (errors < budget) read(prefix + f);
  };
  const maybe = (prefix: string, fields: string) => sure(prefix, fields, BUDGET);
  /** The prefixes (`cmi.objectives.3.`) of a collection's existing entries, by its `_count`. */
  const entries = (list: string) => {
    const c = Math.min(MAX, Number.parseInt(read(`${list}._count`), 10) || 0);
    return Array.from({ length: c }, (_, i) => `${list}.${i}.`);
  };
  if (standard === 'scorm12') {
    sure('cmi.core.', S12_CORE);
    sure('cmi.', 'suspend_data launch_data');
    maybe('cmi.student_data.', S12_STUDENT_DATA);
    maybe('cmi.', 'comments comments_from_lms');
    maybe('cmi.student_preference.', S12_PREFERENCE);
    // Optional in SCORM 1.2: an LMS without objectives or interactions may answer their `_count` with an error.
    if (errors < BUDGET) {
      for (const p of entries('cmi.objectives')) {
        read(`${p}id`);
        maybe(p, S12_OBJECTIVE);
      }
    }
    // SCORM 1.2 interactions are write-only: placeholders keep the player's count equal to the LMS's, so the
    // course's next `cmi.interactions.{_count}.id` lands on the same index on both sides.
    if (errors < BUDGET) {
      entries('cmi.interactions').forEach((p, i) => {
        out[`${p}id`] = `i${i}`;
      });
    }
    return out;
  }
  sure('cmi.', S2004_SURE);
  sure('cmi.learner_preference.', S2004_PREFERENCE);
  // A first attempt has no resume data or score to read: nothing to spend errors on. An LMS that keeps the
  // record of an attempt that ended normally also answers `ab-initio`, but with time already spent: there the
  // course reads its location as a direct launch would.
  const fresh = out['cmi.entry'] === 'ab-initio' && !/[1-9]/.test(out['cmi.total_time'] ?? '');
  const objectives = entries('cmi.objectives');
  for (const p of objectives) sure(p, 'id success_status completion_status');
  const interactions = entries('cmi.interactions');
  for (const p of interactions) {
    read(`${p}id`);
    for (const q of entries(`${p}objectives`)) read(`${q}id`);
    for (const q of entries(`${p}correct_responses`)) read(`${q}pattern`);
  }
  const comments = [...entries('cmi.comments_from_learner'), ...entries('cmi.comments_from_lms')];
  for (const p of comments) read(`${p}comment`);
  if (!fresh) maybe('cmi.', 'location suspend_data');
  maybe('cmi.', 'launch_data');
  // The type makes a learner_response or correct response valid: without it the player would refuse
  // what the LMS accepts.
  for (const p of interactions) maybe(p, 'type');
  // SCORM 2004 4th edition shared data (`adl.data`, from the manifest's `adlcp:data`); a 3rd-edition LMS
  // may answer its `_count` with an error.
  if (errors < BUDGET) {
    for (const p of entries('adl.data')) {
      read(`${p}id`);
      maybe(p, 'store');
    }
  }
  maybe('cmi.', 'scaled_passing_score completion_threshold');
  if (!fresh) maybe('cmi.', S2004_SCORE);
  maybe('cmi.', 'max_time_allowed');
  for (const p of objectives) maybe(p, `${S2004_SCORE} description`);
  for (const p of interactions) maybe(p, 'learner_response result timestamp weighting latency description');
  for (const p of comments) maybe(p, 'location timestamp');
  return out;
}
