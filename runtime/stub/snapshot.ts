/**
 * Reads the CMI data model a SCO may read, once, right after Initialize, so the player can answer the
 * course's GetValue calls locally with the LMS's values. Only elements the LMS answers without error are
 * kept, so an unset element stays unset in the player too. Learner id and name are read because the
 * course may ask for them; they travel to the player over postMessage only, never to the Gatekeeper.
 */
import type { BridgeStandard } from '../../protocol/bridge.js';
import { call, type LmsApi, lmsNames } from './lms-api.js';

const S12 =
  'core.student_id core.student_name core.lesson_location core.credit core.lesson_status core.entry core.score.raw core.score.min core.score.max core.total_time core.lesson_mode suspend_data launch_data comments comments_from_lms student_data.mastery_score student_data.max_time_allowed student_data.time_limit_action student_preference.audio student_preference.language student_preference.speed student_preference.text';
const S12_OBJECTIVE = 'id score.raw score.min score.max status';

const S2004 =
  'learner_id learner_name location suspend_data completion_status success_status scaled_passing_score completion_threshold progress_measure mode credit entry launch_data max_time_allowed time_limit_action total_time score.scaled score.raw score.min score.max learner_preference.audio_level learner_preference.language learner_preference.delivery_speed learner_preference.audio_captioning';
const S2004_OBJECTIVE =
  'id score.scaled score.raw score.min score.max success_status completion_status progress_measure description';
const S2004_INTERACTION = 'id type timestamp weighting learner_response result latency description';
const S2004_COMMENT = 'comment location timestamp';

// Collections are bounded so a misbehaving LMS cannot make the snapshot unbounded.
const MAX = 250;

export function readSnapshot(api: LmsApi, standard: BridgeStandard): Record<string, string> {
  const n = lmsNames(standard);
  const out: Record<string, string> = {};
  const read = (key: string) => {
    const v = call(api, n.GetValue, key);
    if (v !== '' || call(api, n.GetLastError) === '0') out[key] = v;
  };
  const each = (prefix: string, fields: string) => {
    for (const f of fields.split(' ')) read(`${prefix}${f}`);
  };
  const count = (key: string) => Math.min(MAX, Number.parseInt(call(api, n.GetValue, key), 10) || 0);
  if (standard === 'scorm12') {
    each('cmi.', S12);
    for (let i = 0, c = count('cmi.objectives._count'); i < c; i++)
      each(`cmi.objectives.${i}.`, S12_OBJECTIVE);
    // SCORM 1.2 interactions are write-only: placeholders keep the player's count equal to the LMS's, so the
    // course's next `cmi.interactions.{_count}.id` lands on the same index on both sides.
    for (let i = 0, c = count('cmi.interactions._count'); i < c; i++)
      out[`cmi.interactions.${i}.id`] = `i${i}`;
    return out;
  }
  each('cmi.', S2004);
  for (let i = 0, c = count('cmi.objectives._count'); i < c; i++)
    each(`cmi.objectives.${i}.`, S2004_OBJECTIVE);
  for (let i = 0, c = count('cmi.interactions._count'); i < c; i++) {
    const p = `cmi.interactions.${i}.`;
    each(p, S2004_INTERACTION);
    for (let j = 0, d = count(`${p}objectives._count`); j < d; j++) read(`${p}objectives.${j}.id`);
    for (let j = 0, d = count(`${p}correct_responses._count`); j < d; j++)
      read(`${p}correct_responses.${j}.pattern`);
  }
  for (const list of ['comments_from_learner', 'comments_from_lms']) {
    for (let i = 0, c = count(`cmi.${list}._count`); i < c; i++) each(`cmi.${list}.${i}.`, S2004_COMMENT);
  }
  return out;
}
