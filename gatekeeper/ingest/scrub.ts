import { scrub as runtimeScrub } from '../../protocol/scrub.js';
import { redactIdentifiers } from '../privacy/service.js';

/**
 * The ingest's own pass over error text, whatever the sender did: the runtime's scrubbing (emails, bearer
 * tokens, JWTs, query strings and fragments of URLs and paths) plus `key=value` pairs left without a
 * URL around them, long opaque strings that look like secrets, and the identifiers `redactIdentifiers`
 * recognises (gatekeeper/privacy/service.ts).
 * @example
 * scrubText('token=abc123 for jane@example.com') // '[param] for [email]'
 */
export function scrubText(text: string, max = 500): string {
  // A query value written as raw JSON (`?actor={"name":"Jane Doe"}`) holds quotes and spaces, where the
  // runtime's URL pass stops: drop the whole object first.
  const withoutJson = text.replace(/([?&#][\w.%-]*=?)\{[^\n]*\}/g, '$1');
  const scrubbed = runtimeScrub(withoutJson)
    .replace(/[?&;]?\b[\w.-]+=[^\s&;"'<>]+/g, '[param]')
    .replace(/\b[A-Za-z0-9_+/-]{40,}={0,2}/g, '[token]');
  // Emails the runtime's ASCII pattern misses, `mailto:`/`tel:` IRIs, phone and long numbers: the rule
  // statements get too.
  return redactIdentifiers(scrubbed).slice(0, max);
}
