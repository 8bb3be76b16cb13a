import { isOrigin } from '../../protocol/origin.js';

/**
 * The origin a launch's `allowedOrigins` is judged on. A SCORM stub posts from the LMS origin, so that is
 * the request's `Origin`. The gated cmi5 launch page posts from its org's content origin and names the LMS
 * origin it was opened from (`document.referrer`, which a page cannot forge) in `lmsOrigin`: that claim
 * counts only when the request comes from one of `contentOrigins` (the license's org's), and then the content
 * origin itself never does.
 *
 * @example
 * judgedOrigin({ requestOrigin: 'https://cdn.example', lmsOrigin: 'https://lms.example', contentOrigins: ['https://cdn.example'] });
 * // 'https://lms.example'
 */
export function judgedOrigin(input: {
  requestOrigin: string | null;
  lmsOrigin: string | undefined;
  contentOrigins: readonly string[];
}): string | null {
  if (input.requestOrigin === null || !input.contentOrigins.includes(input.requestOrigin))
    return input.requestOrigin;
  // From the content origin without a usable claim: as a cmi5 navigation without a Referer, no origin.
  return input.lmsOrigin !== undefined && isOrigin(input.lmsOrigin) ? input.lmsOrigin : null;
}
