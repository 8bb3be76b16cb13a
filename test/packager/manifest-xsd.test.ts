import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import {
  buildPackage,
  type Course,
  inspectPackage,
  type ManifestInput,
  writeCmi5Manifest,
  writeScorm12Manifest,
  writeScorm2004Manifest,
} from '../../packager/index.js';
import { sharedFile } from '../helpers/shared.js';
import { validateXml } from '../helpers/xmllint.js';
import { baseCourse, makeCourseDir, removeDir, tempDir } from './fixtures.js';

const standards = sharedFile('standards/scorm-xsd/scorm12-package.xsd');
const HOSTILE_TITLE = `Tom & Jerry's <"great"> escape — café ñ 日本語 ]]> done`;

const configs: [string, Course][] = [
  ['plain, no mastery score', baseCourse],
  [
    'hostile title and description, mastery 0.8',
    { ...baseCourse, title: HOSTILE_TITLE, description: `a < b & "c" 'd' ü`, masteryScore: 0.8 },
  ],
  [
    'id starting with a digit, mastery 1, language fr-CA',
    { ...baseCourse, id: '2024.course-A_b', masteryScore: 1, language: 'fr-CA' },
  ],
  [
    'mastery 0, entry in a subfolder with spaces',
    { ...baseCourse, entry: 'pages/start page.html', masteryScore: 0 },
  ],
];

const out = tempDir();
afterAll(() => removeDir(out));

function manifestOf(zip: string, name: string): string {
  const files = unzipSync(readFileSync(zip), { filter: (f) => f.name === name });
  return new TextDecoder().decode(files[name]);
}

describe.skipIf(!standards.path)(
  `generated manifests validate against ../shared/standards ${standards.reason}`,
  () => {
    for (const [label, course] of configs) {
      const dir = makeCourseDir({
        [course.entry]: '<!doctype html><title>x</title>',
        'media/clip.mp4': new Uint8Array(64),
        'odd & name.txt': 'x',
      });
      afterAll(() => removeDir(dir));
      for (const [format, edition] of [['scorm12'], ['scorm2004', 3], ['scorm2004', 4], ['cmi5']] as const) {
        it(`${format}${edition ? ` ${edition === 3 ? '3rd' : '4th'} edition` : ''}: ${label}`, async () => {
          const zip = join(
            out,
            `${course.id}-${format}-${edition ?? ''}-${configs.findIndex((c) => c[1] === course)}.zip`,
          );
          await buildPackage({ input: dir, course, format, output: zip, ...(edition ? { edition } : {}) });
          const name = format === 'cmi5' ? 'cmi5.xml' : 'imsmanifest.xml';
          await validateXml({ xml: manifestOf(zip, name) }, format);
          // What a reader sees is what the author wrote, escaping and all.
          const info = await inspectPackage(zip);
          expect(info.title).toBe(course.title);
          expect(info.standard).toBe(format);
          expect(info.edition).toBe(format === 'scorm2004' ? edition : null);
          expect(info.masteryScore).toBe(course.masteryScore);
          expect(info.launchables.map((l) => decodeURI(l.launchUrl))).toEqual([course.entry]);
        });
      }
    }

    it('multi-SCO manifests keep their organization (nested items, parameters, per-item mastery)', async () => {
      const input: ManifestInput = {
        id: 'third-party',
        title: 'Golf & friends',
        files: ['a.html', 'b.html', 'shared/quiz.html'],
        items: [
          {
            title: 'Part 1',
            children: [
              { title: 'A', href: 'a.html' },
              { title: 'B', href: 'b.html', masteryScore: 0.5 },
            ],
          },
          { title: 'Quiz <1>', href: 'shared/quiz.html', parameters: '?questions=1', identifier: 'quiz' },
        ],
      };
      await validateXml({ xml: writeScorm12Manifest(input) }, 'scorm12');
      await validateXml({ xml: writeScorm2004Manifest(input, 3) }, 'scorm2004');
      await validateXml({ xml: writeScorm2004Manifest(input, 4) }, 'scorm2004');
      await validateXml({ xml: writeCmi5Manifest(input, { iri: 'https://example.com/c?a=1&b=2' }) }, 'cmi5');
      expect(writeCmi5Manifest(input, { iri: 'urn:x' })).toContain('<url>shared/quiz.html?questions=1</url>');
      expect(writeCmi5Manifest(input, { iri: 'urn:x' })).toContain('<block id="urn:x/block/1">');
    });

    it('keeps an absolute AU URL as written (gated cmi5 packages launch on the content origin)', async () => {
      const xml = writeCmi5Manifest(
        {
          id: 'g',
          title: 'Gated',
          files: [],
          items: [
            {
              title: 'G',
              href: 'https://cdn.example.com/courses/g/_coursegate/cmi5-launch.html?t=t.o.k&au=a',
            },
          ],
        },
        { iri: 'https://gk.example.com/courses/g' },
      );
      await validateXml({ xml }, 'cmi5');
      expect(xml).toContain(
        '<url>https://cdn.example.com/courses/g/_coursegate/cmi5-launch.html?t=t.o.k&amp;au=a</url>',
      );
    });
  },
);
