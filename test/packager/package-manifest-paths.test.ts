import { describe, expect, it } from 'vitest';
import { readCmi5Structure } from '../../formats/inspect/cmi5.js';
import { readScormManifest } from '../../formats/inspect/scorm.js';
import { PACKAGE_FORMATS, packageManifest } from '../../formats/manifest/package-manifest.js';
import { parseXml } from '../../formats/xml/parse.js';
import { validateXml } from '../helpers/xmllint.js';
import { baseCourse } from './fixtures.js';

const files = ['index.html', 'leçon 2.html', 'media/clip 1.mp4'].map((path) => ({ path }));
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('packageManifest: launch paths are file paths, written encoded once', () => {
  for (const format of PACKAGE_FORMATS) {
    it(`${format}: decoded, percent-encoded and query-carrying hrefs all name the stored file`, async () => {
      const { manifest } = packageManifest({
        files,
        course: baseCourse,
        format,
        items: [
          { title: 'One', href: 'index.html' },
          // As stored: the writer encodes it.
          { title: 'Two', href: 'leçon 2.html?x=1' },
          // As recorded by an inspector that left launch URLs percent-encoded: matched, not re-encoded.
          { title: 'Three', href: 'le%C3%A7on%202.html' },
        ],
      });
      const xml = text(manifest.bytes);
      expect(xml).not.toContain('%25');
      expect(xml).not.toContain('leçon 2.html');
      await validateXml({ xml }, format);
      const info = format === 'cmi5' ? readCmi5Structure(parseXml(xml)) : readScormManifest(parseXml(xml));
      expect(info.launchables.map((l) => l.launchUrl)).toEqual([
        'index.html',
        'leçon 2.html?x=1',
        'leçon 2.html',
      ]);
    });
  }

  it('matches an entry written in another Unicode form (NFD zip, NFC manifest)', () => {
    const nfd = 'lec\u0327on 2.html';
    const { manifest } = packageManifest({
      files: [{ path: nfd }],
      course: { ...baseCourse, entry: 'leçon 2.html' },
      format: 'scorm12',
    });
    expect(text(manifest.bytes)).toContain(`href="${encodeURIComponent(nfd)}"`);
  });

  it('still refuses a page that is not among the files, by name', () => {
    expect(() =>
      packageManifest({ files, course: { ...baseCourse, entry: 'lecon%202.html' }, format: 'scorm12' }),
    ).toThrow('entry page "lecon%202.html" is not in the package');
  });
});
