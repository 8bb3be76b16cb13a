import type { PackageItem } from '../inspect/types.js';
import type { ManifestItem } from '../manifest/model.js';

/** One node of a gated course's table of contents. */
export interface GatedItem {
  title: string;
  identifier?: string;
  /** A SCO / AU: its launch path relative to the deployment root, item parameters folded in. */
  entry?: string;
  /** Scaled 0..1. */
  masteryScore?: number;
  children?: GatedItem[];
}

/** What a gated package describes: the course, never its content. */
export interface GatedCourse {
  id: string;
  title: string;
  description?: string;
  items: GatedItem[];
}

/** Leaves that launch, in document order. */
export function gatedLeaves(items: GatedItem[]): GatedItem[] {
  return items.flatMap((i) => (i.children?.length ? gatedLeaves(i.children) : i.entry ? [i] : []));
}

/**
 * Turns an inspected package's organization (SCORM items or cmi5 blocks/AUs) into gated items: each
 * launching item keeps its place and title, its launch URL (resolved, parameters applied) becomes the entry.
 */
export function gatedItemsFrom(items: PackageItem[]): GatedItem[] {
  const out: GatedItem[] = [];
  for (const item of items) {
    if (!item.isVisible && !item.children.length) continue;
    if (item.children.length) {
      const children = gatedItemsFrom(item.children);
      if (children.length) out.push({ title: item.title, identifier: item.identifier, children });
    } else if (item.launchUrl && !/^[a-z][a-z0-9+.-]*:/i.test(item.launchUrl)) {
      out.push({ title: item.title, identifier: item.identifier, entry: item.launchUrl });
    }
  }
  return out;
}

/** A gated item tree as the manifest writers take it: each leaf launches `pageOf(leaf)`. */
export function toManifestItems(items: GatedItem[], pageOf: (leaf: GatedItem) => string): ManifestItem[] {
  return items.map((i) => {
    const base: ManifestItem = { title: i.title };
    if (i.identifier !== undefined) base.identifier = i.identifier;
    if (i.children?.length) return { ...base, children: toManifestItems(i.children, pageOf) };
    return {
      ...base,
      href: pageOf(i),
      ...(i.masteryScore === undefined ? {} : { masteryScore: i.masteryScore }),
    };
  });
}
