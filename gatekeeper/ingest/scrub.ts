import { scrub as runtimeScrub } from '../../protocol/scrub.js';
import { redactIdentifiers } from '../privacy/service.js';

/**
 * The ingest's own pass over error text, whatever the sender did: the runtime's scrubbing (emails, bearer
 * tokens, JWTs, query strings and fragments of URLs and paths) plus `key=value` pairs left without a
 * URL around them, long opaque strings that look like secrets, and the identifiers `redactIdentifiers`
 * recognises (gatekeeper/privacy/service.ts). File names, paths and `:line:col` stay, so a stack frame
 * can still be read and resolved through the deployment's source maps (docs/telemetry.md, "Errors").
 * @example
 * scrubText('token=abc123 for jane@example.com') // '[param] for [email]'
 */
export function scrubText(text: string, max = 500): string {
  // A query value written as raw JSON (`?actor={"name":"Jane Doe"}`) holds quotes and spaces, where the
  // runtime's URL pass stops: drop the whole object first.
  const withoutJson = text.replace(/([?&#][\w.%-]*=?)\{[^\n]*\}/g, '$1');
  const scrubbed = runtimeScrub(withoutJson)
    .replace(/[?&;]?\b[\w.-]+=[^\s&;"'<>]+/g, '[param]')
    .replace(/\b[A-Za-z0-9_+/-]{40,}={0,2}/g, opaque);
  // Emails the runtime's ASCII pattern misses, `mailto:`/`tel:` IRIs, phone and long numbers: the rule
  // statements get too.
  return redactIdentifiers(scrubbed).slice(0, max);
}

/**
 * A long run of URL-safe characters is a secret, unless it is the path of a URL or a file (it holds a
 * `/` and sits after a host or `:port`, or before `.ext` or `:line`): then only a path segment that is
 * itself that long and opaque goes, so `https://cdn.test/courses/org/intro/dep_…/app.js:3:9` survives.
 */
function opaque(run: string, offset: number, whole: string): string {
  const before = whole[offset - 1] ?? '';
  const after = whole.slice(offset + run.length, offset + run.length + 2);
  const isPath = run.includes('/') && (/[.:]/.test(before) || /^(\.\w|:\d)/.test(after));
  if (!isPath) return '[token]';
  return run.replace(/[A-Za-z0-9_+=-]{64,}/g, '[token]');
}
