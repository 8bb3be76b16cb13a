import { FormatError } from '../errors.js';
import { attrLocal, childNamed, childrenNamed, XML_NS, type XmlElement } from '../xml/parse.js';
import { applyParameters, resolveHref } from './launch-url.js';
import type { Launchable, PackageInfo, PackageItem, PackageOrganization } from './types.js';

const ADLCP_12 = 'http://www.adlnet.org/xsd/adlcp_rootv1p2';
const ADLCP_2004 = 'http://www.adlnet.org/xsd/adlcp_v1p3';
const CP_12 = 'http://www.imsproject.org/xsd/imscp_rootv1p1p2';

type ScormInfo = Omit<PackageInfo, 'manifest' | 'entries' | 'declaredBytes'>;

function base(el: XmlElement | undefined): string | undefined {
  return el?.nsAttrs[`{${XML_NS}}base`];
}

function titleOf(el: XmlElement): string {
  return (childNamed(el, 'title')?.text ?? '').trim();
}

function namespacesIn(root: XmlElement): Set<string> {
  const found = new Set<string>();
  const walk = (el: XmlElement) => {
    found.add(el.ns);
    for (const key of Object.keys(el.nsAttrs)) found.add(key.slice(1, key.indexOf('}')));
    for (const [name, value] of Object.entries(el.attrs)) if (name.startsWith('xmlns')) found.add(value);
    el.children.forEach(walk);
  };
  walk(root);
  return found;
}

/** Finds features only SCORM 2004 4th edition has (shared data, jump/sharedDataGlobalToSystem). */
function hasFourthEditionFeatures(root: XmlElement): boolean {
  let found = false;
  const walk = (el: XmlElement) => {
    if (found) return;
    if (el.ns === ADLCP_2004 && (el.local === 'data' || el.local === 'map')) found = true;
    if (`{${ADLCP_2004}}sharedDataGlobalToSystem` in el.nsAttrs) found = true;
    el.children.forEach(walk);
  };
  walk(root);
  return found;
}

function detect(
  root: XmlElement,
  schemaVersion: string | undefined,
): { standard: 'scorm12' | 'scorm2004'; edition: ScormInfo['edition'] } {
  const ns = namespacesIn(root);
  const sv = (schemaVersion ?? '').toLowerCase();
  let standard: 'scorm12' | 'scorm2004';
  if (ns.has(ADLCP_2004)) standard = 'scorm2004';
  else if (ns.has(ADLCP_12)) standard = 'scorm12';
  else if (sv.includes('2004') || sv.includes('cam 1.3')) standard = 'scorm2004';
  else if (sv.startsWith('1.2') || root.ns === CP_12) standard = 'scorm12';
  else throw new FormatError('unknown_standard', 'imsmanifest.xml is neither SCORM 1.2 nor SCORM 2004');
  if (standard === 'scorm12') return { standard, edition: null };
  if (sv.includes('4th')) return { standard, edition: 4 };
  if (sv.includes('3rd')) return { standard, edition: 3 };
  if (sv.includes('cam 1.3') || sv.includes('2nd')) return { standard, edition: 2 };
  return { standard, edition: hasFourthEditionFeatures(root) ? 4 : 3 };
}

function masteryOf(item: XmlElement, standard: 'scorm12' | 'scorm2004'): number | undefined {
  if (standard === 'scorm12') {
    const raw = item.children.find((c) => c.local.toLowerCase() === 'masteryscore')?.text.trim();
    const n = raw ? Number(raw) : Number.NaN;
    return Number.isFinite(n) ? n / 100 : undefined;
  }
  const objectives = childNamed(childNamed(item, 'sequencing') ?? item, 'objectives');
  const primary = objectives && childNamed(objectives, 'primaryObjective');
  if (!primary || attrLocal(primary, 'satisfiedByMeasure') !== 'true') return undefined;
  const n = Number(childNamed(primary, 'minNormalizedMeasure')?.text.trim() ?? '1');
  return Number.isFinite(n) ? n : undefined;
}

