import { escapeAttr, escapeText, toXmlId } from '../xml/escape.js';
import { formatDecimal, type ManifestInput, type ManifestItem, numberItems } from './model.js';
import { itemId, resourceId, resourcesXml } from './scorm-resources.js';

/**
 * Writes a SCORM 1.2 `imsmanifest.xml`: one organization, the items as given (nested items become
 * clusters), `adlcp:masteryscore` (0..100) on items with a mastery score.
 * @example
 * writeScorm12Manifest({ id: 'intro', title: 'Intro', files: ['index.html'],
 *   items: [{ title: 'Intro', href: 'index.html', masteryScore: 0.8 }] });
 */
export function writeScorm12Manifest(input: ManifestInput): string {
  const numbers = numberItems(input.items);
  const scos: { item: ManifestItem; n: number }[] = [];
  const orgId = toXmlId(`ORG-${input.id}`);
  const itemXml = (item: ManifestItem, depth: number): string => {
    const n = numbers.get(item)!;
    const pad = '  '.repeat(depth);
    const leaf = !item.children?.length && item.href !== undefined;
    if (leaf) scos.push({ item, n });
    const ref = leaf ? ` identifierref="${resourceId(item, n)}"` : '';
    const params = leaf && item.parameters ? ` parameters="${escapeAttr(item.parameters)}"` : '';
    const lines = [`${pad}<item identifier="${itemId(item, n)}"${ref} isvisible="true"${params}>`];
    lines.push(`${pad}  <title>${escapeText(item.title)}</title>`);
    for (const child of item.children ?? []) lines.push(itemXml(child, depth + 1));
    if (leaf && item.masteryScore !== undefined) {
      lines.push(
        `${pad}  <adlcp:masteryscore>${formatDecimal(item.masteryScore * 100)}</adlcp:masteryscore>`,
      );
    }
    lines.push(`${pad}</item>`);
    return lines.join('\n');
  };
  const items = input.items.map((i) => itemXml(i, 3)).join('\n');
  const version = input.version ? ` version="${escapeAttr(input.version)}"` : '';
  return `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="${toXmlId(`MANIFEST-${input.id}`)}"${version}
  xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>1.2</schemaversion>
  </metadata>
  <organizations default="${orgId}">
    <organization identifier="${orgId}">
      <title>${escapeText(input.title)}</title>
${items}
    </organization>
  </organizations>
${resourcesXml(scos, input.files, 'adlcp:scormtype')}
</manifest>
`;
}
