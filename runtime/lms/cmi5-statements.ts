/** Statement shapes of cmi5 spec §9: every AU statement is built here and nowhere else. */
import { CMI5 } from '../../protocol/xapi.js';
import type { Interaction, Score } from './adapter.js';
import { bracketResponse } from './bracket-response.js';

export type Cmi5Verb =
  | 'initialized'
  | 'completed'
  | 'passed'
  | 'failed'
  | 'terminated'
  | 'progressed'
  | 'answered';

export interface StatementContext {
  actor: unknown;
  activityId: string;
  registration: string;
  /** `contextTemplate` from LMS.LaunchData (§10.2.1): copied, never overwritten. */
  template: Record<string, unknown>;
  masteryScore?: number | undefined;
}

type Json = Record<string, unknown>;

/** UUID v4; `randomUUID` exists only in secure contexts and AUs are still served over plain http. */
export function uuid(): string {
  return (
    crypto.randomUUID?.() ??
    '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (c) =>
      (+c ^ ((crypto.getRandomValues(new Uint8Array(1))[0] as number) & (15 >> (+c / 4)))).toString(16),
    )
  );
}

/** ISO 8601 duration with the 0.01 s precision xAPI keeps. */
export function isoDuration(ms: number): string {
  return `PT${Math.round(Math.max(0, ms) / 10) / 100}S`;
}

/** xAPI score: scaled in 0..1 (§9.5.1); raw/min/max only when they are the integers cmi5 asks for. */
export function xapiScore(s: Score): Json {
  const out: Json = { scaled: Math.round(Math.max(0, Math.min(1, s.scaled)) * 1e4) / 1e4 };
  if ([s.raw, s.min, s.max].every(Number.isInteger) && s.raw >= s.min && s.raw <= s.max)
    Object.assign(out, { raw: s.raw, min: s.min, max: s.max });
  return out;
}

/**
 * One statement. `progressed` and `answered` are "cmi5 allowed" (no cmi5 category, §7.1.3); the others
 * are "cmi5 defined".
 * Passed/failed carry the mastery score they were judged against (§9.6.3.2); cmi5 defined statements
 * whose result holds success or completion carry the moveOn category (§9.6.2.2) and no others do: an
 * `answered` with `result.success` is not a judgement of the AU.
 */
export function buildStatement(
  c: StatementContext,
  verb: Cmi5Verb,
  at: Date,
  result?: Json,
  object: Json = { objectType: 'Activity', id: c.activityId },
): Json {
  const context = JSON.parse(JSON.stringify(c.template)) as Json;
  const activities = (context.contextActivities ?? {}) as Json;
  const category = [...((activities.category as Json[] | undefined) ?? [])];
  if (verb !== 'progressed' && verb !== 'answered') {
    category.push({ id: CMI5.category });
    if (result && ('success' in result || 'completion' in result)) category.push({ id: CMI5.moveOnCategory });
  }
  if (category.length) activities.category = category;
  context.contextActivities = activities;
  context.registration = c.registration;
  if ((verb === 'passed' || verb === 'failed') && c.masteryScore !== undefined)
    context.extensions = { ...(context.extensions as Json), [CMI5.masteryScoreExtension]: c.masteryScore };
  const statement: Json = {
    id: uuid(),
    timestamp: at.toISOString(),
    actor: c.actor,
    verb: {
      id: `http://adlnet.gov/expapi/verbs/${verb}`,
      display: { 'en-US': verb },
    },
    object,
    context,
  };
  if (result) statement.result = result;
  return statement;
}

/** An interaction as a cmi5 allowed `answered` statement about a child activity of the AU (xAPI cmi.interaction). */
export function answered(c: StatementContext, i: Interaction): Json {
  const result: Json = { response: bracketResponse(i.type, i.response) };
  if (i.result === 'correct' || i.result === 'incorrect') result.success = i.result === 'correct';
  if (i.latencyMs !== undefined) result.duration = isoDuration(i.latencyMs);
  const definition: Json = {
    type: 'http://adlnet.gov/expapi/activities/cmi.interaction',
    interactionType: i.type,
  };
  if (i.correct !== undefined) definition.correctResponsesPattern = [bracketResponse(i.type, i.correct)];
  if (i.description) definition.description = { 'en-US': i.description };
  const s = buildStatement(c, 'answered', i.timestamp ?? new Date(), result, {
    objectType: 'Activity',
    id: `${c.activityId}/interactions/${encodeURIComponent(i.id)}`,
    definition,
  });
  ((s.context as Json).contextActivities as Json).parent = [{ id: c.activityId }];
  return s;
}
