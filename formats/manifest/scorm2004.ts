import { escapeAttr, escapeText, toXmlId } from '../xml/escape.js';
import { formatDecimal, type ManifestInput, type ManifestItem, numberItems } from './model.js';
import { itemId, resourceId, resourcesXml } from './scorm-resources.js';

/** SCORM 2004 editions this writer emits. */
export type Scorm2004Edition = 3 | 4;

/**
 * Writes a SCORM 2004 `imsmanifest.xml` (4th edition unless `edition: 3`). A mastery score becomes the
 * item's primary objective, satisfied by measure, with that minimum normalized measure (the LMS then
 * hands it to the SCO as `cmi.scaled_passing_score`).
 * @example writeScorm2004Manifest({ id: 'intro', title: 'Intro', files: ['index.html'], items: [{ title: 'Intro', href: 'index.html' }] }, 3)
 */
export function writeScorm2004Manifest(input: ManifestInput, edition: Scorm2004Edition = 4): string {
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
    const lines = [`${pad}<item identifier="${itemId(item, n)}"${ref}${params}>`];
    lines.push(`${pad}  <title>${escapeText(item.title)}</title>`);
    for (const child of item.children ?? []) lines.push(itemXml(child, depth + 1));
    if (leaf && item.masteryScore !== undefined) {
      lines.push(
        `${pad}  <imsss:sequencing>`,
        `${pad}    <imsss:objectives>`,
        `${pad}      <imsss:primaryObjective objectiveID="${toXmlId(`OBJ-${item.identifier ?? n}`)}" satisfiedByMeasure="true">`,
        `${pad}        <imsss:minNormalizedMeasure>${formatDecimal(item.masteryScore)}</imsss:minNormalizedMeasure>`,
        `${pad}      </imsss:primaryObjective>`,
        `${pad}    </imsss:objectives>`,
        `${pad}  </imsss:sequencing>`,
      );
    }
    lines.push(`${pad}</item>`);
    return lines.join('\n');
  };
  const items = input.items.map((i) => itemXml(i, 3)).join('\n');
  const version = input.version ? ` version="${escapeAttr(input.version)}"` : '';
  return `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="${toXmlId(`MANIFEST-${input.id}`)}"${version}
  xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
  xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3"
  xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3"
  xmlns:imsss="http://www.imsglobal.org/xsd/imsss"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="http://www.imsglobal.org/xsd/imscp_v1p1 imscp_v1p1.xsd http://www.adlnet.org/xsd/adlcp_v1p3 adlcp_v1p3.xsd http://www.adlnet.org/xsd/adlseq_v1p3 adlseq_v1p3.xsd http://www.adlnet.org/xsd/adlnav_v1p3 adlnav_v1p3.xsd http://www.imsglobal.org/xsd/imsss imsss_v1p0.xsd">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>2004 ${edition === 3 ? '3rd' : '4th'} Edition</schemaversion>
  </metadata>
  <organizations default="${orgId}">
    <organization identifier="${orgId}">
      <title>${escapeText(input.title)}</title>
${items}
    </organization>
  </organizations>
${resourcesXml(scos, input.files, 'adlcp:scormType')}
</manifest>
`;
}
