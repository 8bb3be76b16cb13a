import { FormatError } from '../errors.js';
import { childNamed, type XmlElement } from '../xml/parse.js';
import { resolveHref } from './launch-url.js';
import type { Launchable, PackageInfo, PackageItem } from './types.js';

type Cmi5Info = Omit<PackageInfo, 'manifest' | 'entries' | 'declaredBytes'>;

function langstring(el: XmlElement | undefined): string {
  const first = el?.children.find((c) => c.local === 'langstring');
  return (first?.text ?? '').trim();
}

/**
 * Reads a cmi5 course structure: course, blocks as nested items, AUs with their launch URLs (relative
 * ones resolved against `folder`, where cmi5.xml sits in the zip).
 */
export function readCmi5Structure(root: XmlElement, folder = ''): Cmi5Info {
  if (root.local !== 'courseStructure') {
    throw new FormatError('invalid_package', 'cmi5.xml has no <courseStructure> root');
  }
  const course = childNamed(root, 'course');
  if (!course) throw new FormatError('invalid_package', 'cmi5.xml has no <course>');
  const aus: Launchable[] = [];
  const readNode = (el: XmlElement): PackageItem | undefined => {
    const id = el.attrs.id ?? '';
    const title = langstring(childNamed(el, 'title'));
    if (el.local === 'block') {
      return { identifier: id, title, isVisible: true, children: readNodes(el) };
    }
    if (el.local !== 'au') return undefined;
    const url = (childNamed(el, 'url')?.text ?? '').trim();
    const au: Launchable = { kind: 'au', id, title, href: url, launchUrl: resolveHref([folder], url) };
    const params = childNamed(el, 'launchParameters')?.text;
    if (params !== undefined) au.parameters = params;
    const mastery = el.attrs.masteryScore === undefined ? Number.NaN : Number(el.attrs.masteryScore);
    if (Number.isFinite(mastery)) au.masteryScore = mastery;
    au.moveOn = el.attrs.moveOn ?? 'NotApplicable';
    au.launchMethod = el.attrs.launchMethod ?? 'AnyWindow';
    aus.push(au);
    return { identifier: id, title, launchUrl: au.launchUrl, isVisible: true, children: [] };
  };
  const readNodes = (parent: XmlElement): PackageItem[] =>
    parent.children.flatMap((c) => {
      const item = readNode(c);
      return item ? [item] : [];
    });
  const items = readNodes(root);
  const identifier = course.attrs.id ?? '';
  const title = langstring(childNamed(course, 'title'));
  const info: Cmi5Info = {
    standard: 'cmi5',
    edition: null,
    title,
    identifier,
    defaultOrganization: identifier,
    organizations: [{ identifier, title, items }],
    launchables: aus,
    scoCount: aus.length,
  };
  const scores = new Set(aus.flatMap((a) => (a.masteryScore === undefined ? [] : [a.masteryScore])));
  if (scores.size === 1) info.masteryScore = [...scores][0]!;
  return info;
}
