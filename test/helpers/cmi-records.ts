/**
 * Flattened CMI records an LMS holds when it launches a SCO, for measuring what the stub's snapshot costs
 * the LMS and what it keeps. Shaped after Rustici's golf-scorm2004v3-advanced-runtime (its manifest's five
 * objectives, what its quiz writes per interaction) and after a course that writes every field.
 */

const TYPES = [
  ['choice', 'a[,]b', 'b'],
  ['true-false', 'true', 'false'],
  ['numeric', '5', '4[:]6'],
  ['fill-in', 'par', 'par'],
] as const;

/** Golf's objectives: the primary one and the four its manifest declares. */
export const GOLF_OBJECTIVES = [
  'PRIMARYOBJ',
  'obj_etiquette',
  'obj_handicapping',
  'obj_havingfun',
  'obj_playing',
];

const objectiveIds = (count: number) =>
  Array.from({ length: count }, (_, i) => GOLF_OBJECTIVES[i] ?? `obj_extra_${i}`);

/**
 * What an LMS seeds on a first launch from golf's manifest: the learner, the objectives' ids and the
 * primary objective's `minNormalizedMeasure` as `scaled_passing_score`; `entry` as the LMS sets it
 * (`ab-initio`, or `''` for an LMS that leaves it blank).
 */
export function firstLaunch2004(o: { objectives: number; entry: string }): Record<string, string> {
  const r: Record<string, string> = {
    'cmi.learner_id': 'learner-7',
    'cmi.learner_name': 'Seven, Learner',
    'cmi.entry': o.entry,
    'cmi.scaled_passing_score': '0.8',
  };
  objectiveIds(o.objectives).forEach((id, i) => {
    r[`cmi.objectives.${i}.id`] = id;
  });
  return r;
}

/**
 * A relaunch after golf's quiz: what the course writes (location, statuses, score, progress; per
 * interaction id, description, objective, type, response, correct response, result; per objective
 * progress, completion and, for those with questions, a score) on top of the first launch's seed.
 */
export function golfRelaunch2004(o: { interactions: number; objectives: number }): Record<string, string> {
  const r = firstLaunch2004({ objectives: o.objectives, entry: 'resume' });
  Object.assign(r, {
    'cmi.location': '12',
    'cmi.completion_status': 'completed',
    'cmi.success_status': 'passed',
    'cmi.score.raw': '87',
    'cmi.score.min': '0',
    'cmi.score.max': '100',
    'cmi.score.scaled': '0.87',
    'cmi.progress_measure': '1',
  });
  const ids = objectiveIds(o.objectives);
  ids.forEach((_, i) => {
    const p = `cmi.objectives.${i}.`;
    r[`${p}progress_measure`] = '1';
    r[`${p}completion_status`] = 'completed';
    if (i % 2 === 1) {
      r[`${p}score.scaled`] = '0.75';
      r[`${p}score.raw`] = '3';
      r[`${p}score.min`] = '0';
    }
  });
  for (let i = 0; i < o.interactions; i++) {
    const [type, response, correct] = TYPES[i % TYPES.length]!;
    const p = `cmi.interactions.${i}.`;
    r[`${p}id`] = `q${i}`;
    r[`${p}description`] = `Question ${i}`;
    r[`${p}objectives.0.id`] = ids[1 + (i % Math.max(1, ids.length - 1))] ?? 'obj_playing';
    r[`${p}type`] = type;
    r[`${p}learner_response`] = response;
    r[`${p}correct_responses.0.pattern`] = correct;
    r[`${p}result`] = i % 3 === 0 ? 'incorrect' : 'correct';
  }
  return r;
}

/**
 * A relaunch of a course that writes every field: interactions with timestamps, weighting, latency and
 * two objectives each, objectives with and without scores, comments from the learner and the LMS,
 * suspend data, launch data, a completion threshold and a time limit.
 */
export function fullRelaunch2004(o: { interactions: number; objectives: number }): Record<string, string> {
  const r = golfRelaunch2004(o);
  Object.assign(r, {
    'cmi.suspend_data': 'page=12;answers=abc',
    'cmi.launch_data': 'mode=exam',
    'cmi.completion_threshold': '0.9',
    'cmi.max_time_allowed': 'PT1H',
    'cmi.comments_from_learner.0.comment': 'Hard one',
    'cmi.comments_from_learner.0.location': '7',
    'cmi.comments_from_learner.0.timestamp': '2026-12-01T10:00:00',
    'cmi.comments_from_lms.0.comment': 'Welcome back',
    'cmi.comments_from_lms.0.location': '1',
    'cmi.comments_from_lms.0.timestamp': '2026-12-01T09:00:00',
  });
  objectiveIds(o.objectives).forEach((_, i) => {
    r[`cmi.objectives.${i}.description`] = `Objective ${i}`;
    if (i % 2 === 1) r[`cmi.objectives.${i}.score.max`] = '4';
  });
  for (let i = 0; i < o.interactions; i++) {
    const p = `cmi.interactions.${i}.`;
    r[`${p}timestamp`] = '2026-12-01T10:00:00';
    r[`${p}weighting`] = '1';
    r[`${p}latency`] = 'PT12S';
    r[`${p}objectives.1.id`] = 'PRIMARYOBJ';
  }
  return r;
}

/** A SCORM 1.2 relaunch: status, score, location, suspend data, objectives and interactions written before. */
export function relaunch12(o: { interactions: number; objectives: number }): Record<string, string> {
  const r: Record<string, string> = {
    'cmi.core.student_id': 'learner-7',
    'cmi.core.student_name': 'Seven, Learner',
    'cmi.core.entry': 'resume',
    'cmi.core.lesson_location': '12',
    'cmi.core.lesson_status': 'incomplete',
    'cmi.core.score.raw': '60',
    'cmi.suspend_data': 'page=12',
    'cmi.student_data.mastery_score': '80',
  };
  for (let i = 0; i < o.objectives; i++) {
    r[`cmi.objectives.${i}.id`] = `obj${i}`;
    r[`cmi.objectives.${i}.status`] = i % 2 ? 'passed' : 'incomplete';
    if (i % 2) r[`cmi.objectives.${i}.score.raw`] = '70';
  }
  for (let i = 0; i < o.interactions; i++) {
    r[`cmi.interactions.${i}.id`] = `q${i}`;
    r[`cmi.interactions.${i}.type`] = 'choice';
    r[`cmi.interactions.${i}.student_response`] = 'a';
    r[`cmi.interactions.${i}.result`] = 'correct';
  }
  return r;
}
