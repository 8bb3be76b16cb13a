import { escapeAttr, toXmlId } from '../xml/escape.js';
import { encodeHref, encodePath, type ManifestItem } from './model.js';

/** Identifier of the item, from its seed or its position. */
export function itemId(item: ManifestItem, n: number): string {
  return toXmlId(`ITEM-${item.identifier ?? n}`);
}

/** Identifier of the resource a leaf item launches. */
export function resourceId(item: ManifestItem, n: number): string {
  return toXmlId(`RES-${item.identifier ?? n}`);
}

export const ASSETS_ID = 'RES-ASSETS';

/**
 * The `<resources>` block shared by SCORM 1.2 and 2004: one SCO resource per launchable item, each
 * depending on one asset resource that lists every file in the package.
 */
export function resourcesXml(
  scos: { item: ManifestItem; n: number }[],
  files: string[],
  scormTypeAttr: 'adlcp:scormtype' | 'adlcp:scormType',
): string {
  const lines = ['  <resources>'];
  for (const { item, n } of scos) {
    const href = item.href ?? '';
    const path = href.replace(/[?#].*$/, '');
    lines.push(
      `    <resource identifier="${resourceId(item, n)}" type="webcontent" ${scormTypeAttr}="sco" href="${escapeAttr(encodeHref(href))}">`,
      `      <file href="${escapeAttr(encodePath(path))}"/>`,
      `      <dependency identifierref="${ASSETS_ID}"/>`,
      '    </resource>',
    );
  }
  lines.push(`    <resource identifier="${ASSETS_ID}" type="webcontent" ${scormTypeAttr}="asset">`);
  for (const file of files) lines.push(`      <file href="${escapeAttr(encodePath(file))}"/>`);
  lines.push('    </resource>', '  </resources>');
  return lines.join('\n');
}
