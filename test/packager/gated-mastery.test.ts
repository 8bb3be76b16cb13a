import { describe, expect, it } from 'vitest';
import { gatedItemsFrom, gatedLeaves } from '../../packager/gated/index.js';
import { readScormManifest } from '../../packager/inspect/scorm.js';
import { writeScorm12Manifest } from '../../packager/manifest/scorm12.js';
import { writeScorm2004Manifest } from '../../packager/manifest/scorm2004.js';
import { parseXml } from '../../packager/xml/parse.js';

const input = {
  id: 'quiz',
  title: 'Quiz',
  files: ['a.html', 'b.html'],
  items: [
    { title: 'Graded', href: 'a.html', masteryScore: 0.6 },
    { title: 'Ungraded', href: 'b.html' },
  ],
};

// The LMS judges pass/fail against the manifest's mastery score: a gated copy must carry the original's.
describe('gated items keep each SCO’s mastery score', () => {
  it.each([
    ['SCORM 1.2 adlcp:masteryscore', writeScorm12Manifest(input)],
    ['SCORM 2004 minNormalizedMeasure', writeScorm2004Manifest(input, 4)],
  ])('%s', (_, xml) => {
    const info = readScormManifest(parseXml(xml));
    const leaves = gatedLeaves(gatedItemsFrom(info.organizations[0]!.items, info.launchables));
    expect(leaves.map((l) => [l.title, l.masteryScore])).toEqual([
      ['Graded', 0.6],
      ['Ungraded', undefined],
    ]);
    // SCORM items are not cmi5 AUs.
    expect(leaves.every((l) => l.cmi5 === undefined)).toBe(true);
  });
});
