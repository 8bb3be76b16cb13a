import { strFromU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { gatedScormFiles } from '../../formats/gated/index.js';
import { manifestLaunchPaths } from '../helpers/manifest-launch-paths.js';

const MANIFEST = `<?xml version="1.0" encoding="UTF-8"?>
<!-- kept -->
<manifest identifier="M" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" xml:base="course/">
  <organizations default="o"><organization identifier="o"><title>Cours</title>
    <item identifier="i1" identifierref="r1" parameters="?p=1"><title>Un</title></item>
    <item identifier="i2" identifierref="r2"><title>Deux</title></item>
    <item identifier="i3" identifierref="r3"><title>Trois</title></item>
    <item identifier="i4" identifierref="r4"><title>Quatre</title></item>
    <item identifier="i5" identifierref="r5"><title>Cinq</title></item>
    <item identifier="i6" identifierref="r6"><title>Six</title></item>
  </organization></organizations>
  <resources xml:base="lessons/">
    <resource identifier="r1" type="webcontent" adlcp:scormType="sco" href="le%C3%A7on%201.html?x=1#top"/>
    <resource identifier="r2" type="webcontent" adlcp:scormType="asset" href="page.html"/>
    <resource identifier="r3" type="webcontent" adlcp:scormType="sco" xml:base="../shared/" href="launch.html?c=a"/>
    <resource identifier="r4" type="webcontent" adlcp:scormType="asset" xml:base="../shared/" href="launch.html?c=b"/>
    <resource identifier="r5" type="webcontent" adlcp:scormType="sco" href="https://cdn.example/elsewhere.html"/>
    <resource identifier="r6" type="webcontent" adlcp:scormType="asset" href="notes.html"/>
  </resources>
</manifest>
`;

const files = () =>
  gatedScormFiles({
    manifest: new TextEncoder().encode(MANIFEST),
    standard: 'scorm2004',
    gatekeeperUrl: 'https://gate.example',
    token: 'a.b.c',
    stubScript: new TextEncoder().encode('/* stub */'),
    title: 'Course',
  });
const config = (html: string) =>
  JSON.parse(/<script type="application\/json" id="coursegate-config">([^<]*)<\/script>/.exec(html)![1]!);

describe('gatedScormFiles', () => {
  it('keeps the manifest to the byte and puts a stub page where each launched href resolves', () => {
    const out = files();
    expect(strFromU8(out.find((f) => f.path === 'imsmanifest.xml')!.bytes)).toBe(MANIFEST);
    // xml:base of manifest, resources and resource applied; query and fragment stripped; decoded; an
    // absolute href left alone; two resources on one path share one page.
    expect(out.map((f) => f.path).sort()).toEqual(
      [
        'imsmanifest.xml',
        'coursegate-stub.js',
        'course/lessons/leçon 1.html',
        'course/lessons/page.html',
        'course/shared/launch.html',
        'course/lessons/notes.html',
      ].sort(),
    );
    // The same expectation, worked out by the xmldom + URL-parser oracle the conformance test uses.
    expect([...manifestLaunchPaths(MANIFEST).keys()].sort()).toEqual(
      out
        .map((f) => f.path)
        .filter((p) => p.endsWith('.html'))
        .sort(),
    );
  });

  it('each page names its own path, the root stub by a relative URL, and is an asset only when all its resources are', () => {
    const page = (path: string) => strFromU8(files().find((f) => f.path === path)!.bytes);
    expect(config(page('course/lessons/leçon 1.html'))).toEqual({
      gatekeeper: 'https://gate.example',
      token: 'a.b.c',
      standard: 'scorm2004',
      entry: 'course/lessons/leçon 1.html',
      // The href's query and the item's parameters: the only query the stub passes on to the content.
      query: ['x', 'p'],
    });
    expect(page('course/lessons/leçon 1.html')).toContain('<script src="../../coursegate-stub.js"></script>');
    expect(config(page('course/lessons/page.html')).asset).toBe(true);
    // One SCO and one asset on shared/launch.html: it opens an LMS session.
    expect(config(page('course/shared/launch.html')).asset).toBeUndefined();
    expect(config(page('course/shared/launch.html')).query).toEqual(['c']);
    expect(config(page('course/lessons/page.html')).query).toBeUndefined();
    expect(page('course/lessons/page.html')).toContain('<title>Deux</title>');
  });

  it('refuses a manifest that launches no file of the package', () => {
    const absolute = MANIFEST.replace(/href="(?!https)[^"]*"/g, 'href="https://cdn.example/x.html"');
    expect(() =>
      gatedScormFiles({
        manifest: new TextEncoder().encode(absolute),
        standard: 'scorm2004',
        gatekeeperUrl: 'https://gate.example',
        token: 't',
        stubScript: new Uint8Array(1),
        title: 'C',
      }),
    ).toThrow(/launches no file/);
  });
});
