import { assertSeparateOrigins } from '../content-origin.js';

/**
 * One content origin per organisation (docs/storage.md, "The content origin"): a course page runs its
 * author's scripts, so it must never be same-origin with another organisation's player, launch page or
 * `localStorage`. This file owns the rule that names an organisation's origin.
 */

/** Where `{org}` goes in `COURSEGATE_ORG_CONTENT_URL`. */
export const ORG_PLACEHOLDER = '{org}';

/** How the Gatekeeper names content origins: the shared (pre-migration) one and the per-org template. */
export interface ContentOrigins {
  /** `COURSEGATE_CONTENT_URL`: the shared origin, which keeps serving courses deployed before the split. */
  shared: string;
  /**
   * `COURSEGATE_ORG_CONTENT_URL`, e.g. `https://{org}.content.example.net`. Absent (S3/R2 without one):
   * an org without a content URL of its own falls back to `shared`, which start-up warns about.
   */
  template?: string | undefined;
}

const ORG_ID = /^org_([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
const LABEL = /^org-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/**
 * The DNS label of an organisation's content host: `org_<uuid>` becomes `org-<uuid>` (an underscore is
 * not allowed in a host name). Derived, never stored, so it cannot drift from the id.
 *
 * @example
 * orgHostLabel('org_0b6f…'); // 'org-0b6f…'
 */
export function orgHostLabel(orgId: string): string {
  const m = ORG_ID.exec(orgId);
  if (!m) throw new Error(`Not an organisation id: ${orgId}`);
  return `org-${m[1]}`;
}

/** The organisation id a host label names, or undefined. */
export function orgIdOfLabel(label: string): string | undefined {
  const m = LABEL.exec(label.toLowerCase());
  return m ? `org_${m[1]}` : undefined;
}

/**
 * The base URL (no trailing `/`) an organisation's content, player and cmi5 launch page are served from:
 * the URL the operator set for it (`coursegate admin set-content-url`), else the template with its label,
 * else (S3/R2 without a template) the shared origin.
 *
 * @example
 * orgContentUrl({ shared: 'http://127.0.0.1:8788', template: 'http://{org}.localhost:8788' }, { id: 'org_0b6f…' });
 * // 'http://org-0b6f….localhost:8788'
 */
export function orgContentUrl(
  origins: ContentOrigins,
  org: { id: string; contentUrl?: string | null },
): string {
  if (org.contentUrl) return org.contentUrl;
  if (origins.template) return origins.template.replace(ORG_PLACEHOLDER, orgHostLabel(org.id));
  return origins.shared;
}

/**
 * The organisation whose template host `host` (a `Host` header or `URL.host`) is, or undefined.
 *
 * @example
 * orgOfTemplateHost('http://{org}.localhost:8788', 'org-0b6f….localhost:8788'); // 'org_0b6f…'
 */
export function orgOfTemplateHost(template: string | undefined, host: string): string | undefined {
  if (!template) return undefined;
  const pattern = new URL(template.replace(ORG_PLACEHOLDER, 'org-x')).host.replace('org-x', ORG_PLACEHOLDER);
  const [before, after] = pattern.split(ORG_PLACEHOLDER) as [string, string];
  const h = host.toLowerCase();
  if (!h.startsWith(before) || !h.endsWith(after) || h.length <= before.length + after.length)
    return undefined;
  return orgIdOfLabel(h.slice(before.length, h.length - after.length));
}

/**
 * The template `loadConfig` uses when none is set and the listener is ours (local disk): `<org>.<content
 * host>`, or `<org>.localhost` when the content host is an IP address (which takes no subdomain;
 * Chromium and Firefox send every `*.localhost` to loopback).
 *
 * @example
 * defaultOrgTemplate('http://127.0.0.1:8788'); // 'http://{org}.localhost:8788'
 * defaultOrgTemplate('https://content.example.net'); // 'https://{org}.content.example.net'
 */
export function defaultOrgTemplate(sharedUrl: string): string {
  const url = new URL(sharedUrl);
  const ip = /^[\d.]+$/.test(url.hostname) || url.hostname.startsWith('[');
  const host = `${ORG_PLACEHOLDER}.${ip ? 'localhost' : url.hostname}`;
  return `${url.protocol}//${host}${url.port ? `:${url.port}` : ''}${url.pathname.replace(/\/$/, '')}`;
}

/**
 * Checks `COURSEGATE_ORG_CONTENT_URL`: a URL whose host holds `{org}` once, as a whole DNS label, on
 * another host than the API's (`publicUrl`).
 */
export function assertOrgTemplate(template: string, publicUrl: string): void {
  const fail = () =>
    new Error(
      `COURSEGATE_ORG_CONTENT_URL must be a URL whose host holds ${ORG_PLACEHOLDER} as one label, e.g. https://${ORG_PLACEHOLDER}.content.example.net; got "${template}"`,
    );
  if (template.split(ORG_PLACEHOLDER).length !== 2) throw fail();
  let host: string;
  try {
    host = new URL(template.replace(ORG_PLACEHOLDER, 'org-x')).hostname;
  } catch {
    throw fail();
  }
  if (!host.split('.').includes('org-x')) throw fail();
  assertSeparateOrigins({ publicUrl, contentUrl: template.replace(ORG_PLACEHOLDER, 'org-x') });
}

/** The `ContentOrigins` of an app config (`contentUrl`, `orgContentUrl`). */
export function contentOriginsOf(config: {
  contentUrl: string;
  orgContentUrl?: string | undefined;
}): ContentOrigins {
  return { shared: config.contentUrl, template: config.orgContentUrl };
}
