import { parseXmlDocument } from './xml-diff.js';

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const ADLCP = ['http://www.adlnet.org/xsd/adlcp_rootv1p2', 'http://www.adlnet.org/xsd/adlcp_v1p3'];
const PACKAGE = 'http://package.test/';

/**
 * Where an LMS would open each launched resource of a SCORM manifest, read with @xmldom/xmldom and the
 * WHATWG URL parser (neither is what the packager uses): every `<item identifierref>` of every organization,
 * its resource's `href` resolved against the xml:base of manifest, resources and resource, as a file path
 * of the package (decoded, no query or fragment). Absolute URLs are not files of the package and are left
 * out. Value: whether every resource launching that path is an asset, and the names of the query parameters
 * it is launched with (the href's query, then the item's `parameters`, first seen first).
 */
export function manifestLaunchPaths(manifest: string): Map<string, { asset: boolean; query: string[] }> {
  const doc = parseXmlDocument(manifest);
  const root = doc.documentElement;
  const byLocal = (parent: Element, local: string) =>
    Array.from(parent.childNodes).filter(
      (n): n is Element => n.nodeType === 1 && (n as Element).localName === local,
    );
  const resourcesEl = byLocal(root, 'resources')[0];
  const resources = new Map<string, Element>();
  for (const r of resourcesEl ? byLocal(resourcesEl, 'resource') : [])
    if (!resources.has(r.getAttribute('identifier') ?? ''))
      resources.set(r.getAttribute('identifier') ?? '', r);
  const base = (el: Element | undefined) => el?.getAttributeNS(XML_NS, 'base') || undefined;
  const out = new Map<string, { asset: boolean; query: string[] }>();
  const names = (search: string) =>
    search
      .replace(/^\?/, '')
      .split('&')
      .map((p) => p.split('=')[0]!)
      .filter(Boolean);
  const visit = (item: Element) => {
    const resource = resources.get(item.getAttribute('identifierref') ?? '');
    const href = resource?.getAttribute('href');
    if (resource && href) {
      let url = new URL(PACKAGE);
      for (const b of [base(root), base(resourcesEl), base(resource)]) if (b) url = new URL(b, url);
      url = new URL(href.trim(), url);
      if (url.href.startsWith(PACKAGE)) {
        const path = url.pathname.slice(1).split('/').map(decodeURIComponent).join('/');
        const type = ADLCP.map(
          (ns) => resource.getAttributeNS(ns, 'scormType') || resource.getAttributeNS(ns, 'scormtype'),
        ).find(Boolean);
        const asset = type !== 'sco';
        const params = (item.getAttribute('parameters') ?? '').trim();
        const added = params.startsWith('#')
          ? ''
          : new URL(`?${params.replace(/^[?&]/, '')}`, PACKAGE).search;
        const seen = out.get(path) ?? { asset: true, query: [] };
        seen.asset &&= asset;
        for (const k of [...names(url.search), ...names(added)])
          if (!seen.query.includes(k)) seen.query.push(k);
        out.set(path, seen);
      }
    }
    for (const child of byLocal(item, 'item')) visit(child);
  };
  const orgs = byLocal(root, 'organizations')[0];
  for (const org of orgs ? byLocal(orgs, 'organization') : [])
    for (const item of byLocal(org, 'item')) visit(item);
  return out;
}
