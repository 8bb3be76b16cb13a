/**
 * The gated SCORM stub's report of its session (docs/gated-delivery.md, "Completion"): `POST
 * /v1/sessions/report` with the session token as bearer, the outcome elements the course set on the LMS by
 * their CMI names, and nothing else (the Gatekeeper refuses any other element: no learner field is sent).
 */

export const SESSION_REPORT_PATH = '/v1/sessions/report';

/** The outcome elements a report may carry, SCORM 1.2 and SCORM 2004. */
export type SessionReportElement =
  | 'cmi.core.lesson_status'
  | 'cmi.core.score.raw'
  | 'cmi.core.score.min'
  | 'cmi.core.score.max'
  | 'cmi.core.session_time'
  | 'cmi.completion_status'
  | 'cmi.success_status'
  | 'cmi.score.scaled'
  | 'cmi.score.raw'
  | 'cmi.score.min'
  | 'cmi.score.max'
  | 'cmi.progress_measure'
  | 'cmi.session_time';

export interface SessionReport {
  /** Grows with every report of one stub; an older report arriving late changes nothing. */
  seq: number;
  /** The whole outcome so far, as the LMS holds it (values as CMI strings). */
  cmi: Partial<Record<SessionReportElement, string>>;
}
