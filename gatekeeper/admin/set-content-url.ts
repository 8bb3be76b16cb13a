import { auditStatement } from '../db/audit-events.js';
import { getOrg, orgOfContentHost, setOrgContentUrlStatement } from '../db/orgs.js';
import { withDatabase } from './with-database.js';

/** The audit action of a change of an org's content URL, in that org's trail. */
export const SET_CONTENT_URL_ACTION = 'org.content_url';

/** Why an org's content URL was not changed; the message names what to fix. */
export class ContentUrlError extends Error {
  override name = 'ContentUrlError';
}

/** An absolute http(s) base URL without query or fragment, without its trailing `/`. */
function contentBase(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ContentUrlError(`Not a URL: ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new ContentUrlError(`The content URL must be http or https, got ${url.protocol}`);
  if (url.search || url.hash || url.username || url.password)
    throw new ContentUrlError('The content URL takes no query, fragment or credentials');
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/**
 * `coursegate admin set-content-url <org> <url>` (docs/storage.md, "The content origin"): the base URL an
 * organisation's content, player and cmi5 launch page are served from instead of the template's, e.g. a
 * bucket custom domain or CDN host of its own with S3/R2; null goes back to the template. Takes effect at
 * the next launch, no restart. A host serves one org only. Recorded in the org's audit trail.
 * @example await setOrgContentUrl({ dataDir: './data', orgId, url: 'https://acme.cdn.example', now: () => new Date() });
 */
export async function setOrgContentUrl(input: {
  dataDir: string;
  orgId: string;
  url: string | null;
  reason?: string | undefined;
  now: () => Date;
}): Promise<{ from: string | null; to: string | null }> {
  const to = input.url === null ? null : contentBase(input.url);
  return withDatabase(input.dataDir, async (db) => {
    const org = await getOrg(db, input.orgId);
    if (!org) throw new ContentUrlError(`No organisation ${input.orgId}`);
    if (to !== null) {
      const holder = await orgOfContentHost(db, new URL(to).host);
      if (holder !== undefined && holder !== org.id)
        throw new ContentUrlError(`${new URL(to).host} already serves another organisation (${holder})`);
    }
    if (org.contentUrl === to) return { from: to, to };
    await db.batch([
      setOrgContentUrlStatement(db, org.id, to),
      auditStatement(db, {
        orgId: org.id,
        actor: 'cli',
        action: SET_CONTENT_URL_ACTION,
        subject: org.id,
        fromValue: org.contentUrl,
        toValue: to,
        reason: input.reason?.trim() ?? '',
        at: input.now().getTime(),
      }),
    ]);
    return { from: org.contentUrl, to };
  });
}
