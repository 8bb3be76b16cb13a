import { scrub as runtimeScrub } from '../../runtime/telemetry/errors.js';

/**
 * The ingest's own pass over error text, whatever the sender did: the runtime's scrubbing (emails, bearer
 * tokens, JWTs, query strings and fragments of URLs and paths) plus `key=value` pairs left without a
 * URL around them, and long opaque strings that look like secrets.
 * @example
 * scrubText('token=abc123 for jane@example.com') // '[param] for [email]'
 */
export function scrubText(text: string, max = 500): string {
  return runtimeScrub(text)
    .replace(/[?&;]?\b[\w.-]+=[^\s&;"'<>]+/g, '[param]')
    .replace(/\b[A-Za-z0-9_+/-]{40,}={0,2}/g, '[token]')
    .slice(0, max);
}
