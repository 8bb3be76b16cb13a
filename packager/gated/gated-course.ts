import type { Launchable, PackageItem } from '../inspect/types.js';
import type { Cmi5ItemDetails, ManifestItem } from '../manifest/model.js';

/** One node of a gated course's table of contents. */
export interface GatedItem {
  title: string;
  identifier?: string;
  /** A SCO / AU: its launch path relative to the deployment root, item parameters folded in. */
  entry?: string;
  /** Scaled 0..1. */
  masteryScore?: number;
  children?: GatedItem[];
  /** What the deployed course's own cmi5.xml said of this AU or block (ids, moveOn, ...). */
  cmi5?: Cmi5ItemDetails;
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

const MOVE_ON = ['NotApplicable', 'Passed', 'Completed', 'CompletedAndPassed', 'CompletedOrPassed'] as const;
const LAUNCH_METHOD = ['AnyWindow', 'OwnWindow'] as const;
const oneOf = <T extends string>(list: readonly T[], value: string | undefined): T | undefined =>
  list.find((v) => v === value);

/** The cmi5 attributes of an AU as the deployed cmi5.xml wrote them (unknown values left to the defaults). */
function auDetails(au: Launchable): Cmi5ItemDetails {
  const moveOn = oneOf(MOVE_ON, au.moveOn);
  const launchMethod = oneOf(LAUNCH_METHOD, au.launchMethod);
  return {
    id: au.id,
    ...(moveOn ? { moveOn } : {}),
    ...(launchMethod ? { launchMethod } : {}),
    ...(au.parameters === undefined ? {} : { launchParameters: au.parameters }),
  };
}

/**
 * Turns an inspected package's organization (SCORM items or cmi5 blocks/AUs) into gated items: each
 * launching item keeps its place and title, its launch URL (resolved, parameters applied) becomes the entry.
 * Given the package's `launchables`, each launching item keeps its mastery score (SCORM 1.2
 * `adlcp:masteryscore`, SCORM 2004 `minNormalizedMeasure`, cmi5 `masteryScore`), so the LMS judges
 * pass/fail of the gated copy as it would the original; cmi5 AUs and blocks also keep their ids, moveOn,
 * launchMethod and launchParameters.
 */
export function gatedItemsFrom(items: PackageItem[], launchables?: Launchable[]): GatedItem[] {
  const cmi5 = launchables?.some((l) => l.kind === 'au') ?? false;
  const out: GatedItem[] = [];
  for (const item of items) {
    if (!item.isVisible && !item.children.length) continue;
    if (item.children.length) {
      const children = gatedItemsFrom(item.children, launchables);
      if (!children.length) continue;
      out.push({
        title: item.title,
        identifier: item.identifier,
        children,
        ...(cmi5 && item.identifier ? { cmi5: { id: item.identifier } } : {}),
      });
    } else if (item.launchUrl && !/^[a-z][a-z0-9+.-]*:/i.test(item.launchUrl)) {
      const unit = launchables?.find((l) => l.kind !== 'asset' && l.id === item.identifier);
      out.push({
        title: item.title,
        identifier: item.identifier,
        entry: item.launchUrl,
        ...(unit?.masteryScore === undefined ? {} : { masteryScore: unit.masteryScore }),
        ...(unit?.kind === 'au' && unit.id ? { cmi5: auDetails(unit) } : {}),
      });
    }
  }
  return out;
}

/** A gated item tree as the manifest writers take it: each leaf launches `pageOf(leaf)`. */
export function toManifestItems(items: GatedItem[], pageOf: (leaf: GatedItem) => string): ManifestItem[] {
  return items.map((i) => {
    const base: ManifestItem = { title: i.title };
    if (i.identifier !== undefined) base.identifier = i.identifier;
    if (i.cmi5 !== undefined) base.cmi5 = i.cmi5;
    if (i.children?.length) return { ...base, children: toManifestItems(i.children, pageOf) };
    return {
      ...base,
      href: pageOf(i),
      ...(i.masteryScore === undefined ? {} : { masteryScore: i.masteryScore }),
    };
  });
}
