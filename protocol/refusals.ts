/**
 * What a learner reads when a launch does not go ahead: one text per refusal code of `POST /v1/launch`
 * (shown by the SCORM launch stub and the gated cmi5 launch page, and sent by the Gatekeeper as the
 * refusal's message), plus the refusals the launch page finds itself.
 */
import type { LaunchErrorCode } from './errors.js';

export interface Notice {
  title: string;
  text: string;
  /** Offer a "Try again" button. */
  retry?: boolean;
}

/** Refusals the launch page finds without the Gatekeeper's word: unreachable, unreadable or no LMS. */
export type LocalRefusal = 'network' | 'refused' | 'no_lms' | 'bad_config';

const ASK = 'Please contact your training administrator.';

// A package whose signing key was retired is out of date to the learner as much as a reissued one is.
const OUT_OF_DATE: Notice = {
  title: 'This course link is not valid',
  text: `The course package is damaged or out of date. ${ASK}`,
};

export const REFUSAL_NOTICES: Record<LaunchErrorCode | LocalRefusal, Notice> = {
  token_invalid: OUT_OF_DATE,
  signing_key_retired: OUT_OF_DATE,
  license_revoked: {
    title: 'Access has been revoked',
    text: ASK,
  },
  license_expired: { title: 'Access to this course has expired', text: ASK },
  license_not_started: {
    title: 'Access has not started yet',
    text: `Access to this course opens on its start date. ${ASK}`,
  },
  origin_not_allowed: {
    title: 'Not available on this site',
    text: `This course is not licensed for use on this site. ${ASK}`,
  },
  launch_limit_reached: {
    title: 'Launch limit reached',
    text: `This course has been opened as many times as its license allows (cap reached). ${ASK}`,
  },
  course_not_live: {
    title: 'This course is not live yet',
    text: `The course has not been published yet. ${ASK}`,
  },
  rate_limited: {
    title: 'Too many launches right now',
    text: 'The course server is busy (rate limited). Please wait a moment, then try again.',
    retry: true,
  },
  network: {
    title: 'Cannot reach the course server',
    text: 'The course server did not answer. Check your connection, then try again.',
    retry: true,
  },
  refused: { title: 'This course cannot be opened', text: `The course server refused this launch. ${ASK}` },
  no_lms: {
    title: 'No connection to your LMS',
    text: 'This course must be opened from your learning platform, which could not be found or did not answer.',
  },
  bad_config: {
    title: 'This course package is damaged',
    text: `Its launch settings could not be read. ${ASK}`,
  },
};

/** The notice for any refusal code a launch page meets; an unknown one is a plain refusal. */
export function refusalNotice(code: string): Notice {
  return (REFUSAL_NOTICES as Record<string, Notice>)[code] ?? REFUSAL_NOTICES.refused;
}

/**
 * The Gatekeeper's message for a launch refusal: the learner's notice as one line.
 * @example refusalMessage('license_revoked') // 'Access has been revoked. Please contact your training administrator.'
 */
export function refusalMessage(code: LaunchErrorCode): string {
  const { title, text } = REFUSAL_NOTICES[code];
  return `${title}. ${text}`;
}
