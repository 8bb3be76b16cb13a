import { describe, expect, it } from 'vitest';
import { gatedCmi5Files } from '../../formats/gated/gated-cmi5-files.js';
import { scormLaunches } from '../../formats/gated/scorm-launches.js';
import { applyParameters, decodePath, resolveHref } from '../../formats/inspect/launch-url.js';
import { readScormManifest } from '../../formats/inspect/scorm.js';
import { parseXml } from '../../formats/xml/parse.js';

describe('resolveHref: file paths decoded, queries kept as URLs', () => {
  it('a plain, a spaced and an accented href name the files as the zip stores them', () => {
    expect(resolveHref([], 'index.html')).toBe('index.html');
    expect(resolveHref([], 'lesson 1.html')).toBe('lesson 1.html');
    expect(resolveHref([], 'leçon 2.html')).toBe('leçon 2.html');
  });

  it('an already-encoded href is decoded once, never twice', () => {
    expect(resolveHref([], 'le%C3%A7on%202.html')).toBe('leçon 2.html');
    expect(resolveHref([], 'lesson%201.html')).toBe('lesson 1.html');
    // `%25` is a literal percent sign in the file name: decoding twice would read `%20` as a space.
    expect(resolveHref([], '100%2520.html')).toBe('100%20.html');
  });

  it('xml:base folders with spaces and accents are decoded with the href', () => {
    expect(resolveHref(['my course/', 'unité%201/'], 'leçon 2.html')).toBe('my course/unité 1/leçon 2.html');
  });

  it('keeps the query and fragment as the URL parser writes them', () => {
    expect(resolveHref([], 'leçon 2.html?x=1')).toBe('leçon 2.html?x=1');
    expect(resolveHref([], 'le%C3%A7on%202.html?x=1&y=a%20b#top')).toBe('leçon 2.html?x=1&y=a%20b#top');
    expect(resolveHref([], 'page.html?q=é')).toBe('page.html?q=%C3%A9');
  });

  it('leaves absolute URLs encoded: they are not files of the package', () => {
    expect(resolveHref([], 'https://cdn.example.com/le%C3%A7on 2.html?x=1')).toBe(
      'https://cdn.example.com/le%C3%A7on%202.html?x=1',
    );
  });
});

describe('decodePath', () => {
  it('decodes each segment', () => {
    expect(decodePath('a%20b/c%C3%A9.html')).toBe('a b/cé.html');
  });

  it('keeps a segment as written when decoding fails or would change the path structure', () => {
    expect(decodePath('100%.html')).toBe('100%.html');
    expect(decodePath('a%2Fb.html')).toBe('a%2Fb.html');
    expect(decodePath('what%3F.html')).toBe('what%3F.html');
    expect(decodePath('tag%23.html')).toBe('tag%23.html');
    expect(decodePath('dir%5Cx.html')).toBe('dir%5Cx.html');
  });
});

describe('applyParameters on a decoded launch path', () => {
  it('appends with ? or & and keeps the fragment last', () => {
    expect(applyParameters('leçon 2.html', '?x=1')).toBe('leçon 2.html?x=1');
    expect(applyParameters('leçon 2.html?a=1', '&x=1')).toBe('leçon 2.html?a=1&x=1');
    expect(applyParameters('leçon 2.html#top', 'x=1')).toBe('leçon 2.html?x=1#top');
  });
});

const MANIFEST = `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="M" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <organizations default="o"><organization identifier="o"><title>Cours</title>
    <item identifier="i1" identifierref="r1"><title>Un</title></item>
    <item identifier="i2" identifierref="r2"><title>Deux</title></item>
    <item identifier="i3" identifierref="r3" parameters="?x=1"><title>Trois</title></item>
  </organization></organizations>
  <resources>
    <resource identifier="r1" type="webcontent" adlcp:scormtype="sco" href="index.html"/>
    <resource identifier="r2" type="webcontent" adlcp:scormtype="sco" href="le%C3%A7on%202.html"/>
    <resource identifier="r3" type="webcontent" adlcp:scormtype="sco" href="leçon 3.html"/>
  </resources>
</manifest>`;

describe('SCORM launch URLs and what is built from them', () => {
  it('readScormManifest gives decoded paths, item parameters applied', () => {
    const info = readScormManifest(parseXml(MANIFEST));
    expect(info.launchables.map((l) => l.launchUrl)).toEqual([
      'index.html',
      'leçon 2.html',
      'leçon 3.html?x=1',
    ]);
    // `href` stays as written in the manifest.
    expect(info.launchables[1]!.href).toBe('le%C3%A7on%202.html');
  });

  it('a gated SCORM page sits at the stored path; a gated cmi5 AU URL encodes it exactly once', () => {
    expect(scormLaunches(parseXml(MANIFEST)).map((l) => l.path)).toEqual([
      'index.html',
      'leçon 2.html',
      'leçon 3.html',
    ]);
    const cmi5 = `<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"><course id="urn:c"/>
  <au id="urn:a1"><url>index.html</url></au><au id="urn:a2"><url>le%C3%A7on%202.html</url></au></courseStructure>`;
    const [file] = gatedCmi5Files({
      cmi5: new TextEncoder().encode(cmi5),
      launchPageUrl: 'https://cdn.example/l.html',
      token: 't',
      entry: 'index.html',
    });
    const url = new TextDecoder()
      .decode(file!.bytes)
      .match(/<url>([^<]*)<\/url><\/au><\/courseStructure>/)![1]!;
    expect(url).toContain('le%C3%A7on%202.html');
    expect(url).not.toContain('%25');
  });
});
