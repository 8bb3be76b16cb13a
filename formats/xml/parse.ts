import { FormatError } from '../errors.js';

/** One element of a parsed document; names are resolved against their namespace declarations. */
export interface XmlElement {
  /** The name as written, e.g. `adlcp:masteryscore`. */
  qname: string;
  /** The local part, e.g. `masteryscore`. */
  local: string;
  /** The namespace URI, or '' when none is in scope. */
  ns: string;
  /** Attributes by their name as written. */
  attrs: Record<string, string>;
  /** Attributes by `{namespace}local` ('' namespace for unprefixed ones: `{}local`). */
  nsAttrs: Record<string, string>;
  children: XmlElement[];
  /** Concatenated character data directly inside this element. */
  text: string;
}

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const MAX_DEPTH = 256;

function fail(message: string): never {
  throw new FormatError('invalid_package', `XML: ${message}`);
}

/** Replaces the five predefined entities and numeric references; anything else is refused. */
function decodeEntities(raw: string): string {
  if (!raw.includes('&')) return raw;
  let out = '';
  let i = 0;
  while (i < raw.length) {
    const amp = raw.indexOf('&', i);
    if (amp < 0) {
      out += raw.slice(i);
      break;
    }
    out += raw.slice(i, amp);
    const semi = raw.indexOf(';', amp);
    if (semi < 0 || semi - amp > 12) fail('unterminated entity reference');
    const name = raw.slice(amp + 1, semi);
    if (name.startsWith('#')) {
      const code = name[1] === 'x' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
      if (!Number.isInteger(code) || code <= 0 || code > 0x10ffff) fail(`bad character reference &${name};`);
      out += String.fromCodePoint(code);
    } else {
      const ch = PREDEFINED[name];
      if (ch === undefined) fail(`entity &${name}; is not allowed (only the five predefined ones)`);
      out += ch;
    }
    i = semi + 1;
  }
  return out;
}

function isNameChar(c: string): boolean {
  return !(c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '>' || c === '/' || c === '=');
}

interface Frame {
  el: XmlElement;
  scope: Record<string, string>;
}

function resolve(el: XmlElement, scope: Record<string, string>): void {
  const colon = el.qname.indexOf(':');
  const prefix = colon < 0 ? '' : el.qname.slice(0, colon);
  el.local = colon < 0 ? el.qname : el.qname.slice(colon + 1);
  const ns = prefix === 'xml' ? XML_NS : scope[prefix];
  if (ns === undefined) fail(`undeclared prefix "${prefix}" on <${el.qname}>`);
  el.ns = ns;
  for (const [name, value] of Object.entries(el.attrs)) {
    if (name === 'xmlns' || name.startsWith('xmlns:')) continue;
    const c = name.indexOf(':');
    if (c < 0) {
      el.nsAttrs[`{}${name}`] = value;
      continue;
    }
    const p = name.slice(0, c);
    const uri = p === 'xml' ? XML_NS : scope[p];
    if (uri === undefined) fail(`undeclared prefix "${p}" on attribute ${name}`);
    el.nsAttrs[`{${uri}}${name.slice(c + 1)}`] = value;
  }
}

/**
 * Parses a small XML document (a manifest) into elements. Safe by construction: no DTD is processed
 * (a DOCTYPE is skipped, its internal subset ignored), no external or custom entity is ever expanded,
 * and depth is capped. Throws `invalid_package` on malformed input.
 * @example parseXml('<a x="1"><b>hi</b></a>').children[0].text // 'hi'
 */
export function parseXml(source: string): XmlElement {
  const src = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  const stack: Frame[] = [];
  let root: XmlElement | undefined;
  let i = 0;
  const n = src.length;
  while (i < n) {
    const lt = src.indexOf('<', i);
    const textEnd = lt < 0 ? n : lt;
    if (textEnd > i) {
      const text = src.slice(i, textEnd);
      const top = stack[stack.length - 1];
      if (top) top.el.text += decodeEntities(text);
      else if (text.trim() !== '') fail('text outside the root element');
    }
    if (lt < 0) break;
    i = lt;
    if (src.startsWith('<!--', i)) {
      const end = src.indexOf('-->', i + 4);
      if (end < 0) fail('unterminated comment');
      i = end + 3;
    } else if (src.startsWith('<![CDATA[', i)) {
      const end = src.indexOf(']]>', i + 9);
      if (end < 0) fail('unterminated CDATA section');
      const top = stack[stack.length - 1];
      if (!top) fail('CDATA outside the root element');
      top.el.text += src.slice(i + 9, end);
      i = end + 3;
    } else if (src.startsWith('<?', i)) {
      const end = src.indexOf('?>', i + 2);
      if (end < 0) fail('unterminated processing instruction');
      i = end + 2;
    } else if (src.startsWith('<!DOCTYPE', i)) {
      if (root || stack.length > 0) fail('DOCTYPE after the root element');
      i = skipDoctype(src, i);
    } else if (src.startsWith('</', i)) {
      const end = src.indexOf('>', i);
      if (end < 0) fail('unterminated end tag');
      const name = src.slice(i + 2, end).trim();
      const top = stack.pop();
      if (!top || top.el.qname !== name) fail(`unexpected </${name}>`);
      i = end + 1;
    } else {
      i = parseStartTag(src, i + 1, stack, (el) => {
        if (root) fail('more than one root element');
        root = el;
      });
    }
  }
  if (stack.length > 0) fail(`<${stack[stack.length - 1]!.el.qname}> is never closed`);
  if (!root) fail('no root element');
  return root;
}