/**
 * Reads a SCORM 1.2 or 2004 manifest: standard, edition, organizations and launch URLs (resolved against
 * `folder`, where the manifest sits in the zip).
 */
export function readScormManifest(root: XmlElement, folder = ''): ScormInfo {
  if (root.local !== 'manifest')
    throw new FormatError('invalid_package', 'imsmanifest.xml has no <manifest> root');
  const metadata = childNamed(root, 'metadata');
  const schemaVersion = metadata ? childNamed(metadata, 'schemaversion')?.text.trim() : undefined;
  const { standard, edition } = detect(root, schemaVersion);
  const resourcesEl = childNamed(root, 'resources');
  const resources = new Map<string, XmlElement>();
  for (const r of resourcesEl ? childrenNamed(resourcesEl, 'resource') : []) {
    const id = r.attrs.identifier;
    if (id) resources.set(id, r);
  }
  const launchUrlOf = (resource: XmlElement, parameters: string | undefined) =>
    applyParameters(
      resolveHref([folder, base(root), base(resourcesEl), base(resource)], resource.attrs.href ?? ''),
      parameters,
    );

  const orgsEl = childNamed(root, 'organizations');
  const launchablesByOrg = new Map<string, Launchable[]>();
  const organizations: PackageOrganization[] = [];
  for (const org of orgsEl ? childrenNamed(orgsEl, 'organization') : []) {
    const orgId = org.attrs.identifier ?? '';
    const launchables: Launchable[] = [];
    const readItem = (el: XmlElement): PackageItem => {
      const item: PackageItem = {
        identifier: el.attrs.identifier ?? '',
        title: titleOf(el),
        isVisible: (el.attrs.isvisible ?? 'true') !== 'false',
        children: [],
      };
      const ref = el.attrs.identifierref;
      if (el.attrs.parameters !== undefined) item.parameters = el.attrs.parameters;
      const resource = ref ? resources.get(ref) : undefined;
      if (ref) item.identifierref = ref;
      if (resource?.attrs.href !== undefined) {
        item.launchUrl = launchUrlOf(resource, item.parameters);
        const type = (attrLocal(resource, 'scormType') ?? 'asset').toLowerCase();
        const unit: Launchable = {
          kind: type === 'sco' ? 'sco' : 'asset',
          id: item.identifier,
          title: item.title,
          resource: ref!,
          href: resource.attrs.href,
          launchUrl: item.launchUrl,
        };
        if (item.parameters !== undefined) unit.parameters = item.parameters;
        const mastery = masteryOf(el, standard);
        if (mastery !== undefined) unit.masteryScore = mastery;
        launchables.push(unit);
      }
      item.children = childrenNamed(el, 'item').map(readItem);
      return item;
    };
    organizations.push({
      identifier: orgId,
      title: titleOf(org),
      items: childrenNamed(org, 'item').map(readItem),
    });
    launchablesByOrg.set(orgId, launchables);
  }
  const defaultOrganization = orgsEl?.attrs.default ?? organizations[0]?.identifier;
  const launchables =
    (defaultOrganization !== undefined ? launchablesByOrg.get(defaultOrganization) : undefined) ??
    launchablesByOrg.get(organizations[0]?.identifier ?? '') ??
    [];
  const defaultOrg = organizations.find((o) => o.identifier === defaultOrganization) ?? organizations[0];
  const info: ScormInfo = {
    standard,
    edition,
    title: defaultOrg?.title || root.attrs.identifier || '',
    identifier: root.attrs.identifier ?? '',
    organizations,
    launchables,
    scoCount: launchables.filter((l) => l.kind === 'sco').length,
  };
  if (schemaVersion !== undefined) info.schemaVersion = schemaVersion;
  if (defaultOrganization !== undefined) info.defaultOrganization = defaultOrganization;
  const scores = new Set(launchables.flatMap((l) => (l.masteryScore === undefined ? [] : [l.masteryScore])));
  if (scores.size === 1) info.masteryScore = [...scores][0]!;
  return info;
}
