/**
 * An answered question as telemetry: an xAPI `answered` statement about a `cmi.interaction` activity of
 * the course (docs/telemetry.md, "Interactions"). Free-text responses stay in the browser unless the
 * author opted in: the learner may have typed anything, their name or email included.
 */
import type { Interaction } from '../lms/adapter.js';
import { bracketResponse } from '../lms/bracket-response.js';
import type { ResultInput, StatementScope, XapiActivity } from './xapi.js';
import { toActivity } from './xapi.js';

export const ANSWERED = 'http://adlnet.gov/expapi/verbs/answered';

/** Interaction types whose response is whatever the learner typed. */
export const FREE_TEXT_TYPES: readonly Interaction['type'][] = ['fill-in', 'long-fill-in', 'other'];

/** What of an interaction telemetry sends; `freeText` lets a free-text response go too. */
export type InteractionTelemetry = Pick<Interaction, 'id' | 'type' | 'response' | 'result'>;

/**
 * The object and result of the `answered` statement for `i`. No score or duration: the Gatekeeper
 * would read them as the session's.
 */
export function interactionStatement(
  scope: StatementScope,
  i: InteractionTelemetry,
  freeText?: boolean,
): [XapiActivity, ResultInput] {
  const result: ResultInput = {};
  if (freeText || !FREE_TEXT_TYPES.includes(i.type)) result.response = bracketResponse(i.type, i.response);
  if (i.result === 'correct' || i.result === 'incorrect') result.success = i.result === 'correct';
  return [
    {
      objectType: 'Activity',
      id: `${toActivity(scope).id}/interactions/${encodeURIComponent(i.id)}`,
      definition: { type: 'http://adlnet.gov/expapi/activities/cmi.interaction', interactionType: i.type },
    },
    result,
  ];
}
