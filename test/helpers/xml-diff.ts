import { DOMParser } from '@xmldom/xmldom';

/**
 * A structural comparison of two XML documents with @xmldom/xmldom, a parser the production code does not
 * use: every node in order (the XML declaration, doctype, comments, processing instructions, whitespace
 * text), every element's name and namespace, every attribute in order with its namespace and value.
 */
export interface XmlDifference {
  /** XPath-like: `/manifest[1]/organizations[1]/organization[1]/item[2]/@identifier`, `…/url[1]/text()[1]`. */
  path: string;
  original: string;
  other: string;
}

/** Parses strictly: any error or warning throws, naming it. */
export function parseXmlDocument(xml: string): Document {
  const parser = new DOMParser({
    onError: (level: string, message: string) => {
      throw new Error(`xmldom ${level}: ${message}`);
    },
  });
  return parser.parseFromString(xml, 'text/xml') as unknown as Document;
}

/** How a node reads, for comparison and for the report. */
function describe(node: Node): string {
  switch (node.nodeType) {
    case 1: {
      const el = node as Element;
      return `<${el.nodeName}> in ${el.namespaceURI ?? '(no namespace)'}`;
    }
    case 3:
      return `text ${JSON.stringify((node as Text).data)}`;
    case 4:
      return `cdata ${JSON.stringify((node as CDATASection).data)}`;
    case 7: {
      const pi = node as ProcessingInstruction;
      return `<?${pi.target} ${pi.data}?>`;
    }
    case 8:
      return `comment ${JSON.stringify((node as Comment).data)}`;
    case 10: {
      const d = node as DocumentType & { internalSubset?: string };
      return `<!DOCTYPE ${d.name} public=${d.publicId} system=${d.systemId} [${d.internalSubset ?? ''}]>`;
    }
    default:
      return `node type ${node.nodeType}`;
  }
}

function step(node: Node): string {
  switch (node.nodeType) {
    case 1:
      return node.nodeName;
    case 3:
      return 'text()';
    case 4:
      return 'cdata()';
    case 7:
      return `processing-instruction(${(node as ProcessingInstruction).target})`;
    case 8:
      return 'comment()';
    case 10:
      return '!DOCTYPE';
    default:
      return `node(${node.nodeType})`;
  }
}

/** Each child with its path step, numbered among siblings of the same step (`item[2]`). */
function children(parent: Node, path: string): { node: Node; path: string }[] {
  const seen = new Map<string, number>();
  return Array.from(parent.childNodes).map((node) => {
    const s = step(node);
    const n = (seen.get(s) ?? 0) + 1;
    seen.set(s, n);
    return { node, path: `${path}/${s}[${n}]` };
  });
}

function attributes(el: Element): { name: string; text: string }[] {
  return Array.from(el.attributes).map((a) => ({
    name: a.name,
    text: `${a.name}{${a.namespaceURI ?? ''}}=${JSON.stringify(a.value)}`,
  }));
}

function compare(a: Node, b: Node, path: string, out: XmlDifference[]): void {
  if (describe(a) !== describe(b)) {
    out.push({ path, original: describe(a), other: describe(b) });
    return;
  }
  if (a.nodeType === 1) {
    const aa = attributes(a as Element);
    const ba = attributes(b as Element);
    for (let i = 0; i < Math.max(aa.length, ba.length); i++) {
      if (aa[i]?.text !== ba[i]?.text)
        out.push({
          path: `${path}/@${aa[i]?.name ?? ba[i]?.name}`,
          original: aa[i]?.text ?? '(none)',
          other: ba[i]?.text ?? '(none)',
        });
    }
  }
  compareChildren(a, b, path, out);
}

function compareChildren(a: Node, b: Node, path: string, out: XmlDifference[]): void {
  const ac = children(a, path);
  const bc = children(b, path);
  for (let i = 0; i < Math.max(ac.length, bc.length); i++) {
    const x = ac[i];
    const y = bc[i];
    if (x && y) compare(x.node, y.node, x.path, out);
    else if (x) out.push({ path: x.path, original: describe(x.node), other: '(missing)' });
    else if (y) out.push({ path: y.path, original: '(missing)', other: describe(y.node) });
  }
}

/**
 * Every place where `other` differs from `original`, by path; empty when they are the same document.
 * @example xmlDifferences(original, gated).map((d) => d.path) // ['/courseStructure[1]/au[1]/url[1]/text()[1]']
 */
export function xmlDifferences(original: string, other: string): XmlDifference[] {
  const out: XmlDifference[] = [];
  compareChildren(parseXmlDocument(original), parseXmlDocument(other), '', out);
  return out;
}
