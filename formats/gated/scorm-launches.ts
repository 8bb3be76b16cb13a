import { resolveHref } from '../inspect/launch-url.js';
import { attrLocal, childNamed, childrenNamed, XML_NS, type XmlElement } from '../xml/parse.js';

/** A file an LMS opens when it launches an item of the manifest: where a gated package puts a stub page. */
export interface ScormLaunch {
  /** The resolved href: xml:base applied, query and fragment stripped, decoded (a path in the zip). */
  path: string;
  /** Every resource launching this path is an asset (`adlcp:scormType="asset"`): it opens no LMS session. */
  asset: boolean;
  /** The title of the first item launching it. */
  title: string;
  /**
   * The names of the query parameters the manifest launches it with (its resources' href queries and the
   * items' `parameters`), as written in the URL: the only ones the stub passes on to the content, since
   * some LMSs add the learner's name to a SCO's query.
   */
  query: string[];
}

/** The parameter names of a query (`a=1&b` → a, b), as written: the stub compares them untouched. */
const queryKeys = (query: string) =>
  query
    .split('&')
    .map((p) => p.split('=')[0]!)
    .filter((k) => k !== '');

/** The query an item's `parameters` add to its launch URL (CAM: a leading `?` or `&` dropped; `#…` adds none). */
const parameterQuery = (parameters: string | undefined) => {
  const p = (parameters ?? '').trim().replace(/^[?&]/, '');
  return p.startsWith('#') ? '' : p.replace(/#.*$/s, '');
};

const base = (el: XmlElement | undefined) => el?.nsAttrs[`{${XML_NS}}base`];

/**
 * The launch files of a SCORM manifest, in document order: the resources an item of any organization
 * references, each href resolved as the LMS resolves it (xml:base of manifest, resources and resource).
 * Absolute URLs are not files of the package and are left out. Several resources may launch one path
 * (`shared/launchpage.html?content=a`, `…?content=b`): one entry, an asset only when all of them are.
 * @example scormLaunches(parseXml(manifest)) // [{ path: 'shared/launchpage.html', asset: false, title: 'Golf' }]
 */
export function scormLaunches(root: XmlElement): ScormLaunch[] {
  const resourcesEl = childNamed(root, 'resources');
  const resources = new Map<string, XmlElement>();
  for (const r of resourcesEl ? childrenNamed(resourcesEl, 'resource') : []) {
    const id = r.attrs.identifier;
    if (id !== undefined && !resources.has(id)) resources.set(id, r);
  }
  const byPath = new Map<string, ScormLaunch>();
  const visit = (item: XmlElement) => {
    const resource = resources.get(item.attrs.identifierref ?? '');
    const href = resource?.attrs.href;
    if (resource && href !== undefined && href.trim() !== '') {
      const resolved = resolveHref([base(root), base(resourcesEl), base(resource)], href.trim());
      const path = resolved.replace(/[?#].*$/s, '');
      if (!/^[a-z][a-z0-9+.-]*:/i.test(resolved) && path !== '') {
        const asset = (attrLocal(resource, 'scormType') ?? 'asset').toLowerCase() !== 'sco';
        const title = (childNamed(item, 'title')?.text ?? '').trim();
        const hrefQuery = /\?([^#]*)/s.exec(resolved)?.[1] ?? '';
        const keys = [...queryKeys(hrefQuery), ...queryKeys(parameterQuery(item.attrs.parameters))];
        const seen = byPath.get(path) ?? { path, asset, title, query: [] };
        if (byPath.has(path)) seen.asset &&= asset;
        else byPath.set(path, seen);
        for (const k of keys) if (!seen.query.includes(k)) seen.query.push(k);
      }
    }
    childrenNamed(item, 'item').forEach(visit);
  };
  const orgs = childNamed(root, 'organizations');
  for (const org of orgs ? childrenNamed(orgs, 'organization') : [])
    childrenNamed(org, 'item').forEach(visit);
  return [...byPath.values()];
}
