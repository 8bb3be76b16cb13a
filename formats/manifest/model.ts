/**
 * One entry of a course's table of contents. A leaf with `href` is a launchable unit (a SCO in SCORM,
 * an AU in cmi5); an entry with `children` groups others (an item cluster in SCORM, a block in cmi5).
 */
export interface ManifestItem {
  title: string;
  /** Stable identifier seed; defaults to the position in the tree. */
  identifier?: string;
  description?: string;
  /** Launch page relative to the package root (may carry its own `?query`). */
  href?: string;
  /** Query string or fragment appended at launch (`?lesson=2`), as SCORM item parameters / cmi5 url query. */
  parameters?: string;
  /** Scaled 0..1. */
  masteryScore?: number;
  children?: ManifestItem[];
}

/** Everything a manifest writer needs: the course and its table of contents. */
export interface ManifestInput {
  /** Course id; seeds the manifest, organization and resource identifiers. */
  id: string;
  title: string;
  description?: string;
  version?: string;
  /** BCP 47 language of the texts; default `en`. */
  language?: string;
  items: ManifestItem[];
  /** Every file in the package (forward slashes), listed in the SCORM asset resource. */
  files: string[];
}

/** A decimal without exponent or trailing zeros: 0.8 → "0.8", 1 → "1". */
export function formatDecimal(value: number): string {
  const fixed = value.toFixed(6).replace(/0+$/, '').replace(/\.$/, '');
  return fixed === '-0' ? '0' : fixed;
}

/** Percent-encodes each path segment so any file name is a valid relative URI reference. */
export function encodePath(path: string): string {
  return path
    .split('/')
    .map((s) => encodeURIComponent(s))
    .join('/');
}

/** Whether `href` is an absolute URL (`https://…`), which cmi5 AUs and gated stubs may launch. */
export function isAbsoluteUrl(href: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(href);
}

/** `href` for a launch: the encoded path, keeping any query or fragment the caller wrote; absolute URLs as is. */
export function encodeHref(href: string): string {
  if (isAbsoluteUrl(href)) return href;
  const cut = href.search(/[?#]/);
  if (cut < 0) return encodePath(href);
  return encodePath(href.slice(0, cut)) + href.slice(cut);
}

/** Walks the tree depth-first, numbering items 1, 2, ... in document order. */
export function numberItems(items: ManifestItem[]): Map<ManifestItem, number> {
  const numbers = new Map<ManifestItem, number>();
  const walk = (list: ManifestItem[]) => {
    for (const item of list) {
      numbers.set(item, numbers.size + 1);
      if (item.children) walk(item.children);
    }
  };
  walk(items);
  return numbers;
}

/** Leaves that launch, in document order. */
export function launchables(items: ManifestItem[]): ManifestItem[] {
  const out: ManifestItem[] = [];
  const walk = (list: ManifestItem[]) => {
    for (const item of list) {
      if (item.children?.length) walk(item.children);
      else if (item.href) out.push(item);
    }
  };
  walk(items);
  return out;
}