function skipDoctype(src: string, start: number): number {
  let depth = 0;
  for (let i = start + 9; i < src.length; i++) {
    const c = src[i];
    if (c === '[') depth++;
    else if (c === ']') depth--;
    else if (c === '>' && depth <= 0) return i + 1;
  }
  return fail('unterminated DOCTYPE');
}

function parseStartTag(src: string, start: number, stack: Frame[], onRoot: (el: XmlElement) => void): number {
  let i = start;
  while (i < src.length && isNameChar(src[i]!)) i++;
  const qname = src.slice(start, i);
  if (qname === '') fail('empty element name');
  const el: XmlElement = { qname, local: '', ns: '', attrs: {}, nsAttrs: {}, children: [], text: '' };
  for (;;) {
    while (i < src.length && /\s/.test(src[i]!)) i++;
    const c = src[i];
    if (c === undefined) fail(`unterminated <${qname}>`);
    if (c === '>' || (c === '/' && src[i + 1] === '>')) break;
    const nameStart = i;
    while (i < src.length && isNameChar(src[i]!)) i++;
    const name = src.slice(nameStart, i);
    while (/\s/.test(src[i] ?? '')) i++;
    if (name === '' || src[i] !== '=') fail(`malformed attribute in <${qname}>`);
    i++;
    while (/\s/.test(src[i] ?? '')) i++;
    const quote = src[i];
    if (quote !== '"' && quote !== "'") fail(`unquoted attribute ${name} in <${qname}>`);
    const end = src.indexOf(quote, i + 1);
    if (end < 0) fail(`unterminated attribute ${name} in <${qname}>`);
    const raw = src.slice(i + 1, end);
    if (raw.includes('<')) fail(`"<" in attribute ${name}`);
    if (name in el.attrs) fail(`duplicate attribute ${name} in <${qname}>`);
    // Attribute-value normalisation: literal whitespace becomes spaces, references keep theirs.
    el.attrs[name] = decodeEntities(raw.replace(/[\t\n\r]/g, ' '));
    i = end + 1;
  }
  const parent = stack[stack.length - 1];
  const scope: Record<string, string> = { ...(parent?.scope ?? { '': '' }) };
  for (const [name, value] of Object.entries(el.attrs)) {
    if (name === 'xmlns') scope[''] = value;
    else if (name.startsWith('xmlns:')) scope[name.slice(6)] = value;
  }
  resolve(el, scope);
  if (parent) parent.el.children.push(el);
  else onRoot(el);
  if (src[i] === '/') return i + 2;
  if (stack.length >= MAX_DEPTH) fail('elements nested too deeply');
  stack.push({ el, scope });
  return i + 1;
}

/** Children of `el` with this local name (and namespace, when given). */
export function childrenNamed(el: XmlElement, local: string, ns?: string): XmlElement[] {
  return el.children.filter((c) => c.local === local && (ns === undefined || c.ns === ns));
}

/** The first child with this local name, if any. */
export function childNamed(el: XmlElement, local: string, ns?: string): XmlElement | undefined {
  return el.children.find((c) => c.local === local && (ns === undefined || c.ns === ns));
}

/** An attribute by local name whatever its prefix (manifests in the wild vary the adlcp prefix). */
export function attrLocal(el: XmlElement, local: string): string | undefined {
  const lower = local.toLowerCase();
  for (const [key, value] of Object.entries(el.nsAttrs)) {
    const name = key.slice(key.indexOf('}') + 1);
    if (name.toLowerCase() === lower) return value;
  }
  return undefined;
}

export { XML_NS };
