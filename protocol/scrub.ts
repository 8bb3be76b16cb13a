/**
 * The scrubbing rule both sides apply to error text: the runtime before an error report leaves the
 * browser, the Gatekeeper again on ingest (with passes of its own, `gatekeeper/ingest/scrub.ts`).
 */

const MAX_TEXT = 500;

/**
 * Removes what could identify a learner or authorise a request: emails, bearer tokens, JWT-looking
 * strings, and the query string and fragment of every URL or path (cmi5 launch
 * URLs carry the actor and the LRS fetch URL in their query). A trailing `:line:col` survives.
 * @example
 * scrub('failed for jane@example.com at https://x.test/a?actor=1#f') // 'failed for [email] at https://x.test/a'
 */
export function scrub(text: string): string {
  return text
    .replace(/(\/[^\s?#"'<>()]*)[?#][^\s"'<>]*?((?::\d+){0,2})(?=[\s)"'<>,]|$)/g, '$1$2')
    .replace(/[\w.+%-]+(@|%40)[\w-]+(\.[\w-]+)+/g, '[email]')
    .replace(/\bbearer\s+[\w.~+/=-]+/gi, 'Bearer [token]')
    .replace(/\beyJ[\w-]*(\.[\w-]*)+/g, '[token]')
    .slice(0, MAX_TEXT);
}
