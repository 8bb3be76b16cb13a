import { SaxesParser } from 'saxes';
import { FormatError } from '../errors.js';
import { decodePath, resolveHref } from '../inspect/launch-url.js';
import { AU_PARAM, TOKEN_PARAM } from '../launch-pages/cmi5-launch-query.js';
import { isAbsoluteUrl } from '../manifest/model.js';
import { escapeText } from '../xml/escape.js';
import type { GatedFile } from './gated-scorm-files.js';

const CMI5_NS = 'https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd';

export interface GatedCmi5FilesOptions {
  /** The course's `cmi5.xml`, UTF-8: the deployment's own, or the export's. */
  cmi5: Uint8Array;
  /** Absolute URL of the course's launch page on the content origin (`…/_coursegate/cmi5-launch.html`). */
  launchPageUrl: string;
  token: string;
  /** The live deployment's entry: a course whose only AU launches it gets a URL without `au`. */
  entry: string;
}

/**
 * The absolute AU URL of a gated cmi5 package: the launch page with the license token and, unless the AU
 * is the course's only one and launches the live entry, the AU's original url (relative to the deployment
 * root, its own query included). The LMS appends its launch parameters.
 * @example
 * gatedCmi5AuUrl('https://cdn.example/courses/c1/_coursegate/cmi5-launch.html', token, 'index.html?pages=2');
 */
export function gatedCmi5AuUrl(launchPageUrl: string, token: string, au?: string): string {
  const auPart = au === undefined ? '' : `&${AU_PARAM}=${encodeURIComponent(au)}`;
  return `${launchPageUrl}?${TOKEN_PARAM}=${encodeURIComponent(token)}${auPart}`;
}

interface UrlText {
  /** Where the element's content starts and ends in the document (string indexes). */
  start: number;
  end: number;
  value: string;
}

/** Every `<au><url>` of a cmi5 course structure, located in `xml` by saxes (no DTD, no external entities). */
function auUrls(xml: string): { urls: UrlText[]; aus: number } {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: { uri: string; local: string }[] = [];
  const urls: UrlText[] = [];
  let aus = 0;
  let open: UrlText | undefined;
  parser.on('opentag', (tag) => {
    const parent = stack.at(-1);
    const el = { uri: tag.uri, local: tag.local };
    if (el.uri === CMI5_NS && el.local === 'au') aus++;
    const isUrl =
      el.uri === CMI5_NS && el.local === 'url' && parent?.uri === CMI5_NS && parent.local === 'au';
    if (isUrl && !tag.isSelfClosing) open = { start: parser.position, end: -1, value: '' };
    stack.push(el);
  });
  const onText = (text: string) => {
    if (open && stack.at(-1)?.local === 'url') open.value += text;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', () => {
    stack.pop();
    if (open && stack.at(-1)?.local === 'au') {
      // The content ends where this end tag starts: the last `</` before the parser's position.
      open.end = xml.lastIndexOf('</', parser.position - 1);
      urls.push(open);
      open = undefined;
    }
  });
  parser.on('error', (err) => {
    throw new FormatError('invalid_package', `cmi5.xml: ${err.message}`);
  });
  parser.write(xml).close();
  return { urls, aus };
}

/**
 * The one file of a gated cmi5 package: the course's `cmi5.xml` with only each AU's `<url>` text replaced,
 * spliced by position so every other byte is kept. Each relative url becomes the course's launch page with
 * the license token and `au=<the original url>`; a course with one AU launching the live deployment's entry
 * leaves `au` out, so it follows the entry of whatever deployment is promoted later. Absolute urls (AUs
 * hosted elsewhere) are left alone.
 */
export function gatedCmi5Files(options: GatedCmi5FilesOptions): GatedFile[] {
  let xml: string;
  try {
    xml = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(options.cmi5);
  } catch {
    throw new FormatError('invalid_package', 'cmi5.xml is not UTF-8');
  }
  const { urls, aus } = auUrls(xml);
  let out = '';
  let from = 0;
  for (const url of urls) {
    const value = url.value.trim();
    if (value === '' || isAbsoluteUrl(value)) continue;
    // The path as the file it names, dot segments gone (the launch page accepts no other form).
    const au = resolveHref([], value);
    const entry = aus === 1 && (au === options.entry || au === decodePath(options.entry));
    const gated = gatedCmi5AuUrl(options.launchPageUrl, options.token, entry ? undefined : au);
    out += xml.slice(from, url.start) + escapeText(gated);
    from = url.end;
  }
  out += xml.slice(from);
  return [{ path: 'cmi5.xml', bytes: new TextEncoder().encode(out) }];
}
