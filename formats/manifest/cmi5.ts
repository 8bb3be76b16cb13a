import { escapeAttr, escapeText } from '../xml/escape.js';
import { encodeHref, formatDecimal, type ManifestInput, type ManifestItem, numberItems } from './model.js';

/** cmi5 options beyond the shared manifest input. */
export interface Cmi5Options {
  /** Absolute IRI of the course; AU and block ids hang below it. */
  iri: string;
  /** Default `CompletedOrPassed` when a mastery score is set, else `Completed`. */
  moveOn?: 'NotApplicable' | 'Passed' | 'Completed' | 'CompletedAndPassed' | 'CompletedOrPassed';
  launchMethod?: 'AnyWindow' | 'OwnWindow';
}

function text(value: string, lang: string, pad: string): string {
  return `${pad}  <langstring lang="${escapeAttr(lang)}">${escapeText(value)}</langstring>`;
}

/**
 * Writes `cmi5.xml`: the course, then one `<au>` per launchable item (nested items become blocks), each
 * with a relative URL, moveOn and, when set, masteryScore.
 * @example writeCmi5Manifest({ id: 'intro', title: 'Intro', files: [], items: [{ title: 'Intro', href: 'index.html' }] }, { iri: 'urn:coursegate:course:intro' })
 */
export function writeCmi5Manifest(input: ManifestInput, options: Cmi5Options): string {
  const lang = input.language ?? 'en';
  const numbers = numberItems(input.items);
  const texts = (title: string, description: string, pad: string) =>
    [
      `${pad}  <title>`,
      text(title, lang, `${pad}  `),
      `${pad}  </title>`,
      `${pad}  <description>`,
      text(description, lang, `${pad}  `),
      `${pad}  </description>`,
    ].join('\n');
  const nodeXml = (item: ManifestItem, depth: number): string => {
    const n = numbers.get(item)!;
    const pad = '  '.repeat(depth);
    const seed = encodeURIComponent(item.identifier ?? String(n));
    if (item.children?.length) {
      return [
        `${pad}<block id="${escapeAttr(`${options.iri}/block/${seed}`)}">`,
        texts(item.title, item.description ?? item.title, pad),
        ...item.children.map((c) => nodeXml(c, depth + 1)),
        `${pad}</block>`,
      ].join('\n');
    }
    const moveOn = options.moveOn ?? (item.masteryScore === undefined ? 'Completed' : 'CompletedOrPassed');
    const mastery =
      item.masteryScore === undefined ? '' : ` masteryScore="${formatDecimal(item.masteryScore)}"`;
    const launchMethod = options.launchMethod ?? 'AnyWindow';
    const url = encodeHref(item.href ?? '') + (item.parameters ?? '');
    return [
      `${pad}<au id="${escapeAttr(`${options.iri}/au/${seed}`)}" moveOn="${moveOn}"${mastery} launchMethod="${launchMethod}">`,
      texts(item.title, item.description ?? item.title, pad),
      `${pad}  <url>${escapeText(url)}</url>`,
      `${pad}</au>`,
    ].join('\n');
  };
  return `<?xml version="1.0" encoding="UTF-8"?>
<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
  <course id="${escapeAttr(options.iri)}">
${texts(input.title, input.description ?? input.title, '  ')}
  </course>
${input.items.map((i) => nodeXml(i, 1)).join('\n')}
</courseStructure>
`;
}
